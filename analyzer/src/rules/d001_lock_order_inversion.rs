//! D001: a cycle in the lock-order graph whose edges can run in parallel.
use super::context::{add_flow, step, RuleContext};
use crate::diagnostic::{Diagnostic, Span, Step, StepKind};
use crate::graph::lock_order::EdgeInstance;
use crate::model::{Cut, IndexKey, PrimId};

declare_rule! {
    /// ## What it does
    /// Finds locks acquired in opposite orders by threads that can run at the same time: a cycle
    /// in the lock-order graph (ABBA, an n-way cycle, dining philosophers) whose acquisitions
    /// are not ordered by spawn/join or a queue hand-off, and not all made under one common lock
    /// (an element taken by a run-time id, `sessions[id]`, is no common lock: each thread may
    /// hold another). A cycle is reported once, at the second acquisition of one of its edges
    /// that comes first in the source (file, then line and column) and that no other finding has
    /// as its own, with each thread's acquisitions and the calls between them; a cycle whose
    /// locks other findings already name may fold into one of them.
    ///
    /// ## Why is this bad?
    /// Each thread can take its first lock and then wait forever for the lock the other holds:
    /// a deadlock that only shows under some schedules, so tests rarely catch it.
    ///
    /// ## Example
    /// ```rust,ignore
    /// // thread 1                      // thread 2
    /// let _a = A.acquire();            let _b = B.acquire();
    /// let _b = B.acquire();            let _a = A.acquire();
    /// ```
    /// Use instead: acquire the locks in one global order everywhere (always `A` before `B`),
    /// e.g. ordered by address or index.
    ///
    /// ## Known problems
    /// - Cycles of up to 6 locks are searched, shortest first, at most 256 per crate (and a
    ///   million steps of the search); per edge of a cycle, 16 acquisitions and 4,096
    ///   combinations are tried. A longer cycle is not reported; when the search stops at its
    ///   bound, the run's note says so.
    /// - `try_acquire` and `acquire_timeout` add no edge (they give up instead of waiting).
    /// - A cycle whose threads only read a `RwLock` where one waits for another is not reported,
    ///   although a writer queued between them could block the second read.
    /// - Elements of a lock family indexed by values known only at run time (`locks[id]`) are
    ///   one element per family, which may be any element the program names by a constant (and
    ///   a family taken in turn, `for shard in &shards`, is every element it names): two of them
    ///   taken in a row are an inversion unless ordered by
    ///   `min`/`max`, `if a < b { (a, b) } else { (b, a) }` or a sorted array; an order kept
    ///   another way (a comparison elsewhere, a sorted `Vec` of ids built in a loop) is not seen.
    ///   The two ends of such an ordered pair stand for named elements in index order only, so
    ///   `v[0]` then `v[1]` beside them is clean and `v[9]` then `v[1]` an inversion.
    /// - Both arms of an `if` are walked unless its condition compares integers the code spells
    ///   out: literals, and parameters the callers passed literals down as (`if from < to`
    ///   in `transfer(0, 1)`, where only one arm runs). A branch on any other value the walk
    ///   knows (a constant, a field set by a constructor: `if x.rank < y.rank`) is walked
    ///   both ways, and a function that orders two elements so is taken to lock them in either
    ///   order in each call. Called with indices known only at run time, it is clean.
    pub D001, LOCK_ORDER_INVERSION, "lock-order-inversion", Error, "locks acquired in opposite orders by threads that can run in parallel", model_limits!()
}

/// Longest cycle searched, most cycles examined per crate, and most steps of the search for
/// them (shortest first: a bound reached leaves out longer cycles, and says so).
const MAX_CYCLE: usize = 6;
const MAX_CYCLES: usize = 256;
const MAX_CYCLE_SEARCH: usize = 1_000_000;
/// Acquisitions considered per edge, and combinations tried per cycle, when looking for
/// acquisitions that can all run at once.
const MAX_INSTANCES: usize = 16;
const MAX_ATTEMPTS: usize = 4_096;

