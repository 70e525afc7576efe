//! Integer helpers on top of the plain string values.

use super::{Engine, EngineError};
use crate::store::entry::parse_i64;

impl Engine {
    /// Adds `delta` to the integer stored at `key` (missing keys count as 0).
    pub fn incr(&self, key: &str, delta: i64) -> Result<i64, EngineError> {
        let current = match self.get(key) {
            Some(raw) => parse_i64(&raw).ok_or_else(|| EngineError::NotANumber(key.to_string()))?,
            None => 0,
        };
        let next = current
            .checked_add(delta)
            .ok_or_else(|| EngineError::Overflow(key.to_string()))?;
        self.put(key, next.to_string().into_bytes(), None)?; // PLANTED: stale-read: value read under an earlier shard guard in get(); concurrent INCRs on the key are lost
        Ok(next)
    }

    /// Sums a set of integer keys; keys that are missing or not numbers are
    /// skipped.
    pub fn sum_ints<'a, I>(&self, keys: I) -> i64
    where
        I: IntoIterator<Item = &'a str>,
    {
        keys.into_iter()
            .filter_map(|k| self.get(k).and_then(|raw| parse_i64(&raw)))
            .sum()
    }
}
