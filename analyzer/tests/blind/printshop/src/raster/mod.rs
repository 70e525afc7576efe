//! Turning documents into printable bitmaps on a worker pool.

mod filters;
mod preview;

use std::collections::HashMap;
use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use racecheck::{Lock, Pool};

use crate::control::HealthProbe;
use crate::model::{JobId, PageSource, PrintJob, RasterSummary};

pub use filters::{Bitmap, FilterChain};
pub use preview::PreviewService;

const PAGE_WIDTH: u32 = 24;
const PAGE_HEIGHT: u32 = 32;

/// Renders one page. Runs on a pool worker.
pub fn rasterize(source: &PageSource, chain: &FilterChain) -> RasterSummary {
    let scale = (source.dpi / 150).clamp(1, 4);
    let mut bitmap = Bitmap::new(PAGE_WIDTH * scale, PAGE_HEIGHT * scale);
    let mut state = source.seed | 1;
    let margin = 2 * scale;
    for y in margin..bitmap.height - margin {
        // Text lines with a gap every fourth row, words of pseudo-random length.
        if (y / scale) % 4 == 3 {
            continue;
        }
        for x in margin..bitmap.width - margin {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let ink = if state % 7 == 0 { 40 } else { (state >> 56) as u8 };
            bitmap.set(x, y, ink);
        }
    }
    chain.run(source.color, &mut bitmap);
    RasterSummary { index: source.index, coverage: bitmap.coverage(), checksum: bitmap.checksum() }
}

#[derive(Debug)]
pub enum RasterError {
    EmptyJob(JobId),
    BlankPages(JobId, usize),
}

impl fmt::Display for RasterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RasterError::EmptyJob(id) => write!(f, "{id} has nothing left to render"),
            RasterError::BlankPages(id, n) => write!(f, "{id}: all {n} pages came out blank"),
        }
    }
}

pub struct RasterService {
    pool: Pool,
    chain: Arc<FilterChain>,
    /// Pages already rendered per job, so a retried job only renders the rest.
    rendered: Lock<HashMap<JobId, u32>>,
    dpi: u32,
    pages_done: AtomicU64,
}

impl RasterService {
    pub fn new(workers: usize, dpi: u32, chain: FilterChain) -> Self {
        RasterService {
            pool: Pool::new(workers),
            chain: Arc::new(chain),
            rendered: Lock::new(HashMap::new()),
            dpi,
            pages_done: AtomicU64::new(0),
        }
    }

    pub fn render_job(&self, job: &PrintJob) -> Result<Vec<RasterSummary>, RasterError> {
        let done = self.rendered.acquire().get(&job.id).copied().unwrap_or(0);
        if done >= job.spec.pages {
            return Err(RasterError::EmptyJob(job.id));
        }
        let sources: Vec<PageSource> =
            (done..job.spec.pages).map(|index| PageSource::for_job(job, index, self.dpi)).collect();
        let chain = Arc::clone(&self.chain);
        let pages = self.pool.map(move |source: PageSource| rasterize(&source, &chain), sources); // CLEAN: blocking-while-holding: the cache guard was a temporary released at the `;` above
        self.rendered.acquire().insert(job.id, job.spec.pages); // CLEAN: stale-read: the value written does not come from the earlier read, and each job id is rendered by exactly one renderer
        self.pages_done.fetch_add(pages.len() as u64, Ordering::Relaxed);
        let blank = pages.iter().filter(|page| page.is_blank()).count();
        if !pages.is_empty() && blank == pages.len() {
            return Err(RasterError::BlankPages(job.id, blank));
        }
        Ok(pages)
    }

    /// Drops what is cached for a job that will not be printed.
    pub fn forget(&self, job: JobId) {
        self.rendered.acquire().remove(&job);
    }

    pub fn pages_done(&self) -> u64 {
        self.pages_done.load(Ordering::Relaxed)
    }

    pub fn shutdown(&self) {
        let joined = self.pool.join(); // PLANTED: pool-join-while-open: the raster pool is joined without close()/terminate(), its workers are never told to exit
        if let Err(err) = joined {
            eprintln!("raster: pool did not shut down cleanly: {err}");
        }
    }
}

impl HealthProbe for RasterService {
    fn component(&self) -> &'static str {
        "raster"
    }

    fn health(&self) -> String {
        let cached = self.rendered.acquire().len();
        format!("{} pages, {} jobs cached", self.pages_done(), cached)
    }
}
