use std::sync::Arc;

use racecheck::{JoinableQueue, Semaphore};

use super::{Archive, Compressor, UploadBatch, UploadError, UploadJob, UploadLog, UploadRecord, Uploader};
use crate::metrics::{counters, Metrics};

/// Takes batches off the upload queue and sends them, at most as many at once as the upload
/// semaphore allows.
pub struct UploadWorker {
    pub(crate) index: usize,
    pub(crate) queue: JoinableQueue<UploadJob>,
    pub(crate) slots: Arc<Semaphore>,
    pub(crate) compressor: Arc<Compressor>,
    pub(crate) uploader: Arc<dyn Uploader>,
    pub(crate) log: Arc<UploadLog>,
    pub(crate) archive: Arc<Archive>,
    pub(crate) metrics: Arc<Metrics>,
}

impl UploadWorker {
    pub fn run(self) -> u64 {
        let mut handled = 0;
        loop {
            let batch = match self.queue.get() {
                UploadJob::Stop => {
                    let _ = self.queue.task_done();
                    break;
                }
                UploadJob::Batch(batch) => batch,
            };
            let record = self.send(batch);
            counters::record_upload(record.ok);
            self.log.append(record.clone(), &self.metrics);
            self.archive.stage(record);
            handled += 1;
            if self.queue.task_done().is_err() {
                break;
            }
        }
        handled
    }

    fn send(&self, batch: UploadBatch) -> UploadRecord {
        let round = batch.round;
        let payload = self.compressor.compress(batch);
        let mut outcome = self.attempt(&payload);
        if let Err(UploadError::Rejected(503)) = outcome {
            outcome = self.attempt(&payload);
        }
        match outcome {
            Ok(bytes) => UploadRecord {
                round,
                bytes,
                worker: self.index,
                ok: true,
            },
            Err(error) => {
                eprintln!("upload-{}: round {round}: {error:?}", self.index);
                UploadRecord {
                    round,
                    bytes: 0,
                    worker: self.index,
                    ok: false,
                }
            }
        }
    }

    fn attempt(&self, payload: &[u8]) -> Result<usize, UploadError> {
        let _slot = self.slots.acquire();
        self.uploader.upload(payload)
    }
}
