use std::collections::VecDeque;
use std::sync::Arc;

use racecheck::Lock;

use super::Uploader;
use crate::metrics::{Metrics, UploadStats};
use crate::model::Round;

const WINDOW: usize = 64;

#[derive(Debug, Clone, PartialEq)]
pub struct UploadRecord {
    pub round: Round,
    pub bytes: usize,
    pub worker: usize,
    pub ok: bool,
}

/// The recent uploads, newest last.
pub struct UploadLog {
    entries: Lock<VecDeque<UploadRecord>>,
    uploader: Arc<dyn Uploader>,
}

impl UploadLog {
    pub fn new(uploader: Arc<dyn Uploader>) -> Self {
        UploadLog {
            entries: Lock::new(VecDeque::new()),
            uploader,
        }
    }

    /// Logs an upload and books its bytes in the totals.
    pub fn append(&self, record: UploadRecord, metrics: &Metrics) {
        let mut entries = self.entries.acquire();
        if entries.len() == WINDOW {
            entries.pop_front();
        }
        if record.ok {
            metrics.add_upload(record.bytes);
        }
        entries.push_back(record);
    }
}

impl UploadStats for UploadLog {
    fn recent_count(&self) -> usize {
        let entries = self.entries.acquire(); // PLANTED: lock-order: Metrics::summary() holds the totals here, append() takes the log then the totals
        entries.iter().filter(|r| r.ok).count()
    }

    fn endpoint(&self) -> String {
        self.uploader.endpoint()
    }
}
