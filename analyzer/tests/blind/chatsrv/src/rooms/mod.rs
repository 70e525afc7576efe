mod listeners;
mod room;

use std::collections::HashMap;
use std::sync::{mpsc, Arc};
use parking_lot::{Mutex, RwLock};
pub use listeners::{AuditTrail, RoomListener, UnreadCounter};
pub use room::Room;
use crate::delivery::MessageSink;
use crate::protocol::{Message, RoomId, UserId};

pub type RoomTable = Arc<RwLock<HashMap<RoomId, Arc<Mutex<Room>>>>>;

pub struct RoomDirectory {
    table: RoomTable,
    listeners: Mutex<Vec<Box<dyn RoomListener>>>,
    sink: Arc<dyn MessageSink>,
    archive: mpsc::Sender<Message>,
}

impl RoomDirectory {
    pub fn new(sink: Arc<dyn MessageSink>, archive: mpsc::Sender<Message>) -> Self {
        RoomDirectory { table: Arc::new(RwLock::new(HashMap::new())), listeners: Mutex::new(Vec::new()), sink, archive }
    }
    pub fn table(&self) -> RoomTable { Arc::clone(&self.table) }
    pub fn add_listener(&self, listener: Box<dyn RoomListener>) { self.listeners.lock().push(listener) }
    pub fn room(&self, id: RoomId) -> Option<Arc<Mutex<Room>>> { self.table.read().get(&id).cloned() }

    /// Admin path: create a room with an explicit title.
    pub fn open_room(&self, id: RoomId, title: &str) -> Arc<Mutex<Room>> {
        let table = self.table.read();
        if let Some(existing) = table.get(&id) {
            return Arc::clone(existing);
        }
        let room = Arc::new(Mutex::new(Room::new(id, title)));
        self.table.write().insert(id, Arc::clone(&room)); // PLANTED: double-lock: the `table` read guard is still alive; parking_lot write() waits for it forever
        room
    }

    /// Join path: rooms spring into existence on first join.
    pub fn ensure_room(&self, id: RoomId) -> Arc<Mutex<Room>> {
        {
            let table = self.table.read();
            if let Some(existing) = table.get(&id) {
                return Arc::clone(existing);
            }
        }
        let mut table = self.table.write(); // CLEAN: double-lock: the read guard's block ended above, so no read guard is alive here
        Arc::clone(table.entry(id).or_insert_with(|| Arc::new(Mutex::new(Room::new(id, "untitled")))))
    }

    pub fn join(&self, room_id: RoomId, user: UserId) -> bool {
        let room = self.ensure_room(room_id);
        let mut guard = room.lock();
        if !guard.add_member(user) { return false; }
        self.notify_join(&guard, user);
        true
    }

    pub fn leave(&self, room_id: RoomId, user: UserId) -> bool {
        self.room(room_id).map_or(false, |room| room.lock().remove_member(user))
    }

    pub fn post(&self, msg: &Message) -> bool {
        let Some(room) = self.room(msg.room) else { return false };
        let mut guard = room.lock();
        if !guard.is_member(msg.author) { return false; }
        guard.last_message = msg.id;
        self.fan_out(&guard, msg); // PLANTED: lock-order: room guard held while fan_out -> MessageSink::deliver -> Outbox::push locks the outbox queues; ChatHandler::handle_leave holds the queues and then locks the room
        drop(guard);
        let _ = self.archive.send(msg.clone());
        self.notify_post(msg);
        true
    }

    pub fn unread_for(&self, room_id: RoomId, user: UserId) -> u32 {
        self.room(room_id).map_or(0, |room| room.lock().take_unread(user))
    }

    fn fan_out(&self, room: &Room, msg: &Message) {
        for member in room.members().filter(|m| *m != msg.author) {
            self.sink.deliver(member, msg);
        }
    }

    fn notify_join(&self, room: &Room, user: UserId) {
        let listeners = self.listeners.lock();
        for listener in listeners.iter() {
            listener.on_join(room.id, user);
        }
    }

    fn notify_post(&self, msg: &Message) {
        let listeners = self.listeners.lock();
        for listener in listeners.iter() {
            listener.on_post(msg); // PLANTED: lock-order: listeners guard held while UnreadCounter::on_post locks the room; join() holds the room and then locks listeners in notify_join
        }
    }
}
