use std::sync::Arc;

use super::physics::Kill;
use crate::chat::ChatHub;
use crate::leaderboard::Leaderboard;
use crate::types::{MatchId, PlayerId, RegionId, GLOBAL_ROOM};

#[derive(Debug, Clone)]
pub enum GameEvent {
    PlayerJoined { player: PlayerId, region: RegionId },
    PlayerLeft { player: PlayerId },
    NpcKilled(Kill),
    RegionChanged { player: PlayerId, from: RegionId, to: RegionId },
    WaveSpawned { region: RegionId, count: usize },
    MatchFinished { id: MatchId, winner: PlayerId, loser: PlayerId },
}

pub trait EventListener {
    fn name(&self) -> &'static str;
    fn on_event(&self, event: &GameEvent);
}

/// Awards a point for every NPC kill.
pub struct KillScoreListener {
    leaderboard: Arc<Leaderboard>,
    points: i64,
}

impl KillScoreListener {
    pub fn new(leaderboard: Arc<Leaderboard>, points: i64) -> Self {
        KillScoreListener { leaderboard, points }
    }
}

impl EventListener for KillScoreListener {
    fn name(&self) -> &'static str {
        "kill-score"
    }

    fn on_event(&self, event: &GameEvent) {
        if let GameEvent::NpcKilled(kill) = event {
            if let Some(pid) = kill.killer {
                self.leaderboard.add_score(pid, self.points);
            }
        }
    }
}

/// Posts notable world events to the global chat room.
pub struct ChatAnnouncer {
    chat: Arc<ChatHub>,
}

impl ChatAnnouncer {
    pub fn new(chat: Arc<ChatHub>) -> Self {
        ChatAnnouncer { chat }
    }
}

impl EventListener for ChatAnnouncer {
    fn name(&self) -> &'static str {
        "chat-announcer"
    }

    fn on_event(&self, event: &GameEvent) {
        let text = match event {
            GameEvent::WaveSpawned { region, count } if *count > 0 => {
                format!("{} new creatures appeared in {}", count, region)
            }
            GameEvent::MatchFinished { id, winner, loser } => {
                format!("{} beat {} in {}", winner, loser, id)
            }
            GameEvent::PlayerJoined { player, region } => format!("{} entered {}", player, region),
            _ => return,
        };
        self.chat.announce(GLOBAL_ROOM, text);
    }
}
