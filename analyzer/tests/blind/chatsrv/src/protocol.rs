use std::time::{SystemTime, UNIX_EPOCH};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RoomId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UserId(pub u64);

#[derive(Clone, Debug)]
pub struct Message { pub id: u64, pub room: RoomId, pub author: UserId, pub body: String, pub sent_at: u64 }

impl Message {
    pub fn mentions(&self) -> impl Iterator<Item = &str> {
        self.body.split_whitespace().filter_map(|w| w.strip_prefix('@')).filter(|n| !n.is_empty())
    }
}

#[derive(Debug)]
pub enum Command {
    Login { user: UserId, name: String },
    Logout { user: UserId },
    CreateRoom { room: RoomId, title: String },
    Join { user: UserId, room: RoomId },
    Leave { user: UserId, room: RoomId },
    Post { user: UserId, room: RoomId, body: String },
    Upvote { user: UserId },
    Downvote { user: UserId },
    ReadHistory { user: UserId, room: RoomId, limit: usize },
    Export { room: RoomId },
    FlushPush,
    Heartbeat { user: UserId },
    Shutdown,
}

pub fn now_millis() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}
