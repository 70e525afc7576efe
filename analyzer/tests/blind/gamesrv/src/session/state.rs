use std::collections::HashMap;

use crate::types::{MatchId, PlayerId, RoomId, GLOBAL_ROOM};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionState {
    Lobby,
    Queued { ranked: bool },
    InMatch(MatchId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Item {
    Potion,
    Shield,
    Sword,
    Mount,
}

impl Item {
    pub const ALL: [Item; 4] = [Item::Potion, Item::Shield, Item::Sword, Item::Mount];

    pub fn price(self) -> u64 {
        match self {
            Item::Potion => 10,
            Item::Shield => 35,
            Item::Sword => 50,
            Item::Mount => 120,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Session {
    pub player: PlayerId,
    pub name: String,
    pub guest: bool,
    pub gold: u64,
    pub rating: u32,
    pub state: SessionState,
    pub inventory: HashMap<Item, u32>,
    pub room: RoomId,
    pub wins: u32,
    pub losses: u32,
}

impl Session {
    pub fn new(player: PlayerId, name: String, guest: bool, gold: u64) -> Self {
        Session {
            player,
            name,
            guest,
            gold,
            rating: 1_200,
            state: SessionState::Lobby,
            inventory: HashMap::new(),
            room: GLOBAL_ROOM,
            wins: 0,
            losses: 0,
        }
    }

    pub fn is_idle(&self) -> bool {
        self.state == SessionState::Lobby
    }

    pub fn apply_result(&mut self, won: bool, rating_delta: i32, reward: u64) {
        if won {
            self.wins += 1;
            self.gold += reward;
        } else {
            self.losses += 1;
        }
        self.rating = (self.rating as i64 + rating_delta as i64).clamp(100, 4_000) as u32;
        self.state = SessionState::Lobby;
    }
}
