use crate::fetch::FetchedPage;
use crate::graph::PageId;
use crate::url::Url;

use super::ParseContext;

const DAMPING: f64 = 0.85;

pub(super) fn handle_page(ctx: &ParseContext, page: FetchedPage) {
    let extraction = ctx.registry.run_all(&page);
    let url = page.task.url.clone();
    let Some(id) = ctx.graph.intern(&url) else {
        ctx.stats.graph_full();
        return;
    };
    let keywords: Vec<String> = extraction.keywords.iter().map(|(w, _)| w.clone()).collect();
    ctx.graph.record_fetch(id, page.status, page.body.len(), extraction.title.clone(), keywords);
    ctx.graph.add_rank(id, 1.0 - DAMPING);

    if let Some(canonical) = extraction.canonical.as_deref().and_then(|c| url.join(c).ok()) {
        if canonical != url {
            match ctx.graph.lookup(&canonical) {
                Some(cid) => ctx.graph.merge_alias(id, cid),
                None => {
                    ctx.graph.relabel(id, &canonical);
                }
            }
        }
    }

    let links = resolve_links(&url, &extraction.links);
    let targets: Vec<PageId> = links.iter().filter_map(|u| ctx.graph.intern(u)).collect();
    for &target in &targets {
        ctx.graph.add_link(id, target);
    }
    distribute_rank(ctx, id, &targets);

    ctx.frontier.push_links(Some(id), page.task.depth + 1, &links);
    ctx.stats.page_parsed();
}

fn resolve_links(base: &Url, hrefs: &[String]) -> Vec<Url> {
    let mut out: Vec<Url> = Vec::with_capacity(hrefs.len());
    for href in hrefs {
        let Ok(link) = base.join(href) else {
            continue;
        };
        if link != *base && !out.contains(&link) {
            out.push(link);
        }
    }
    out
}

/// Pushes a share of the page's rank to every page it links to.
fn distribute_rank(ctx: &ParseContext, from: PageId, targets: &[PageId]) {
    if targets.is_empty() {
        return;
    }
    let share = ctx.graph.rank(from) * DAMPING / targets.len() as f64;
    for &target in targets {
        if target == from {
            continue;
        }
        let current = ctx.graph.rank(target);
        ctx.graph.set_rank(target, current + share); // PLANTED: stale-read: `current` was read under a lock that rank() already released; parsers sharing a target overwrite each other's contribution
    }
}
