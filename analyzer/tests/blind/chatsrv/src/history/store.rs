use std::collections::HashMap;
use std::fmt::Write as _;
use parking_lot::{MappedMutexGuard, Mutex, MutexGuard};
use crate::metrics;
use crate::protocol::{Message, RoomId, UserId};

/// Message history with per-user read cursors.
pub struct HistoryStore { logs: Mutex<HashMap<RoomId, Vec<Message>>>, cursors: Mutex<HashMap<(UserId, RoomId), u64>>, retention: usize }

impl HistoryStore {
    pub fn new(retention: usize) -> Self {
        HistoryStore { logs: Mutex::new(HashMap::new()), cursors: Mutex::new(HashMap::new()), retention }
    }

    pub fn append(&self, msg: Message) { self.logs.lock().entry(msg.room).or_default().push(msg) }
    pub fn total_messages(&self) -> usize { self.logs.lock().values().map(Vec::len).sum() }

    /// Borrow one room's log without copying it.
    pub fn room_log(&self, room: RoomId) -> MappedMutexGuard<'_, Vec<Message>> {
        MutexGuard::map(self.logs.lock(), |logs| logs.entry(room).or_default())
    }

    pub fn export(&self, room: RoomId) -> String {
        let log = self.room_log(room);
        let total = self.total_messages(); // PLANTED: double-lock: the mapped guard from room_log() still holds `logs`; total_messages() locks it again
        let mut out = format!("# {:?} ({} of {} stored messages)\n", room, log.len(), total);
        for msg in log.iter() {
            let _ = writeln!(out, "{}\t{:?}\t{}", msg.sent_at, msg.author, msg.body);
        }
        out
    }

    pub fn tail(&self, room: RoomId, limit: usize) -> Vec<Message> {
        let log = self.room_log(room);
        let tail = log[log.len().saturating_sub(limit)..].to_vec();
        drop(log);
        let total = self.total_messages(); // CLEAN: double-lock: the mapped guard was dropped on the previous line
        metrics::set_gauge("history.messages", total as u64);
        tail
    }

    pub fn record_read(&self, user: UserId, room: RoomId) {
        let logs = self.logs.lock();
        let last = logs.get(&room).and_then(|log| log.last()).map(|m| m.id).unwrap_or(0);
        let mut cursors = self.cursors.lock();
        cursors.insert((user, room), last);
    }

    /// Drops messages beyond the retention window that every reader has seen.
    pub fn compact(&self) -> usize {
        let mut logs = self.logs.lock();
        let cursors = self.cursors.lock(); // CLEAN: lock-order: logs -> cursors, the same order as record_read(); nothing takes cursors before logs
        let mut removed = 0;
        for (room, log) in logs.iter_mut().filter(|(_, log)| log.len() > self.retention) {
            let min_read = cursors.iter().filter(|((_, r), _)| r == room).map(|(_, id)| *id).min().unwrap_or(0);
            let excess = log.len() - self.retention;
            let cut = log.iter().take(excess).take_while(|m| m.id <= min_read).count();
            log.drain(..cut);
            removed += cut;
        }
        removed
    }

    /// Full-text search, one scoped thread per room.
    pub fn search(&self, needle: &str) -> Vec<Message> {
        let rooms: Vec<RoomId> = self.logs.lock().keys().copied().collect();
        let scan = |room: RoomId| -> Vec<Message> {
            let logs = self.logs.lock();
            logs.get(&room).into_iter().flatten().filter(|m| m.body.contains(needle)).cloned().collect()
        };
        std::thread::scope(|scope| {
            let handles: Vec<_> = rooms.iter().map(|&room| scope.spawn(move || scan(room))).collect();
            handles.into_iter().flat_map(|handle| handle.join().unwrap()).collect() // CLEAN: blocking-while-holding: the scoped threads lock `logs`, but the caller's guard was a temporary dropped when `rooms` was collected
        })
    }
}
