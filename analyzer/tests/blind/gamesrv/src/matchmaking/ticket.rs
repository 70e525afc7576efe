use std::sync::mpsc::SyncSender;
use std::time::Instant;

use crate::types::{MatchId, PlayerId, RoomId};

const ELO_K: f32 = 32.0;
const MAX_QUEUE_SPREAD: u32 = 400;

pub struct Ticket {
    pub player: PlayerId,
    pub rating: u32,
    pub ranked: bool,
    pub queued_at: Instant,
    pub reply: SyncSender<MatchAssignment>,
}

impl Ticket {
    /// Acceptable rating distance grows the longer the ticket waits.
    pub fn spread(&self) -> u32 {
        let waited = self.queued_at.elapsed().as_millis() as u32;
        (100 + waited / 5).min(MAX_QUEUE_SPREAD)
    }
}

#[derive(Debug, Clone)]
pub struct MatchAssignment {
    pub match_id: MatchId,
    pub room: RoomId,
    pub opponent: PlayerId,
}

pub trait MatchSink: Send + Sync {
    fn assign_match(&self, pid: PlayerId, assignment: &MatchAssignment);
    fn finish_match(&self, pid: PlayerId, won: bool, rating_delta: i32, reward: u64);
}

pub fn expected_score(rating: u32, opponent: u32) -> f32 {
    let diff = opponent as f32 - rating as f32;
    1.0 / (1.0 + 10f32.powf(diff / 400.0))
}

pub fn rating_delta(rating: u32, opponent: u32, won: bool) -> i32 {
    let expected = expected_score(rating, opponent);
    let actual = if won { 1.0 } else { 0.0 };
    (ELO_K * (actual - expected)).round() as i32
}

pub fn match_quality(a: &Ticket, b: &Ticket) -> f32 {
    let diff = (a.rating as i64 - b.rating as i64).unsigned_abs() as f32;
    let mode_penalty = if a.ranked == b.ranked { 0.0 } else { 0.25 };
    (1.0 - diff / MAX_QUEUE_SPREAD as f32).max(0.0) - mode_penalty
}

/// Index of the best opponent for `first` among the waiting tickets.
pub fn best_opponent<'a, I>(first: &Ticket, waiting: I) -> Option<usize>
where
    I: IntoIterator<Item = &'a Ticket>,
{
    let mut best: Option<(usize, f32)> = None;
    for (idx, t) in waiting.into_iter().enumerate() {
        let within = (first.rating as i64 - t.rating as i64).unsigned_abs() as u32 <= first.spread().max(t.spread());
        let q = match_quality(first, t) + if within { 1.0 } else { 0.0 };
        if best.map_or(true, |(_, bq)| q > bq) {
            best = Some((idx, q));
        }
    }
    best.map(|(i, _)| i)
}
