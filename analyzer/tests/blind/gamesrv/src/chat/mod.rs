pub mod fanout;

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Mutex, TryLockError};
use std::thread;
use std::time::Duration;

use crate::types::{now_millis, PlayerId, RoomId, GLOBAL_ROOM};

#[derive(Debug, Clone)]
pub struct ChatLine {
    pub id: u64,
    pub room: RoomId,
    pub from: Option<PlayerId>,
    pub text: String,
    pub at: u64,
}

pub enum ChatEnvelope {
    Line(ChatLine),
    Shutdown,
}

#[derive(Debug)]
pub struct Room {
    pub id: RoomId,
    pub topic: String,
    pub members: HashSet<PlayerId>,
}

impl Room {
    fn new(id: RoomId) -> Self {
        Room { id, topic: String::new(), members: HashSet::new() }
    }
}

pub struct ChatHub {
    subscribers: Mutex<HashMap<PlayerId, SyncSender<ChatLine>>>,
    rooms: Mutex<HashMap<RoomId, Room>>,
    inbound: Sender<ChatEnvelope>,
    inbound_rx: Mutex<Option<Receiver<ChatEnvelope>>>,
    next_line: AtomicU64,
    buffer: usize,
}

impl ChatHub {
    pub fn new(buffer: usize) -> Self {
        let (inbound, rx) = mpsc::channel();
        let mut rooms = HashMap::new();
        rooms.insert(GLOBAL_ROOM, Room::new(GLOBAL_ROOM));
        ChatHub {
            subscribers: Mutex::new(HashMap::new()),
            rooms: Mutex::new(rooms),
            inbound,
            inbound_rx: Mutex::new(Some(rx)),
            next_line: AtomicU64::new(1),
            buffer,
        }
    }

    pub(crate) fn take_receiver(&self) -> Option<Receiver<ChatEnvelope>> {
        self.inbound_rx.lock().unwrap().take()
    }

    fn make_line(&self, room: RoomId, from: Option<PlayerId>, text: String) -> ChatLine {
        let id = self.next_line.fetch_add(1, Ordering::Relaxed); // CLEAN: atomic-split: fetch_add hands out each line id exactly once
        ChatLine { id, room, from, text, at: now_millis() }
    }

    pub fn subscribe(&self, pid: PlayerId) -> Receiver<ChatLine> {
        let (tx, rx) = mpsc::sync_channel(self.buffer);
        self.subscribers.lock().unwrap().insert(pid, tx);
        rx
    }

    pub fn join(&self, pid: PlayerId, room: RoomId) -> bool {
        let subscribers = self.subscribers.lock().unwrap();
        if !subscribers.contains_key(&pid) {
            return false;
        }
        let mut rooms = self.rooms.lock().unwrap();
        rooms.entry(room).or_insert_with(|| Room::new(room)).members.insert(pid);
        true
    }

    pub fn open_room(&self, room: RoomId, members: &[PlayerId]) {
        let mut rooms = self.rooms.lock().unwrap();
        let entry = rooms.entry(room).or_insert_with(|| Room::new(room));
        entry.members.extend(members.iter().copied());
    }

    pub fn dissolve_room(&self, room: RoomId) -> usize {
        if room == GLOBAL_ROOM {
            return 0;
        }
        let mut rooms = self.rooms.lock().unwrap();
        let removed = match rooms.remove(&room) {
            Some(r) => r,
            None => return 0,
        };
        let members: Vec<PlayerId> = removed.members.iter().copied().collect();
        self.notify_members(&members, room, "the match is over, back to the lobby")
    }

    fn notify_members(&self, members: &[PlayerId], room: RoomId, text: &str) -> usize {
        let subscribers = self.subscribers.lock().unwrap(); // PLANTED: lock-order: dissolve_room holds rooms here, join() takes subscribers then rooms
        let line = self.make_line(room, None, text.to_string());
        members
            .iter()
            .filter_map(|m| subscribers.get(m))
            .filter(|tx| tx.try_send(line.clone()).is_ok())
            .count()
    }

    pub fn say(&self, pid: PlayerId, room: RoomId, text: &str) -> bool {
        let member = self
            .rooms
            .lock()
            .unwrap()
            .get(&room)
            .map_or(false, |r| r.members.contains(&pid));
        if !member {
            return false;
        }
        let line = self.make_line(room, Some(pid), text.to_string());
        self.inbound.send(ChatEnvelope::Line(line)).is_ok()
    }

    pub fn announce(&self, room: RoomId, text: String) {
        let line = self.make_line(room, None, text);
        let _ = self.inbound.send(ChatEnvelope::Line(line));
    }

    pub fn set_topic(&self, room: RoomId, topic: &str) -> usize {
        let mut rooms = self.rooms.lock().unwrap();
        if let Some(r) = rooms.get_mut(&room) {
            r.topic = topic.to_string();
        }
        drop(rooms);
        self.room_count()
    }

    pub fn room_count(&self) -> usize {
        let rooms = self.rooms.lock().unwrap(); // CLEAN: double-lock: set_topic drops its rooms guard before calling this
        rooms.len()
    }

    /// Removes the player from every room and from the subscriber table in
    /// one step, so the fan-out never sees half of it.
    pub fn purge_player(&self, pid: PlayerId) {
        let mut attempt = 0u32;
        loop {
            let mut rooms = self.rooms.lock().unwrap();
            let mut subscribers = match self.subscribers.try_lock() { // CLEAN: lock-order: rooms -> subscribers only via try_lock, backs off on contention
                Ok(guard) => guard,
                Err(TryLockError::Poisoned(p)) => p.into_inner(),
                Err(TryLockError::WouldBlock) => {
                    drop(rooms);
                    attempt += 1;
                    thread::sleep(Duration::from_micros(50 * attempt.min(20) as u64));
                    continue;
                }
            };
            subscribers.remove(&pid);
            for room in rooms.values_mut() {
                room.members.remove(&pid);
            }
            return;
        }
    }

    pub(crate) fn targets(&self, room: RoomId) -> Vec<(PlayerId, SyncSender<ChatLine>)> {
        let members: Vec<PlayerId> = {
            let rooms = self.rooms.lock().unwrap();
            match rooms.get(&room) {
                Some(r) => r.members.iter().copied().collect(),
                None => return Vec::new(),
            }
        };
        let subscribers = self.subscribers.lock().unwrap();
        members
            .iter()
            .filter_map(|m| subscribers.get(m).map(|tx| (*m, tx.clone())))
            .collect()
    }

    pub(crate) fn drop_subscriber(&self, pid: PlayerId) {
        self.subscribers.lock().unwrap().remove(&pid);
    }

    pub fn shutdown(&self) {
        let _ = self.inbound.send(ChatEnvelope::Shutdown);
    }
}