pub(crate) fn check(cx: &RuleContext<'_>, out: &mut Vec<Diagnostic>) {
    let mut found = Vec::new();
    let (cycles, cut) = cx.locks.cycles(MAX_CYCLE, MAX_CYCLES, MAX_CYCLE_SEARCH);
    if cut {
        cx.note_cut(Cut::Cycles(MAX_CYCLES));
    }
    for cycle in cycles {
        if let [lock] = cycle[..] {
            // A family's elements taken by unordered run-time ids: two acquisitions of the one
            // edge (two threads, or two instances of one) close the cycle.
            found.extend(
                unordered_pairs(cx, lock)
                    .into_iter()
                    .map(|chosen| (vec![lock, lock], chosen)),
            );
            continue;
        }
        let edges: Vec<&[EdgeInstance]> = (0..cycle.len())
            .map(|k| cx.locks.edge(cycle[k], cycle[(k + 1) % cycle.len()]))
            .collect();
        let mut chosen = Vec::new();
        let mut attempts = MAX_ATTEMPTS;
        if choose_parallel(cx, &cycle, &edges, &mut chosen, &mut attempts) {
            found.push((cycle, chosen));
        }
    }
    // Findings are one per primary span, and two cycles through one helper's acquisition are
    // two bugs: the cycles with the fewest acquisition sites choose their primary first, each
    // a site no other has taken where it can. A cycle whose locks the findings before it all
    // name (A→C beside A→B and B→C: one reversed pair of functions) keeps its first site, and
    // so folds into theirs.
    found.sort_by_cached_key(|(_, chosen)| site_count(cx, chosen));
    let mut taken = Vec::new();
    let mut named: Vec<PrimId> = Vec::new();
    for (cycle, chosen) in found {
        let new_bug = cycle.iter().any(|lock| !named.contains(lock));
        let avoid = if new_bug { &mut taken } else { &mut Vec::new() };
        out.push(cycle_diagnostic(cx, &cycle, &chosen, avoid));
        named.extend(cycle);
    }
    for edge in cx.locks.instances() {
        if is_rotating(cx, edge) {
            out.push(rotation_diagnostic(cx, edge));
        }
    }
}

/// Each place that takes two elements of `lock`'s family by unordered run-time ids, with one
/// other acquisition of such a pair that can run beside it: each place is a bug of its own (a
/// transfer, a rename). Two threads at the very place are tried first (one function run twice,
/// the ids the other way round), then the place against any other.
fn unordered_pairs<'g>(cx: &'g RuleContext<'_>, lock: PrimId) -> Vec<Vec<&'g EdgeInstance>> {
    let cycle = [lock, lock];
    let all = cx.locks.edge(lock, lock);
    let site = |i: &EdgeInstance| &cx.event(i.template, i.event).span;
    let mut sites: Vec<&Span> = Vec::new();
    let mut pairs = Vec::new();
    for instance in all {
        if sites.contains(&site(instance)) {
            continue;
        }
        sites.push(site(instance));
        let from_site: Vec<EdgeInstance> = all
            .iter()
            .filter(|i| site(i) == site(instance))
            .cloned()
            .collect();
        let mut chosen = Vec::new();
        let mut attempts = MAX_ATTEMPTS;
        let here = [&from_site[..], &from_site[..]];
        let anywhere = [&from_site[..], all];
        if choose_parallel(cx, &cycle, &here, &mut chosen, &mut attempts)
            || choose_parallel(cx, &cycle, &anywhere, &mut chosen, &mut attempts)
        {
            // The same acquisitions, as the graph holds them.
            pairs.push(
                chosen
                    .iter()
                    .filter_map(|c| {
                        all.iter()
                            .find(|i| (i.template, i.event) == (c.template, c.event))
                    })
                    .collect(),
            );
        }
    }
    pairs
}

