use std::collections::VecDeque;

use racecheck::{Condition, Lock};

use super::UploadRecord;
use crate::model::Round;

/// A group of upload records written to the archive together.
#[derive(Debug, Clone)]
pub struct ArchiveBundle {
    pub records: Vec<UploadRecord>,
    pub last_round: Round,
}

impl ArchiveBundle {
    fn render(&self) -> String {
        let bytes: usize = self.records.iter().map(|r| r.bytes).sum();
        format!(
            "bundle up to round {}: {} uploads, {} bytes",
            self.last_round,
            self.records.len(),
            bytes
        )
    }
}

struct ArchiveState {
    staged: Vec<UploadRecord>,
    sealed: VecDeque<ArchiveBundle>,
    closed: bool,
    written: Vec<String>,
}

impl ArchiveState {
    fn seal(&mut self) {
        if self.staged.is_empty() {
            return;
        }
        let records = std::mem::take(&mut self.staged);
        let last_round = records.iter().map(|r| r.round).max().unwrap_or(0);
        self.sealed.push_back(ArchiveBundle { records, last_round });
    }
}

/// Collects upload records into bundles; the archiver thread writes each sealed bundle out.
pub struct Archive {
    state: Lock<ArchiveState>,
    bundle_ready: Condition,
    bundle_size: usize,
}

impl Archive {
    pub fn new(bundle_size: usize) -> Self {
        Archive {
            state: Lock::new(ArchiveState {
                staged: Vec::new(),
                sealed: VecDeque::new(),
                closed: false,
                written: Vec::new(),
            }),
            bundle_ready: Condition::new(),
            bundle_size: bundle_size.max(1),
        }
    }

    /// Adds a record; seals a bundle once enough are staged.
    pub fn stage(&self, record: UploadRecord) {
        let mut state = self.state.acquire();
        state.staged.push(record);
        if state.staged.len() >= self.bundle_size {
            state.seal();
        }
    }

    /// Seals whatever is staged and lets the archiver finish.
    pub fn close(&self) {
        let mut state = self.state.acquire();
        state.seal();
        state.closed = true;
    }

    /// The archiver thread: writes sealed bundles until the archive is closed and empty.
    pub fn run(&self) -> usize {
        let mut written = 0;
        loop {
            let bundle = {
                let mut state = self.state.acquire();
                while state.sealed.is_empty() && !state.closed {
                    state = self.bundle_ready.wait(state); // PLANTED: wait-never-signalled: nothing ever notifies bundle_ready; stage() and close() only change the state
                }
                match state.sealed.pop_front() {
                    Some(bundle) => bundle,
                    None => break,
                }
            };
            let line = bundle.render();
            self.state.acquire().written.push(line);
            written += 1;
        }
        written
    }
}
