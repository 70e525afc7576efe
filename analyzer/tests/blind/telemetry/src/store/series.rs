use crate::model::MetricKind;

/// Default latency buckets, in seconds.
pub const DEFAULT_BOUNDS: [f64; 10] = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0];

const BUCKET_BYTES: usize = 16;
const SERIES_OVERHEAD: usize = 64;

#[derive(Clone, Debug)]
pub struct Histogram {
    bounds: Vec<f64>,
    /// One count per bound plus a trailing overflow bucket.
    counts: Vec<u64>,
    sum: f64,
    count: u64,
}

impl Histogram {
    pub fn new(bounds: &[f64]) -> Self {
        Histogram {
            bounds: bounds.to_vec(),
            counts: vec![0; bounds.len() + 1],
            sum: 0.0,
            count: 0,
        }
    }

    pub fn observe(&mut self, v: f64) {
        let idx = self
            .bounds
            .iter()
            .position(|b| v <= *b)
            .unwrap_or(self.bounds.len());
        self.counts[idx] += 1;
        self.sum += v;
        self.count += 1;
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn sum(&self) -> f64 {
        self.sum
    }

    pub fn mean(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.sum / self.count as f64
        }
    }

    /// Upper bound of the bucket holding the q-quantile.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let rank = (q.clamp(0.0, 1.0) * self.count as f64).ceil() as u64;
        let mut seen = 0;
        for (i, c) in self.counts.iter().enumerate() {
            seen += c;
            if seen >= rank {
                return self.bounds.get(i).copied().unwrap_or(f64::INFINITY);
            }
        }
        f64::INFINITY
    }

    /// Drops unused upper buckets of a histogram whose overflow bucket is
    /// empty. Returns the number of bytes reclaimed.
    pub fn compact(&mut self) -> usize {
        if self.counts.last().copied().unwrap_or(0) != 0 {
            return 0;
        }
        let used = self.counts[..self.bounds.len()]
            .iter()
            .rposition(|c| *c != 0)
            .map_or(1, |i| i + 1);
        if used >= self.bounds.len() {
            return 0;
        }
        let removed = self.bounds.len() - used;
        self.bounds.truncate(used);
        self.counts.truncate(used + 1);
        removed * BUCKET_BYTES
    }

    fn bytes(&self) -> usize {
        self.counts.len() * BUCKET_BYTES
    }
}

#[derive(Clone, Debug)]
pub enum Series {
    Counter(f64),
    Gauge(f64),
    Histogram(Histogram),
}

#[derive(Clone, Debug, PartialEq)]
pub enum SeriesPoint {
    Counter(f64),
    Gauge(f64),
    Histogram { count: u64, sum: f64, p50: f64, p99: f64 },
}

impl Series {
    pub fn new(kind: MetricKind) -> Self {
        match kind {
            MetricKind::Counter => Series::Counter(0.0),
            MetricKind::Gauge => Series::Gauge(0.0),
            MetricKind::Histogram => Series::Histogram(Histogram::new(&DEFAULT_BOUNDS)),
        }
    }

    pub fn apply(&mut self, v: f64) {
        match self {
            Series::Counter(c) => *c += v.max(0.0),
            Series::Gauge(g) => *g = v,
            Series::Histogram(h) => h.observe(v),
        }
    }

    pub fn point(&self) -> SeriesPoint {
        match self {
            Series::Counter(c) => SeriesPoint::Counter(*c),
            Series::Gauge(g) => SeriesPoint::Gauge(*g),
            Series::Histogram(h) => SeriesPoint::Histogram {
                count: h.count(),
                sum: h.sum(),
                p50: h.quantile(0.5),
                p99: h.quantile(0.99),
            },
        }
    }

    /// A single number for alert evaluation.
    pub fn scalar(&self) -> f64 {
        match self {
            Series::Counter(c) => *c,
            Series::Gauge(g) => *g,
            Series::Histogram(h) => h.mean(),
        }
    }

    pub fn approx_bytes(&self) -> usize {
        match self {
            Series::Histogram(h) => SERIES_OVERHEAD + h.bytes(),
            _ => SERIES_OVERHEAD,
        }
    }
}

#[derive(Clone, Debug)]
pub struct SeriesEntry {
    pub series: Series,
    pub created_ms: u64,
    pub last_seen_ms: u64,
}
