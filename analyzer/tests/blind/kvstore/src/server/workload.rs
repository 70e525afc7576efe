//! Deterministic command mixes for the built-in load generator.

/// xorshift64*, enough to spread keys around.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

const ACCOUNTS: u64 = 8;
const COUNTERS: u64 = 3;
const KEYS: u64 = 64;

/// Builds the script for session `session`. Every session starts by funding
/// its share of the accounts and then issues a weighted random mix.
pub fn generate(session: usize, count: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng::new(seed ^ (session as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let mut script = Vec::with_capacity(count + ACCOUNTS as usize);
    for acct in 0..ACCOUNTS {
        if acct as usize % 3 == session % 3 {
            script.push(format!("INCRBY acct:{acct} 1000"));
        }
    }
    for _ in 0..count {
        let roll = rng.below(100);
        let key = format!("k:{}", rng.below(KEYS));
        let line = match roll {
            0..=19 => format!("GET {key}"),
            20..=29 => format!("SET {key} v{}", rng.below(10_000)),
            30..=37 => format!("SET {key} t{} PX {}", rng.below(100), 5 + rng.below(40)),
            38..=41 => format!("TTL {key}"),
            42..=51 => format!("INCR ctr:{}", rng.below(COUNTERS)),
            52..=55 => format!("INCRBY ctr:{} {}", rng.below(COUNTERS), session + 1),
            56..=63 => {
                let from = rng.below(ACCOUNTS);
                let to = (from + 1 + rng.below(ACCOUNTS - 1)) % ACCOUNTS;
                format!("TRANSFER acct:{from} acct:{to} {}", 1 + rng.below(25))
            }
            64..=67 => {
                let a = rng.below(ACCOUNTS);
                let b = (a + 1 + rng.below(ACCOUNTS - 1)) % ACCOUNTS;
                format!("SWAP acct:{a} acct:{b}")
            }
            68..=70 => format!("RENAME {key} k:{}", rng.below(KEYS)),
            71..=74 => format!("DEL {key}"),
            75..=79 => format!("SETR {key} r{}", rng.below(1000)),
            80..=83 => "SYNC".to_string(),
            84..=85 => "SNAPSHOT".to_string(),
            86 => format!("SNAPWAIT {}", rng.below(4)),
            87 if session == 0 => "COMPACT".to_string(),
            87..=89 => "STATS".to_string(),
            _ => format!("GET acct:{}", rng.below(ACCOUNTS)),
        };
        script.push(line);
    }
    script.push("QUIT".to_string());
    script
}
