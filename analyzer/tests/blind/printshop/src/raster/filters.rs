//! Post-processing applied to every rasterized page.

use crate::model::ColorMode;

/// An ink-density bitmap: 0 is bare paper, 255 full ink.
#[derive(Debug, Clone)]
pub struct Bitmap {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

impl Bitmap {
    pub fn new(width: u32, height: u32) -> Self {
        Bitmap { width, height, data: vec![0; (width * height) as usize] }
    }

    fn index(&self, x: u32, y: u32) -> usize {
        (y * self.width + x) as usize
    }

    pub fn set(&mut self, x: u32, y: u32, v: u8) {
        let i = self.index(x, y);
        self.data[i] = v;
    }

    pub fn coverage(&self) -> f32 {
        if self.data.is_empty() {
            return 0.0;
        }
        let inked: u64 = self.data.iter().map(|&v| v as u64).sum();
        inked as f32 / (self.data.len() as f32 * 255.0)
    }

    pub fn checksum(&self) -> u64 {
        self.data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
    }
}

pub trait PageFilter: Send + Sync {
    fn name(&self) -> &'static str;

    fn applies_to(&self, _color: ColorMode) -> bool {
        true
    }

    fn apply(&self, bitmap: &mut Bitmap);
}

/// Snaps every pixel to bare paper or full ink.
pub struct Threshold {
    pub level: u8,
}

impl PageFilter for Threshold {
    fn name(&self) -> &'static str {
        "threshold"
    }

    fn applies_to(&self, color: ColorMode) -> bool {
        color == ColorMode::Mono
    }

    fn apply(&self, bitmap: &mut Bitmap) {
        for v in bitmap.data.iter_mut() {
            *v = if *v >= self.level { 255 } else { 0 };
        }
    }
}

/// Caps total ink so colour pages dry before the next sheet lands on them.
pub struct InkLimit {
    pub max: u8,
}

impl PageFilter for InkLimit {
    fn name(&self) -> &'static str {
        "ink-limit"
    }

    fn applies_to(&self, color: ColorMode) -> bool {
        color == ColorMode::Color
    }

    fn apply(&self, bitmap: &mut Bitmap) {
        for v in bitmap.data.iter_mut() {
            *v = (*v).min(self.max);
        }
    }
}

/// The ordered list of filters a page goes through.
pub struct FilterChain {
    filters: Vec<Box<dyn PageFilter>>,
}

impl FilterChain {
    pub fn new() -> Self {
        FilterChain { filters: Vec::new() }
    }

    pub fn with(mut self, filter: impl PageFilter + 'static) -> Self {
        self.filters.push(Box::new(filter));
        self
    }

    pub fn standard() -> Self {
        FilterChain::new().with(InkLimit { max: 220 }).with(Threshold { level: 96 })
    }

    pub fn run(&self, color: ColorMode, bitmap: &mut Bitmap) -> Vec<&'static str> {
        let mut applied = Vec::new();
        for filter in self.filters.iter().filter(|f| f.applies_to(color)) {
            filter.apply(bitmap);
            applied.push(filter.name());
        }
        applied
    }
}

impl Default for FilterChain {
    fn default() -> Self {
        FilterChain::standard()
    }
}
