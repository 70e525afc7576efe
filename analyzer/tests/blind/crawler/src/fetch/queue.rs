use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Receiver, Sender};

use crate::frontier::QueuedUrl;
use crate::graph::PageId;
use crate::url::{Host, Url};

#[derive(Clone, Debug)]
pub struct FetchTask {
    pub url: Url,
    pub depth: usize,
    pub referrer: Option<PageId>,
    pub attempt: u32,
    pub not_before: Instant,
}

impl FetchTask {
    pub fn new(item: QueuedUrl) -> FetchTask {
        FetchTask {
            url: item.url,
            depth: item.depth,
            referrer: item.referrer,
            attempt: 0,
            not_before: Instant::now(),
        }
    }

    pub fn host(&self) -> &Host {
        self.url.host()
    }

    pub fn retry(mut self, backoff: Duration) -> FetchTask {
        self.attempt += 1;
        self.not_before = Instant::now() + backoff * self.attempt;
        self
    }

    pub fn into_queued(self) -> QueuedUrl {
        QueuedUrl::new(self.url, self.depth, self.referrer)
    }
}

/// Bounded hand-off between the dispatcher and the fetcher threads.
#[derive(Clone)]
pub struct FetchQueue {
    tx: Sender<FetchTask>,
    rx: Receiver<FetchTask>,
}

impl FetchQueue {
    pub fn bounded(capacity: usize) -> FetchQueue {
        let (tx, rx) = bounded(capacity);
        FetchQueue { tx, rx }
    }

    pub fn push_blocking(&self, task: FetchTask) -> Result<(), FetchTask> {
        self.tx.send(task).map_err(|e| e.into_inner()) // PLANTED: blocking-while-holding: dispatch_ready() calls this with the frontier hosts mutex held; a full queue blocks while fetchers wait on hosts in complete()
    }

    pub fn room(&self) -> usize {
        self.tx.capacity().unwrap_or(usize::MAX).saturating_sub(self.tx.len())
    }

    pub fn sender(&self) -> Sender<FetchTask> {
        self.tx.clone()
    }

    pub fn next(&self, timeout: Duration) -> Option<FetchTask> {
        self.rx.recv_timeout(timeout).ok()
    }

    pub fn is_empty(&self) -> bool {
        self.rx.is_empty()
    }
}