/// Picks one acquisition per edge such that all can run at once and no common lock gates them.
fn choose_parallel<'g>(
    cx: &RuleContext<'_>,
    cycle: &[PrimId],
    edges: &[&'g [EdgeInstance]],
    chosen: &mut Vec<&'g EdgeInstance>,
    attempts: &mut usize,
) -> bool {
    let Some(candidates) = edges.get(chosen.len()) else {
        return !gated(cx, cycle, chosen) && all_exclude(cx, chosen);
    };
    for candidate in candidates.iter().take(MAX_INSTANCES) {
        if *attempts == 0 {
            return false;
        }
        *attempts -= 1;
        let parallel = chosen.iter().all(|c| {
            cx.hb
                .may_run_in_parallel((c.template, c.event), (candidate.template, candidate.event))
        });
        if parallel {
            chosen.push(candidate);
            if choose_parallel(cx, cycle, edges, chosen, attempts) {
                return true;
            }
            chosen.pop();
        }
    }
    false
}

/// Whether at each lock of the cycle the thread waiting for it and the thread holding it
/// exclude each other: two readers of a `RwLock` do not.
fn all_exclude(cx: &RuleContext<'_>, chosen: &[&EdgeInstance]) -> bool {
    (0..chosen.len()).all(|k| {
        let waiter = chosen[k];
        let holder = chosen[(k + 1) % chosen.len()];
        let held = cx
            .event(holder.template, holder.event)
            .held
            .iter()
            .find(|h| h.lock == waiter.taken);
        held.is_none_or(|h| {
            cx.access((waiter.template, waiter.event))
                .excludes(cx.access((holder.template, h.event)))
        })
    })
}

/// Whether one lock outside the cycle is held at every chosen acquisition. (An element taken by
/// a run-time id gates nothing: each thread may hold another element.)
fn gated(cx: &RuleContext<'_>, cycle: &[PrimId], chosen: &[&EdgeInstance]) -> bool {
    let Some(first) = chosen.first() else {
        return false;
    };
    cx.event(first.template, first.event)
        .held
        .iter()
        .any(|gate| {
            !cycle.contains(&gate.lock)
                && !cx.model.prim(gate.lock).is_element_by_id()
                && chosen.iter().all(|c| {
                    cx.event(c.template, c.event)
                        .held
                        .iter()
                        .any(|h| h.lock == gate.lock)
                })
        })
}

fn edge_label(cx: &RuleContext<'_>, edge: &EdgeInstance) -> String {
    format!(
        "{} acquires `{}` while holding `{}`",
        cx.thread(edge.template),
        cx.name(edge.taken),
        cx.name(edge.held)
    )
}

/// What the thread of an edge does: it acquires the held lock, makes the calls that lead to
/// the second acquisition while holding it, and acquires the other lock.
fn edge_steps(cx: &RuleContext<'_>, edge: &EdgeInstance) -> Vec<Step> {
    let event = cx.event(edge.template, edge.event);
    let taken = step(&event.span, edge_label(cx, edge), StepKind::Acquire);
    let Some(held) = event.held.iter().find(|h| h.lock == edge.held) else {
        return vec![taken];
    };
    let mut steps = vec![step(
        &held.span,
        format!("`{}` acquired here", cx.name(edge.held)),
        StepKind::Acquire,
    )];
    steps.extend(cx.calls_while_held(edge.template, held, edge.event));
    steps.push(taken);
    steps
}

/// How many acquisition sites a cycle's chosen edges have.
fn site_count(cx: &RuleContext<'_>, chosen: &[&EdgeInstance]) -> usize {
    let mut sites: Vec<&Span> = chosen
        .iter()
        .map(|c| &cx.event(c.template, c.event).span)
        .collect();
    sites.sort();
    sites.dedup();
    sites.len()
}

