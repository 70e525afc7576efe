use parking_lot::Mutex;
use super::RoomTable;
use crate::protocol::{Message, RoomId, UserId};

/// Observers registered on the room directory.
pub trait RoomListener: Send + Sync {
    fn on_post(&self, msg: &Message);
    fn on_join(&self, _room: RoomId, _user: UserId) {}
}

/// Keeps per-member unread counters inside each room.
pub struct UnreadCounter { pub table: RoomTable }

impl RoomListener for UnreadCounter {
    fn on_post(&self, msg: &Message) {
        if let Some(room) = self.table.read().get(&msg.room).cloned() {
            let mut room = room.lock();
            room.bump_unread_except(msg.author);
        }
    }
}

/// In-memory audit trail for moderators.
#[derive(Default)]
pub struct AuditTrail { pub lines: Mutex<Vec<String>> }

impl RoomListener for AuditTrail {
    fn on_post(&self, msg: &Message) { self.lines.lock().push(format!("{:?} post by {:?}", msg.room, msg.author)) }
    fn on_join(&self, room: RoomId, user: UserId) { self.lines.lock().push(format!("{:?} join {:?}", room, user)) }
}
