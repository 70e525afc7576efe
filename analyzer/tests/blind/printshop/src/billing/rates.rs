//! Prices, read by every renderer for every job.

use std::collections::HashMap;

use racecheck::RLock;

use crate::model::{ColorMode, JobSpec, PaperSize, Priority};

#[derive(Debug, Clone)]
pub struct RateCard {
    pub per_page_mono: i64,
    pub per_page_color: i64,
    pub duplex_discount_pct: i64,
    pub rush_surcharge_pct: i64,
    pub paper: HashMap<PaperSize, i64>,
    pub heavy_ink_per_page: i64,
}

impl Default for RateCard {
    fn default() -> Self {
        let paper = [(PaperSize::A4, 1), (PaperSize::Letter, 1), (PaperSize::A3, 4)].into_iter().collect();
        RateCard {
            per_page_mono: 8,
            per_page_color: 35,
            duplex_discount_pct: 10,
            rush_surcharge_pct: 50,
            paper,
            heavy_ink_per_page: 3,
        }
    }
}

pub struct Rates {
    card: RLock<RateCard>,
}

impl Rates {
    pub fn new(card: RateCard) -> Self {
        Rates { card: RLock::new(card) }
    }

    /// The price of a job in cents, before ink surcharges.
    pub fn price(&self, spec: &JobSpec) -> i64 {
        let card = self.card.acquire();
        let per_page = match spec.color {
            ColorMode::Mono => card.per_page_mono,
            ColorMode::Color => card.per_page_color,
        };
        let paper = card.paper.get(&spec.paper).copied().unwrap_or(1);
        let mut base = (per_page + paper) * spec.impressions() as i64;
        if spec.duplex {
            base -= base * card.duplex_discount_pct / 100;
        }
        base + self.surcharge(spec, base)
    }

    fn surcharge(&self, spec: &JobSpec, base: i64) -> i64 {
        let card = self.card.acquire(); // CLEAN: double-lock: `card` is an RLock, re-entered by the thread already holding it in price()
        match spec.priority {
            Priority::Rush => base * card.rush_surcharge_pct / 100,
            Priority::Normal => 0,
        }
    }

    /// Extra for pages that came out of the raster stage unusually dark.
    pub fn ink_surcharge(&self, mean_coverage: f32, pages: usize) -> i64 {
        if mean_coverage < 0.45 {
            return 0;
        }
        let per_page = self.card.acquire().heavy_ink_per_page;
        per_page * pages as i64
    }
}
