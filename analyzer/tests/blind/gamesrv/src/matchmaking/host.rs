use std::sync::Arc;
use std::thread;
use std::time::Duration;

use super::ticket::{expected_score, rating_delta, MatchSink};
use crate::chat::ChatHub;
use crate::leaderboard::Leaderboard;
use crate::world::events::GameEvent;
use crate::world::World;
use crate::types::{MatchId, PlayerId, Rng, RoomId};

#[derive(Debug, Clone, Copy)]
pub struct Contestant {
    pub player: PlayerId,
    pub rating: u32,
}

/// Runs one match to completion on its own thread and reports the result.
pub struct MatchHost {
    pub id: MatchId,
    pub room: RoomId,
    pub a: Contestant,
    pub b: Contestant,
    pub sink: Arc<dyn MatchSink>,
    pub leaderboard: Arc<Leaderboard>,
    pub chat: Arc<ChatHub>,
    pub world: Arc<World>,
    pub duration: Duration,
    pub reward: u64,
}

impl MatchHost {
    pub fn run(self) {
        let mut rng = Rng::new(self.id.0 ^ ((self.a.player.0 as u64) << 16) ^ self.b.player.0 as u64);
        let rounds = 3;
        let mut score_a = 0;
        for round in 0..rounds {
            thread::sleep(self.duration / rounds);
            let p_a = expected_score(self.a.rating, self.b.rating);
            if rng.chance(p_a) {
                score_a += 1;
            }
            self.chat.announce(self.room, format!("round {} of {}: {}-{}", round + 1, rounds, score_a, round + 1 - score_a));
        }
        let (winner, loser) = if score_a * 2 > rounds { (self.a, self.b) } else { (self.b, self.a) };
        let delta = rating_delta(winner.rating, loser.rating, true);
        self.leaderboard.record_match(self.id, winner.player, loser.player, 10 + delta as i64);
        self.sink.finish_match(winner.player, true, delta, self.reward);
        self.sink.finish_match(loser.player, false, -delta, 0);
        self.world.emit(GameEvent::MatchFinished { id: self.id, winner: winner.player, loser: loser.player });
        self.chat.dissolve_room(self.room);
    }
}
