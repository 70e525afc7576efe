use crate::model::{mean, Round};

/// A statistic over a series of values; runs on pool workers, so it must be shareable.
pub trait Statistic: Send + Sync + 'static {
    fn name(&self) -> &'static str;
    fn compute(&self, values: &[f64]) -> f64;
}

/// The mean after dropping a fraction of the lowest and highest values.
#[derive(Debug, Clone, Copy)]
pub struct TrimmedMean {
    pub trim: f64,
}

impl Default for TrimmedMean {
    fn default() -> Self {
        TrimmedMean { trim: 0.1 }
    }
}

impl Statistic for TrimmedMean {
    fn name(&self) -> &'static str {
        "trimmed-mean"
    }

    fn compute(&self, values: &[f64]) -> f64 {
        if values.len() < 3 {
            return mean(values);
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(|a, b| a.total_cmp(b));
        let cut = ((sorted.len() as f64) * self.trim.clamp(0.0, 0.45)).floor() as usize;
        mean(&sorted[cut..sorted.len() - cut])
    }
}

fn bounds(values: &[f64]) -> (f64, f64) {
    values
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v)))
}

/// A summary across every device in a batch.
#[derive(Debug, Clone, PartialEq)]
pub struct Overall {
    pub round: Round,
    pub count: usize,
    pub centre: f64,
    pub min: f64,
    pub max: f64,
}

impl Overall {
    pub fn of<S: Statistic + ?Sized>(statistic: &S, values: &[f64], round: Round) -> Self {
        let (min, max) = if values.is_empty() { (0.0, 0.0) } else { bounds(values) };
        Overall {
            round,
            count: values.len(),
            centre: statistic.compute(values),
            min,
            max,
        }
    }
}
