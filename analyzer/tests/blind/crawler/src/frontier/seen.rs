use std::collections::{HashMap, HashSet};
use std::sync::RwLock;

use crate::url::{Host, Url};

/// URL fingerprints already admitted to the frontier, grouped by host so that
/// hosts which left the frontier can be forgotten in one sweep.
pub struct SeenSet {
    by_host: RwLock<HashMap<Host, HashSet<u64>>>,
}

impl SeenSet {
    pub fn new() -> SeenSet {
        SeenSet {
            by_host: RwLock::new(HashMap::new()),
        }
    }

    /// Returns true if the URL was not seen before.
    pub fn insert(&self, url: &Url) -> bool {
        let fp = url.fingerprint();
        let mut by_host = self.by_host.write().unwrap();
        by_host.entry(url.host().clone()).or_default().insert(fp)
    }

    pub fn len(&self) -> usize {
        self.by_host.read().unwrap().values().map(|s| s.len()).sum()
    }

    /// Drops every host for which `keep` returns false and reports how many
    /// fingerprints were released.
    pub fn retain_hosts<F>(&self, mut keep: F) -> usize
    where
        F: FnMut(&Host) -> bool,
    {
        let mut by_host = self.by_host.write().unwrap();
        let mut released = 0;
        by_host.retain(|host, set| {
            if keep(host) {
                true
            } else {
                released += set.len();
                false
            }
        });
        released
    }
}
