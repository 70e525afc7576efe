//! Sharding an exploration over several processes or machines: `RACECHECK_PARTITION=k/N` runs
//! the k-th of N disjoint shares of the schedules. A sampling strategy's share is every schedule
//! whose index is `k - 1` modulo `N` (schedule `i` depends on (seed, i) alone, so the shares of
//! one seed are exactly the unsharded run's schedules); the exhaustive search's share is a set of
//! subtrees of its search (see `scheduler::dpor`).

use std::fmt;

/// The share `shard` of `shards` (`shard` from 1): [`Partition::WHOLE`] is every schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Partition {
    /// Which share, from 1.
    pub shard: usize,
    /// How many shares the schedules are cut into.
    pub shards: usize,
}

impl Partition {
    /// One share holding every schedule: an unsharded run.
    pub const WHOLE: Partition = Partition {
        shard: 1,
        shards: 1,
    };

    /// Share `shard` (from 1) of `shards`; `Err` unless `1 <= shard <= shards`.
    pub fn new(shard: usize, shards: usize) -> Result<Self, String> {
        if shards == 0 {
            return Err(format!(
                "partition {shard}/{shards} has no shares: N must be at least 1"
            ));
        }
        if shard == 0 || shard > shards {
            return Err(format!(
                "partition {shard}/{shards} names no share: k must be from 1 to {shards}"
            ));
        }
        Ok(Partition { shard, shards })
    }

    /// Whether this share holds unit `unit`: a sampling strategy's schedule index (the
    /// exhaustive search deals its units by weight instead, see `scheduler::dpor`).
    pub fn owns(self, unit: usize) -> bool {
        unit % self.shards == self.shard - 1
    }

    /// How many of the units below `end` this share holds.
    pub fn count_below(self, end: usize) -> usize {
        (end + self.shards - self.shard) / self.shards
    }

    /// Whether it is the whole of the schedules.
    pub fn is_whole(self) -> bool {
        self.shards == 1
    }
}

impl Default for Partition {
    fn default() -> Self {
        Partition::WHOLE
    }
}

impl fmt::Display for Partition {
    /// `k/N`, as `RACECHECK_PARTITION` takes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.shard, self.shards)
    }
}

impl std::str::FromStr for Partition {
    type Err = String;

    /// `k/N` with `1 <= k <= N`.
    fn from_str(text: &str) -> Result<Self, String> {
        let malformed =
            || format!("a partition is `k/N` (share k of N, 1 <= k <= N), not {text:?}");
        let (shard, shards) = text.trim().split_once('/').ok_or_else(malformed)?;
        let number = |part: &str| part.trim().parse::<usize>().map_err(|_| malformed());
        Partition::new(number(shard)?, number(shards)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_split_the_indices_by_remainder() {
        let shares: Vec<Partition> = (1..=3).map(|k| Partition::new(k, 3).unwrap()).collect();
        for index in 0..30 {
            let owners = shares.iter().filter(|share| share.owns(index)).count();
            assert_eq!(owners, 1, "schedule {index}");
        }
        assert!(shares[0].owns(0) && shares[1].owns(4) && shares[2].owns(8));
        assert!((0..10).all(|index| Partition::WHOLE.owns(index)));
        for share in &shares {
            for end in 0..12 {
                let owned = (0..end).filter(|&index| share.owns(index)).count();
                assert_eq!(share.count_below(end), owned, "{share} below {end}");
            }
        }
    }

    #[test]
    fn partitions_parse_from_k_slash_n() {
        assert_eq!(" 2/4 ".parse(), Ok(Partition::new(2, 4).unwrap()));
        assert_eq!("1/1".parse::<Partition>(), Ok(Partition::WHOLE));
        assert_eq!(Partition::new(3, 8).unwrap().to_string(), "3/8");
    }

    #[test]
    fn bad_partitions_are_errors_saying_why() {
        assert_eq!(
            "0/3".parse::<Partition>().unwrap_err(),
            "partition 0/3 names no share: k must be from 1 to 3"
        );
        assert_eq!(
            "4/3".parse::<Partition>().unwrap_err(),
            "partition 4/3 names no share: k must be from 1 to 3"
        );
        assert_eq!(
            "1/0".parse::<Partition>().unwrap_err(),
            "partition 1/0 has no shares: N must be at least 1"
        );
        for garbage in ["", "2", "a/b", "1/2/3", "-1/2", "1 of 2"] {
            assert!(
                garbage
                    .parse::<Partition>()
                    .unwrap_err()
                    .starts_with("a partition is `k/N`"),
                "{garbage}"
            );
        }
    }
}
