use std::collections::VecDeque;
use std::time::{Duration, Instant};

use crate::graph::PageId;
use crate::url::{Host, Url};

const MAX_BACKOFF_SHIFT: u32 = 5;
const MAX_DELAY: Duration = Duration::from_secs(2);

#[derive(Clone, Debug)]
pub struct QueuedUrl {
    pub url: Url,
    pub depth: usize,
    pub referrer: Option<PageId>,
}

impl QueuedUrl {
    pub fn new(url: Url, depth: usize, referrer: Option<PageId>) -> QueuedUrl {
        QueuedUrl { url, depth, referrer }
    }
}

/// Per-host politeness state: at most one request in flight, and a minimum
/// delay between requests that grows while the host keeps failing.
#[derive(Debug)]
pub struct HostQueue {
    host: Host,
    pending: VecDeque<QueuedUrl>,
    cap: usize,
    base_delay: Duration,
    delay: Duration,
    next_allowed: Instant,
    busy: u32,
    last_active: Instant,
    consecutive_errors: u32,
    abandoned: bool,
}

impl HostQueue {
    pub fn new(host: Host, delay: Duration, cap: usize) -> HostQueue {
        let now = Instant::now();
        HostQueue {
            host,
            pending: VecDeque::new(),
            cap,
            base_delay: delay,
            delay,
            next_allowed: now,
            busy: 0,
            last_active: now,
            consecutive_errors: 0,
            abandoned: false,
        }
    }

    pub fn host(&self) -> &Host {
        &self.host
    }

    pub fn push(&mut self, item: QueuedUrl) -> bool {
        if self.abandoned || self.pending.len() >= self.cap {
            return false;
        }
        self.pending.push_back(item);
        true
    }

    pub fn is_ready(&self, now: Instant) -> bool {
        !self.abandoned && self.busy == 0 && !self.pending.is_empty() && now >= self.next_allowed
    }

    pub fn take(&mut self, now: Instant) -> Option<QueuedUrl> {
        let item = self.pending.pop_front()?;
        self.busy += 1;
        self.last_active = now;
        Some(item)
    }

    pub fn release(&mut self, item: QueuedUrl) {
        self.busy = self.busy.saturating_sub(1);
        self.pending.push_front(item);
    }

    pub fn begin_retry(&mut self, now: Instant) {
        self.busy += 1;
        self.last_active = now;
    }

    pub fn finish(&mut self, now: Instant, failed: bool) {
        self.busy = self.busy.saturating_sub(1);
        self.last_active = now;
        if failed {
            self.consecutive_errors += 1;
            let shift = self.consecutive_errors.min(MAX_BACKOFF_SHIFT);
            self.delay = (self.base_delay * (1u32 << shift)).min(MAX_DELAY);
        } else {
            self.consecutive_errors = 0;
            self.delay = self.base_delay;
        }
        self.next_allowed = now + self.delay;
    }

    pub fn raise_delay(&mut self, delay: Duration) {
        let delay = delay.min(MAX_DELAY);
        if delay > self.base_delay {
            self.base_delay = delay;
            if self.delay < delay {
                self.delay = delay;
            }
        }
    }

    pub fn abandon(&mut self) {
        self.abandoned = true;
        self.pending.clear();
    }

    pub fn is_abandoned(&self) -> bool {
        self.abandoned
    }

    pub fn consecutive_errors(&self) -> u32 {
        self.consecutive_errors
    }

    pub fn len(&self) -> usize {
        self.pending.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pending.is_empty()
    }

    pub fn is_busy(&self) -> bool {
        self.busy > 0
    }

    pub fn is_idle(&self, now: Instant, idle_after: Duration) -> bool {
        self.busy == 0 && self.pending.is_empty() && now.duration_since(self.last_active) >= idle_after
    }
}
