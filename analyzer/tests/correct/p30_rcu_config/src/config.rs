use std::collections::BTreeMap;

use racecheck::Lock;

pub struct Config {
    /// Serializes writers; readers never take it.
    writer: Lock<()>,
    current: Lock<BTreeMap<String, u64>>,
}

impl Config {
    pub fn new() -> Self {
        Config { writer: Lock::new(()), current: Lock::new(BTreeMap::new()) }
    }
    /// Copy, edit the copy outside the data lock, publish. Writers hold `writer` throughout, so
    /// no other write can land between the copy and the publish.
    pub fn update(&self, key: &str, value: u64) {
        let _w = self.writer.acquire();
        let mut next = self.current.acquire().clone();
        next.insert(key.to_string(), value);
        validate(&next);
        *self.current.acquire() = next;
    }
    pub fn snapshot(&self) -> BTreeMap<String, u64> {
        self.current.acquire().clone()
    }
}

fn validate(m: &BTreeMap<String, u64>) {
    assert!(m.values().all(|v| *v < 1000));
}
