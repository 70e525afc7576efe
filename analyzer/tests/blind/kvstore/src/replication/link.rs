use std::sync::mpsc::{Receiver, Sender, TryRecvError};
use std::time::{Duration, Instant};

use super::protocol::{Ack, FollowerId, ReplMsg};

const RESYNC_BACKOFF: Duration = Duration::from_millis(100);

/// The leader's end of one follower connection.
pub struct FollowerLink {
    pub id: FollowerId,
    pub tx: Sender<ReplMsg>,
    pub ack_rx: Receiver<Ack>,
    pub acked_lsn: u64,
    pub checkpoint_lsn: u64,
    pub alive: bool,
    pub resyncs: u64,
    last_ack: Instant,
    last_resync: Option<Instant>,
}

#[derive(Debug)]
pub struct Disconnected;

impl FollowerLink {
    pub fn new(id: FollowerId, tx: Sender<ReplMsg>, ack_rx: Receiver<Ack>, start_lsn: u64) -> Self {
        FollowerLink {
            id,
            tx,
            ack_rx,
            acked_lsn: start_lsn,
            checkpoint_lsn: start_lsn,
            alive: true,
            resyncs: 0,
            last_ack: Instant::now(),
            last_resync: None,
        }
    }

    pub fn record_ack(&mut self, ack: Ack) {
        debug_assert_eq!(ack.follower, self.id);
        if ack.lsn > self.acked_lsn {
            self.acked_lsn = ack.lsn;
        }
        self.last_ack = Instant::now();
    }

    /// Consumes every acknowledgement already queued, without blocking.
    pub fn drain_acks(&mut self) -> Result<usize, Disconnected> {
        let mut n = 0;
        loop {
            match self.ack_rx.try_recv() {
                Ok(ack) => {
                    self.record_ack(ack);
                    n += 1;
                }
                Err(TryRecvError::Empty) => return Ok(n),
                Err(TryRecvError::Disconnected) => return Err(Disconnected),
            }
        }
    }

    pub fn lag(&self, head: u64) -> u64 {
        head.saturating_sub(self.acked_lsn)
    }

    pub fn can_resync(&self, now: Instant) -> bool {
        self.last_resync.map_or(true, |at| now.duration_since(at) >= RESYNC_BACKOFF)
    }

    pub fn mark_resync(&mut self, now: Instant) {
        self.last_resync = Some(now);
        self.resyncs += 1;
    }
}
