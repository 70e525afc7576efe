use crate::wal::Record;

pub type FollowerId = usize;

/// Leader → follower.
#[derive(Debug)]
pub enum ReplMsg {
    Apply(Record),
    /// Catch-up batch for a follower that fell too far behind.
    Resync(Vec<Record>),
    Shutdown,
}

/// Follower → leader, one per applied record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ack {
    pub follower: FollowerId,
    pub lsn: u64,
}

#[derive(Debug, Default, Clone)]
pub struct LagReport {
    pub head: u64,
    pub live: usize,
    pub resynced: usize,
    pub evicted: usize,
    pub max_lag: u64,
}
