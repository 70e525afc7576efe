pub mod state;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::leaderboard::{Leaderboard, NameResolver};
use crate::matchmaking::ticket::{MatchAssignment, MatchSink};
use crate::matchmaking::Matchmaker;
use crate::types::{PlayerId, RoomId};
pub use state::{Item, Session, SessionState};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionError {
    AlreadyConnected,
    NameTaken,
    NotConnected,
    Busy,
    InsufficientGold { have: u64, need: u64 },
    NoMatch,
}

pub struct SessionManager {
    sessions: Mutex<HashMap<PlayerId, Session>>,
    leaderboard: Arc<Leaderboard>,
    starting_gold: u64,
}

impl SessionManager {
    pub fn new(leaderboard: Arc<Leaderboard>, starting_gold: u64) -> Self {
        SessionManager {
            sessions: Mutex::new(HashMap::new()),
            leaderboard,
            starting_gold,
        }
    }

    pub fn connect(&self, pid: PlayerId, name: &str, guest: bool) -> Result<(), SessionError> {
        let mut sessions = self.sessions.lock().unwrap();
        if sessions.contains_key(&pid) {
            return Err(SessionError::AlreadyConnected);
        }
        if sessions.values().any(|s| s.name == name) {
            return Err(SessionError::NameTaken);
        }
        sessions.insert(pid, Session::new(pid, name.to_string(), guest, self.starting_gold));
        Ok(())
    }

    /// Removes the session.  Guest scores are not kept on the leaderboard.
    pub fn disconnect(&self, pid: PlayerId) -> Option<Session> {
        let mut sessions = self.sessions.lock().unwrap();
        let session = sessions.remove(&pid)?;
        if session.guest {
            self.leaderboard.forget(pid);
        }
        Some(session)
    }

    pub fn with_session<R>(&self, pid: PlayerId, f: impl FnOnce(&mut Session) -> R) -> Option<R> {
        let mut sessions = self.sessions.lock().unwrap();
        sessions.get_mut(&pid).map(f)
    }

    pub fn gold(&self, pid: PlayerId) -> Option<u64> {
        self.with_session(pid, |s| s.gold)
    }

    pub fn set_gold(&self, pid: PlayerId, gold: u64) -> bool {
        self.with_session(pid, |s| s.gold = gold).is_some()
    }

    pub fn add_gold(&self, pid: PlayerId, amount: u64) -> Option<u64> {
        let mut sessions = self.sessions.lock().unwrap();
        let session = sessions.get_mut(&pid)?;
        session.gold += amount; // CLEAN: stale-read: the increment reads and writes gold under the same guard
        Some(session.gold)
    }

    pub fn add_item(&self, pid: PlayerId, item: Item) -> bool {
        self.with_session(pid, |s| *s.inventory.entry(item).or_insert(0) += 1).is_some()
    }

    pub fn name_in_use(&self, name: &str) -> bool {
        let sessions = self.sessions.lock().unwrap(); // PLANTED: double-lock: rename calls this while it still holds the sessions guard
        sessions.values().any(|s| s.name == name)
    }

    pub fn rename(&self, pid: PlayerId, new_name: &str) -> Result<(), SessionError> {
        let mut sessions = self.sessions.lock().unwrap();
        if !sessions.contains_key(&pid) {
            return Err(SessionError::NotConnected);
        }
        if self.name_in_use(new_name) {
            return Err(SessionError::NameTaken);
        }
        if let Some(session) = sessions.get_mut(&pid) {
            session.name = new_name.to_string();
        }
        Ok(())
    }

    pub fn display_name(&self, pid: PlayerId) -> String {
        self.sessions
            .lock()
            .unwrap()
            .get(&pid)
            .map(|s| s.name.clone())
            .unwrap_or_else(|| pid.to_string())
    }

    pub fn names_of(&self, pids: &[PlayerId]) -> Vec<String> {
        let sessions = self.sessions.lock().unwrap(); // CLEAN: lock-order: top_for_broadcast releases scores before resolving names
        pids.iter()
            .map(|p| sessions.get(p).map(|s| s.name.clone()).unwrap_or_else(|| p.to_string()))
            .collect()
    }

    pub fn room_of(&self, pid: PlayerId) -> Option<RoomId> {
        self.with_session(pid, |s| s.room)
    }

    /// Ranked queue: returns once the matchmaker has paired the player.
    pub fn queue_for_match(&self, mm: &Matchmaker, pid: PlayerId) -> Result<MatchAssignment, SessionError> {
        let mut sessions = self.sessions.lock().unwrap();
        let session = sessions.get_mut(&pid).ok_or(SessionError::NotConnected)?;
        if !session.is_idle() {
            return Err(SessionError::Busy);
        }
        session.state = SessionState::Queued { ranked: true };
        let rating = session.rating;
        match mm.enqueue_and_wait(pid, rating) {
            Some(assignment) => {
                session.state = SessionState::InMatch(assignment.match_id);
                session.room = assignment.room;
                Ok(assignment)
            }
            None => {
                session.state = SessionState::Lobby;
                Err(SessionError::NoMatch)
            }
        }
    }

    /// Casual queue: gives up after `wait` and returns to the lobby.
    pub fn queue_casual(&self, mm: &Matchmaker, pid: PlayerId, wait: Duration) -> Result<Option<MatchAssignment>, SessionError> {
        let rating = {
            let mut sessions = self.sessions.lock().unwrap();
            let session = sessions.get_mut(&pid).ok_or(SessionError::NotConnected)?;
            if !session.is_idle() {
                return Err(SessionError::Busy);
            }
            session.state = SessionState::Queued { ranked: false };
            session.rating
        };
        let rx = mm.join_queue(pid, rating, false);
        match rx.recv_timeout(wait) { // CLEAN: blocking-while-holding: the sessions guard ended with the block above, the matchmaker can assign the match
            Ok(assignment) => Ok(Some(assignment)),
            Err(_) => {
                mm.cancel(pid);
                self.with_session(pid, |s| {
                    if matches!(s.state, SessionState::Queued { .. }) {
                        s.state = SessionState::Lobby;
                    }
                });
                Ok(None)
            }
        }
    }
}

impl NameResolver for SessionManager {
    fn display_name(&self, pid: PlayerId) -> String {
        SessionManager::display_name(self, pid)
    }

    fn display_names(&self, pids: &[PlayerId]) -> Vec<String> {
        self.names_of(pids)
    }
}

impl MatchSink for SessionManager {
    fn assign_match(&self, pid: PlayerId, assignment: &MatchAssignment) {
        self.with_session(pid, |s| {
            s.state = SessionState::InMatch(assignment.match_id);
            s.room = assignment.room;
        });
    }

    fn finish_match(&self, pid: PlayerId, won: bool, rating_delta: i32, reward: u64) {
        self.with_session(pid, |s| s.apply_result(won, rating_delta, reward));
    }
}
