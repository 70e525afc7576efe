//! Uploading aggregates: the upload queue and its workers, the compression pool, the upload
//! log and the archive of uploaded records.

mod archive;
mod compress;
mod log;
mod worker;

pub use archive::{Archive, ArchiveBundle};
pub use compress::Compressor;
pub use log::{UploadLog, UploadRecord};
pub use worker::UploadWorker;

use racecheck::Lock;

use crate::aggregate::{DeviceAggregate, Overall};
use crate::model::{DeviceId, Round};

/// Aggregates ready to leave the hub.
#[derive(Debug, Clone)]
pub struct UploadBatch {
    pub round: Round,
    pub devices: Vec<(DeviceId, DeviceAggregate)>,
    pub overall: Option<Overall>,
}

impl UploadBatch {
    /// A compact line-oriented encoding; the compressor packs it further.
    pub fn encode(&self) -> String {
        let mut out = format!("round={}\n", self.round);
        for (id, aggregate) in &self.devices {
            out.push_str(&format!(
                "dev{id},{:?},{:.3},{}\n",
                aggregate.kind, aggregate.value, aggregate.samples
            ));
        }
        if let Some(overall) = &self.overall {
            out.push_str(&format!(
                "overall,{},{:.3},{:.3},{:.3}\n",
                overall.count, overall.centre, overall.min, overall.max
            ));
        }
        out
    }
}

#[derive(Debug, Clone)]
pub enum UploadJob {
    Batch(UploadBatch),
    Stop,
}

#[derive(Debug, Clone, PartialEq)]
pub enum UploadError {
    Rejected(u16),
    Unreachable,
}

pub trait Uploader: Send + Sync {
    fn endpoint(&self) -> String;
    /// Sends one payload; returns the bytes accepted.
    fn upload(&self, payload: &[u8]) -> Result<usize, UploadError>;
}

/// A cloud endpoint stand-in that refuses every n-th upload.
pub struct SimulatedCloud {
    url: String,
    refuse_every: u64,
    calls: Lock<u64>,
}

impl SimulatedCloud {
    pub fn new(url: &str, refuse_every: u64) -> Self {
        SimulatedCloud {
            url: url.to_owned(),
            refuse_every: refuse_every.max(2),
            calls: Lock::new(0),
        }
    }
}

impl Uploader for SimulatedCloud {
    fn endpoint(&self) -> String {
        self.url.clone()
    }

    fn upload(&self, payload: &[u8]) -> Result<usize, UploadError> {
        let call = {
            let mut calls = self.calls.acquire();
            *calls += 1;
            *calls
        };
        if payload.is_empty() {
            return Err(UploadError::Rejected(400));
        }
        if call % self.refuse_every == 0 {
            return Err(UploadError::Rejected(503));
        }
        Ok(payload.len())
    }
}
