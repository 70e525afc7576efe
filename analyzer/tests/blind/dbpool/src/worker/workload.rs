//! Synthetic client workload.

use crate::router::Operation;

/// xorshift64*; deterministic per worker.
pub struct Rng(u64);

impl Rng {
    pub fn seeded(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

#[derive(Debug, Clone)]
pub enum Step {
    Read { key: i64 },
    Write { key: i64, value: i64, payload: Vec<u8> },
    Increment { key: i64, delta: i64 },
    Delete { key: i64 },
    Transfer { from: i64, to: i64, amount: i64 },
    Commit,
    Explain { key: i64 },
    Refresh,
}

impl Step {
    pub fn is_write(&self) -> bool {
        matches!(self, Step::Write { .. } | Step::Increment { .. } | Step::Delete { .. })
    }

    pub fn operation(&self) -> Option<(i64, Operation)> {
        match self {
            Step::Read { key } => Some((*key, Operation::Get)),
            Step::Write { key, value, payload } => {
                Some((*key, Operation::Put { value: *value, payload: payload.clone() }))
            }
            Step::Increment { key, delta } => Some((*key, Operation::Increment { delta: *delta })),
            Step::Delete { key } => Some((*key, Operation::Delete)),
            _ => None,
        }
    }

    pub fn encode(&self) -> Vec<u8> {
        format!("{self:?}").into_bytes()
    }
}

pub struct Workload {
    key_space: i64,
    templates: usize,
}

impl Workload {
    pub fn new(key_space: i64, templates: usize) -> Self {
        Workload { key_space: key_space.max(1), templates: templates.max(1) }
    }

    pub fn next(&self, rng: &mut Rng) -> Step {
        let key = rng.below(self.key_space as u64) as i64;
        match rng.below(100) {
            0..=44 => Step::Read { key },
            45..=69 => {
                let len = 16 + rng.below(240) as usize;
                Step::Write { key, value: rng.below(10_000) as i64, payload: vec![b'x'; len] }
            }
            70..=79 => Step::Increment { key, delta: rng.below(20) as i64 - 5 },
            80..=84 => Step::Delete { key },
            85..=91 => Step::Transfer {
                from: key,
                to: rng.below(self.key_space as u64) as i64,
                amount: 1 + rng.below(10) as i64,
            },
            92..=96 => Step::Commit,
            97..=98 => Step::Explain { key },
            _ => Step::Refresh,
        }
    }

    pub fn sql_for(&self, step: &Step) -> String {
        let table = |key: &i64| key.rem_euclid(self.templates as i64);
        match step {
            Step::Read { key } | Step::Explain { key } => {
                format!("SELECT v, payload FROM kv_{} WHERE k = ?", table(key))
            }
            Step::Write { key, .. } => format!("UPSERT INTO kv_{} (k, v, payload) VALUES (?, ?, ?)", table(key)),
            Step::Increment { key, .. } => format!("UPDATE kv_{} SET v = v + ? WHERE k = ?", table(key)),
            Step::Delete { key } => format!("DELETE FROM kv_{} WHERE k = ?", table(key)),
            Step::Transfer { from, .. } => format!("UPDATE kv_{} SET v = v - ? WHERE k = ?", table(from)),
            Step::Commit => "COMMIT".to_string(),
            Step::Refresh => "SELECT 1".to_string(),
        }
    }
}
