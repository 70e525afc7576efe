use std::sync::Arc;
use std::time::Duration;

use super::client::Command;
use crate::server::Server;
use crate::session::{Item, SessionError};
use crate::types::{PlayerId, RegionId, Vec2, GLOBAL_ROOM};

#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    Ok,
    Gold(u64),
    Matched { opponent: PlayerId },
    Rejected(String),
}

/// Executes decoded commands on behalf of one connected player.
pub struct CommandHandler {
    server: Arc<Server>,
    player: PlayerId,
}

impl CommandHandler {
    pub fn new(server: Arc<Server>, player: PlayerId) -> Self {
        CommandHandler { server, player }
    }

    pub fn handle(&self, command: Command) -> Reply {
        self.server.metrics.command();
        match command {
            Command::Move { dx, dy } => self.move_by(dx, dy),
            Command::Teleport { region } => self.teleport(RegionId(region)),
            Command::Say { text } => self.say(&text),
            Command::Buy { item } => self.buy(item),
            Command::Rename { name } => match self.server.sessions.rename(self.player, &name) {
                Ok(()) => Reply::Ok,
                Err(e) => reject(e),
            },
            Command::Quest { points } => self.complete_quest(points),
            Command::QueueRanked => self.queue_ranked(),
            Command::QueueCasual => self.queue_casual(),
            Command::SetTopic { text } => {
                let room = self.server.sessions.room_of(self.player).unwrap_or(GLOBAL_ROOM);
                self.server.chat.set_topic(room, &text);
                Reply::Ok
            }
        }
    }

    fn move_by(&self, dx: f32, dy: f32) -> Reply {
        let vel = Vec2::new(dx, dy).clamp_length(self.server.config.max_speed * 4.0);
        match self.server.world.set_player_velocity(self.player, vel) {
            Ok(()) => Reply::Ok,
            Err(e) => Reply::Rejected(format!("{:?}", e)),
        }
    }

    fn teleport(&self, target: RegionId) -> Reply {
        let world = &self.server.world;
        let Some((from, _)) = world.player_position(self.player) else {
            return Reply::Rejected("not in the world".into());
        };
        if target.0 >= world.region_count() {
            return Reply::Rejected("no such region".into());
        }
        let arrival = {
            let region = world.read_region(target);
            region.bounds.center()
        };
        match world.migrate_player(self.player, from, target, arrival) {
            Ok(()) => Reply::Ok,
            Err(e) => Reply::Rejected(format!("{:?}", e)),
        }
    }

    fn say(&self, text: &str) -> Reply {
        let room = self.server.sessions.room_of(self.player).unwrap_or(GLOBAL_ROOM);
        if self.server.chat.say(self.player, room, text) || self.server.chat.say(self.player, GLOBAL_ROOM, text) {
            Reply::Ok
        } else {
            Reply::Rejected("not in a chat room".into())
        }
    }

    fn buy(&self, item: Item) -> Reply {
        let sessions = &self.server.sessions;
        let Some(gold) = sessions.gold(self.player) else {
            return reject(SessionError::NotConnected);
        };
        let price = item.price();
        if gold < price {
            return reject(SessionError::InsufficientGold { have: gold, need: price });
        }
        sessions.add_item(self.player, item);
        sessions.set_gold(self.player, gold - price); // PLANTED: stale-read: balance read earlier by gold(); loot from the tick thread or a match reward credited in between is overwritten
        Reply::Gold(gold - price)
    }

    fn complete_quest(&self, points: i64) -> Reply {
        self.server.leaderboard.add_score(self.player, points);
        match self.server.sessions.add_gold(self.player, points as u64) {
            Some(gold) => Reply::Gold(gold),
            None => reject(SessionError::NotConnected),
        }
    }

    fn queue_ranked(&self) -> Reply {
        match self.server.sessions.queue_for_match(&self.server.matchmaker, self.player) {
            Ok(assignment) => {
                self.server.chat.join(self.player, assignment.room);
                self.server.chat.say(self.player, assignment.room, "gl hf");
                Reply::Matched { opponent: assignment.opponent }
            }
            Err(e) => reject(e),
        }
    }

    fn queue_casual(&self) -> Reply {
        let wait = Duration::from_millis(self.server.config.casual_wait_ms);
        match self.server.sessions.queue_casual(&self.server.matchmaker, self.player, wait) {
            Ok(Some(assignment)) => {
                self.server.chat.join(self.player, assignment.room);
                Reply::Matched { opponent: assignment.opponent }
            }
            Ok(None) => Reply::Rejected("no opponent found".into()),
            Err(e) => reject(e),
        }
    }
}

fn reject(e: SessionError) -> Reply {
    Reply::Rejected(format!("{:?}", e))
}
