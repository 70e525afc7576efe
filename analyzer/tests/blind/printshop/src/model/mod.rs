//! Domain types shared by every stage of the shop.

mod job;
mod page;

pub use job::{
    ColorMode, CustomerId, IntakeItem, JobId, JobSpec, PaperSize, PrintJob, PrinterId, Priority, SpecError,
};
pub use page::{PageSource, RasterSummary, Thumbnail};

use std::time::Duration;

/// Largest number of sheets a single job may take from the tray.
pub const MAX_SHEETS_PER_JOB: u32 = 120;

/// How long the simulated hardware needs for `impressions` at `pages_per_minute`.
///
/// The simulation runs ten thousand times faster than a real device so the shop finishes quickly.
pub fn print_time(impressions: u32, pages_per_minute: u32) -> Duration {
    let ppm = pages_per_minute.max(1) as u64;
    let micros = impressions as u64 * 6_000 / ppm;
    Duration::from_micros(micros.max(100))
}

/// Money is kept in cents everywhere.
pub fn format_cents(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}${}.{:02}", abs / 100, abs % 100)
}
