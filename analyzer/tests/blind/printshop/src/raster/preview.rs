//! Low resolution previews for jobs that need a customer proof.

use std::sync::atomic::{AtomicU64, Ordering};

use racecheck::Pool;

use crate::model::{JobId, RasterSummary, Thumbnail};

pub struct PreviewService {
    pool: Pool,
    size: u32,
    made: AtomicU64,
}

fn build_thumbnail(job: JobId, coverage: &[f32], size: u32) -> Thumbnail {
    let cells = (size * size) as usize;
    let mut pixels = Vec::with_capacity(cells);
    for cell in 0..cells {
        let page = if coverage.is_empty() { 0.0 } else { coverage[cell % coverage.len()] };
        let shade = (page * 255.0).round().clamp(0.0, 255.0) as u8;
        // Checker the cells so adjacent pages are told apart on screen.
        let shade = if (cell / size as usize + cell) % 2 == 0 { shade } else { shade / 2 };
        pixels.push(shade);
    }
    Thumbnail { job, pixels }
}

impl PreviewService {
    pub fn new(workers: usize, size: u32) -> Self {
        PreviewService { pool: Pool::new(workers), size, made: AtomicU64::new(0) }
    }

    pub fn thumbnail(&self, job: JobId, pages: &[RasterSummary]) -> Thumbnail {
        let coverage: Vec<f32> = pages.iter().map(|page| page.coverage).collect();
        let size = self.size;
        let thumbnail = self.pool.apply(move || build_thumbnail(job, &coverage, size));
        self.made.fetch_add(1, Ordering::Relaxed);
        thumbnail
    }

    pub fn made(&self) -> u64 {
        self.made.load(Ordering::Relaxed)
    }

    pub fn shutdown(&self) {
        self.pool.close();
        let joined = self.pool.join(); // CLEAN: pool-join-while-open: close() on the line above, so the workers drain and exit
        if let Err(err) = joined {
            eprintln!("preview: pool did not shut down cleanly: {err}");
        }
    }
}
