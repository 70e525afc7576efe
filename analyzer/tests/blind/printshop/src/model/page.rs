use super::{ColorMode, JobId, PrintJob};

/// One page of a job, as handed to a raster worker.
#[derive(Debug, Clone, Copy)]
pub struct PageSource {
    pub job: JobId,
    pub index: u32,
    pub color: ColorMode,
    pub dpi: u32,
    pub seed: u64,
}

impl PageSource {
    pub fn for_job(job: &PrintJob, index: u32, dpi: u32) -> Self {
        let mut seed = job.id.0.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        seed ^= (index as u64 + 1).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        seed ^= seed >> 31;
        PageSource { job: job.id, index, color: job.spec.color, dpi, seed }
    }
}

/// What is kept of a rasterized page once the bitmap went to the printer.
#[derive(Debug, Clone)]
pub struct RasterSummary {
    pub index: u32,
    pub coverage: f32,
    pub checksum: u64,
}

impl RasterSummary {
    pub fn is_blank(&self) -> bool {
        self.coverage < 0.005
    }
}

/// A small preview of a job, shown to the customer for proofing.
#[derive(Debug, Clone)]
pub struct Thumbnail {
    pub job: JobId,
    pub pixels: Vec<u8>,
}

impl Thumbnail {
    pub fn mean(&self) -> f32 {
        if self.pixels.is_empty() {
            return 0.0;
        }
        let total: u64 = self.pixels.iter().map(|&p| p as u64).sum();
        total as f32 / self.pixels.len() as f32
    }

    pub fn is_empty(&self) -> bool {
        self.pixels.iter().all(|&p| p == 0)
    }
}
