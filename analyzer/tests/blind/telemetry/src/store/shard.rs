use std::collections::HashMap;

use super::series::{Series, SeriesEntry, SeriesPoint};
use crate::model::{Sample, SeriesKey, TenantId};

/// Outcome of folding one sample into a shard.
#[derive(Clone, Copy, Debug)]
pub struct Upsert {
    pub created: bool,
    pub bytes_delta: isize,
}

/// One partition of the series map. Always accessed under its own lock.
pub struct Shard {
    id: usize,
    series: HashMap<SeriesKey, SeriesEntry>,
    writes: u64,
}

impl Shard {
    pub fn new(id: usize) -> Self {
        Shard {
            id,
            series: HashMap::new(),
            writes: 0,
        }
    }

    pub fn id(&self) -> usize {
        self.id
    }

    pub fn len(&self) -> usize {
        self.series.len()
    }

    pub fn is_empty(&self) -> bool {
        self.series.is_empty()
    }

    pub fn writes(&self) -> u64 {
        self.writes
    }

    pub fn upsert(&mut self, sample: &Sample) -> Upsert {
        self.writes += 1;
        if let Some(entry) = self.series.get_mut(&sample.key) {
            let before = entry.series.approx_bytes() as isize;
            entry.series.apply(sample.value);
            entry.last_seen_ms = entry.last_seen_ms.max(sample.ts_ms);
            let after = entry.series.approx_bytes() as isize;
            return Upsert {
                created: false,
                bytes_delta: after - before,
            };
        }
        let mut series = Series::new(sample.kind);
        series.apply(sample.value);
        let bytes = series.approx_bytes() as isize;
        self.series.insert(
            sample.key.clone(),
            SeriesEntry {
                series,
                created_ms: sample.ts_ms,
                last_seen_ms: sample.ts_ms,
            },
        );
        Upsert {
            created: true,
            bytes_delta: bytes,
        }
    }

    pub fn get(&self, key: &SeriesKey) -> Option<&SeriesEntry> {
        self.series.get(key)
    }

    pub fn take(&mut self, key: &SeriesKey) -> Option<SeriesEntry> {
        self.series.remove(key)
    }

    pub fn put(&mut self, key: SeriesKey, entry: SeriesEntry) -> Option<SeriesEntry> {
        self.series.insert(key, entry)
    }

    /// Removes series not written since `cutoff_ms`; returns keys and freed bytes.
    pub fn remove_stale(&mut self, cutoff_ms: u64) -> Vec<(SeriesKey, usize)> {
        let stale: Vec<SeriesKey> = self
            .series
            .iter()
            .filter(|(_, e)| e.last_seen_ms < cutoff_ms)
            .map(|(k, _)| k.clone())
            .collect();
        self.remove_keys(stale)
    }

    pub fn remove_tenant(&mut self, tenant: TenantId) -> Vec<(SeriesKey, usize)> {
        let keys: Vec<SeriesKey> = self
            .series
            .keys()
            .filter(|k| k.tenant == tenant)
            .cloned()
            .collect();
        self.remove_keys(keys)
    }

    fn remove_keys(&mut self, keys: Vec<SeriesKey>) -> Vec<(SeriesKey, usize)> {
        keys.into_iter()
            .filter_map(|k| {
                let entry = self.series.remove(&k)?;
                Some((k, entry.series.approx_bytes()))
            })
            .collect()
    }

    /// Compacts histograms that have been idle since `cold_before_ms`.
    pub fn compact_cold(&mut self, cold_before_ms: u64) -> usize {
        self.series
            .values_mut()
            .filter(|e| e.last_seen_ms < cold_before_ms)
            .map(|e| match &mut e.series {
                Series::Histogram(h) => h.compact(),
                _ => 0,
            })
            .sum()
    }

    pub fn snapshot(&self) -> Vec<(SeriesKey, SeriesPoint)> {
        let mut points: Vec<(SeriesKey, SeriesPoint)> = self
            .series
            .iter()
            .map(|(k, e)| (k.clone(), e.series.point()))
            .collect();
        points.sort_by(|a, b| a.0.cmp(&b.0));
        points
    }
}
