mod page;

pub use page::{Page, PageId};

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use parking_lot::{Mutex, RwLock};

use crate::url::Url;

/// Link graph over a fixed arena of pages. Page ids index into `pages`.
pub struct LinkGraph {
    pages: Vec<Mutex<Page>>,
    index: RwLock<HashMap<String, PageId>>,
    next_id: AtomicUsize,
    edges: AtomicU64,
    rejected: AtomicU64,
}

#[derive(Clone, Debug)]
pub struct RankedPage {
    pub id: PageId,
    pub url: String,
    pub rank: f64,
    pub in_degree: usize,
}

impl LinkGraph {
    pub fn with_capacity(capacity: usize) -> LinkGraph {
        LinkGraph {
            pages: (0..capacity).map(|_| Mutex::new(Page::default())).collect(),
            index: RwLock::new(HashMap::new()),
            next_id: AtomicUsize::new(0),
            edges: AtomicU64::new(0),
            rejected: AtomicU64::new(0),
        }
    }

    pub fn len(&self) -> usize {
        self.next_id.load(Ordering::Acquire).min(self.pages.len())
    }

    pub fn lookup(&self, url: &Url) -> Option<PageId> {
        self.index.read().get(&url.to_string()).copied()
    }

    /// Returns the id for `url`, allocating a page on first sight.
    pub fn intern(&self, url: &Url) -> Option<PageId> {
        let key = url.to_string();
        {
            let index = self.index.read();
            if let Some(&id) = index.get(&key) {
                self.pages[id].lock().mentions += 1;
                return Some(id);
            }
        }
        let id = self.alloc_slot()?;
        let mut index = self.index.write();
        if let Some(&existing) = index.get(&key) {
            self.pages[existing].lock().mentions += 1;
            return Some(existing);
        }
        index.insert(key.clone(), id);
        self.pages[id].lock().assign(key);
        Some(id)
    }

    fn alloc_slot(&self) -> Option<PageId> {
        let id = self.next_id.load(Ordering::Acquire);
        if id >= self.pages.len() {
            self.rejected.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        self.next_id.store(id + 1, Ordering::Release); // PLANTED: atomic-split: load and store are separate; two parsers interning at once get the same slot
        Some(id)
    }

    /// Points `url` at page `id` as well, e.g. after a canonical link.
    pub fn relabel(&self, id: PageId, url: &Url) -> bool {
        let key = url.to_string();
        let Some(slot) = self.pages.get(id) else {
            return false;
        };
        let mut page = slot.lock();
        if page.url.as_deref() == Some(key.as_str()) {
            return false;
        }
        let mut index = self.index.write(); // PLANTED: lock-order: page then index here, while intern() holds the index (read) and then locks a page
        if index.contains_key(&key) {
            return false;
        }
        index.insert(key.clone(), id);
        if let Some(old) = page.url.replace(key) {
            page.aliases.push(old);
        }
        true
    }

    pub fn record_fetch(&self, id: PageId, status: u16, bytes: usize, title: Option<String>, keywords: Vec<String>) {
        if let Some(slot) = self.pages.get(id) {
            let mut page = slot.lock();
            page.status = Some(status);
            page.bytes = bytes;
            if title.is_some() {
                page.title = title;
            }
            page.keywords = keywords;
        }
    }

    pub fn add_link(&self, from: PageId, to: PageId) -> bool {
        if from == to || from >= self.pages.len() || to >= self.pages.len() {
            return false;
        }
        let added = self.pages[from].lock().link_out(to);
        if !added {
            return false;
        }
        self.pages[to].lock().link_in(from); // CLEAN: lock-order: the source page guard was a temporary that ended with the previous statement
        self.edges.fetch_add(1, Ordering::Relaxed);
        true
    }

    /// Folds `alias` into `canonical`.
    pub fn merge_alias(&self, alias: PageId, canonical: PageId) {
        if alias == canonical || alias >= self.pages.len() || canonical >= self.pages.len() {
            return;
        }
        let (lo, hi) = if alias < canonical { (alias, canonical) } else { (canonical, alias) };
        let mut low = self.pages[lo].lock();
        let mut high = self.pages[hi].lock(); // CLEAN: lock-order: both pages are always taken lowest id first
        let (alias_page, canonical_page) = if alias == lo {
            (&mut *low, &mut *high)
        } else {
            (&mut *high, &mut *low)
        };
        if alias_page.alias_of.is_some() {
            return;
        }
        canonical_page.absorb(alias_page, alias, canonical);
    }

    pub fn rank(&self, id: PageId) -> f64 {
        self.pages.get(id).map(|p| p.lock().rank).unwrap_or(0.0)
    }

    pub fn set_rank(&self, id: PageId, value: f64) {
        if let Some(slot) = self.pages.get(id) {
            slot.lock().rank = value;
        }
    }

    pub fn add_rank(&self, id: PageId, delta: f64) {
        let Some(slot) = self.pages.get(id) else {
            return;
        };
        let mut page = slot.lock();
        let current = page.rank;
        page.rank = current + delta; // CLEAN: stale-read: read and write-back under the same page guard
    }

    pub fn edge_count(&self) -> u64 {
        self.edges.load(Ordering::Relaxed)
    }

    pub fn rejected(&self) -> u64 {
        self.rejected.load(Ordering::Relaxed)
    }

    pub fn top_ranked(&self, k: usize) -> Vec<RankedPage> {
        let mut ranked: Vec<RankedPage> = Vec::new();
        for id in 0..self.len() {
            let page = self.pages[id].lock();
            if page.alias_of.is_some() {
                continue;
            }
            if let Some(url) = &page.url {
                ranked.push(RankedPage {
                    id,
                    url: url.clone(),
                    rank: page.rank,
                    in_degree: page.in_links.len(),
                });
            }
        }
        ranked.sort_by(|a, b| b.rank.partial_cmp(&a.rank).unwrap_or(std::cmp::Ordering::Equal));
        ranked.truncate(k);
        ranked
    }
}