/// The finding of a cycle; its primary span is its first acquisition in report order that no
/// finding before it (`taken`) has as its primary, else its first.
fn cycle_diagnostic(
    cx: &RuleContext<'_>,
    cycle: &[PrimId],
    chosen: &[&EdgeInstance],
    taken: &mut Vec<Span>,
) -> Diagnostic {
    let in_order = |c: &&&EdgeInstance| {
        let s = &cx.event(c.template, c.event).span;
        (s.file.clone(), s.line_start, s.column_start)
    };
    let first = chosen
        .iter()
        .filter(|c| !taken.contains(&cx.event(c.template, c.event).span))
        .min_by_key(in_order)
        .or_else(|| chosen.iter().min_by_key(in_order))
        .expect("a cycle has edges");
    taken.push(cx.event(first.template, first.event).span.clone());
    let message = if cycle[0] == cycle[1] {
        format!(
            "lock order inversion: two elements of `{}` are acquired by ids in no fixed order",
            cx.name(cx.model.prim(cycle[0]).element.map_or(cycle[0], |(f, _)| f))
        )
    } else if cycle.len() == 2 {
        format!(
            "lock order inversion: `{}` and `{}` are acquired in opposite orders",
            cx.name(cycle[0]),
            cx.name(cycle[1])
        )
    } else {
        let names: Vec<String> = cycle
            .iter()
            .chain(cycle.first())
            .map(|p| format!("`{}`", cx.name(*p)))
            .collect();
        format!("lock order cycle: {}", names.join(" → "))
    };
    let primary = cx.event(first.template, first.event).span.clone();
    let mut d = cx.diagnostic(
        &LOCK_ORDER_INVERSION,
        message,
        primary,
        edge_label(cx, first),
    );
    let others = chosen.iter().filter(|c| !std::ptr::eq(**c, *first));
    for edge in std::iter::once(first).chain(others) {
        add_flow(&mut d, cx.thread(edge.template), edge_steps(cx, edge));
    }
    d.notes.push(
        "these acquisitions can run at the same time: no spawn/join or hand-off orders them and no common lock is held across them, so each thread can hold one lock while waiting for the next".to_owned(),
    );
    d.help = Some(if cycle[0] == cycle[1] {
        "acquire the element with the lower id first (`v[a.min(b)]`, then `v[a.max(b)]`)".to_owned()
    } else {
        let order: Vec<String> = cycle.iter().map(|p| format!("`{}`", cx.name(*p))).collect();
        format!("acquire {} in one order everywhere", order.join(", "))
    });
    d
}

/// An edge between two elements of one family, indexed `i + a` and `i + b` by the instance
/// variable of a template many instances of which run at once: the instances form a ring
/// (dining philosophers) when the index wraps around.
fn is_rotating(cx: &RuleContext<'_>, edge: &EdgeInstance) -> bool {
    let (held, taken) = (cx.model.prim(edge.held), cx.model.prim(edge.taken));
    let (
        Some((
            family_a,
            IndexKey::Rotated {
                var: va,
                offset: a,
                wraps: wa,
            },
        )),
        Some((
            family_b,
            IndexKey::Rotated {
                var: vb,
                offset: b,
                wraps: wb,
            },
        )),
    ) = (held.element, taken.element)
    else {
        return false;
    };
    let template = cx.model.template(edge.template);
    family_a == family_b
        && va == vb
        && a != b
        && (wa || wb)
        && template.instance_var == Some(va)
        && cx.hb.self_parallel(edge.template)
}

fn rotation_diagnostic(cx: &RuleContext<'_>, edge: &EdgeInstance) -> Diagnostic {
    let event = cx.event(edge.template, edge.event);
    let family = cx
        .model
        .prim(edge.held)
        .element
        .map_or(edge.held, |(f, _)| f);
    let message = format!(
        "lock order cycle: every instance of {} acquires `{}` while holding `{}`, and the indices wrap around",
        cx.thread(edge.template),
        cx.name(edge.taken),
        cx.name(edge.held)
    );
    let mut d = cx.diagnostic(
        &LOCK_ORDER_INVERSION,
        message,
        event.span.clone(),
        edge_label(cx, edge),
    );
    add_flow(&mut d, cx.thread(edge.template), edge_steps(cx, edge));
    d.notes.push(format!(
        "the instances run at the same time; each holds one element of `{}` and waits for its neighbour's, so the last one closes the cycle",
        cx.name(family)
    ));
    d.help = Some(
        "acquire the lower-indexed element first (e.g. `min(i, j)` then `max(i, j)`)".to_owned(),
    );
    d
}
