//! Accepts client connections and runs each one as a session thread.

pub mod client;
pub mod command;
pub mod session;
pub mod workload;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};

use crate::engine::Engine;
use client::ClientConn;
use session::{Session, SessionSummary};

pub type SessionId = u64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SlotState {
    Running,
    Finished,
}

struct SessionSlot {
    handle: Option<JoinHandle<SessionSummary>>,
    state: SlotState,
}

pub struct Server {
    engine: Arc<Engine>,
    sessions: Mutex<HashMap<SessionId, SessionSlot>>,
    active: Mutex<usize>,
    idle: Condvar,
    closing: AtomicBool,
    next_id: AtomicU64,
    completed: Mutex<Vec<SessionSummary>>,
}

impl Server {
    pub fn new(engine: Arc<Engine>) -> Arc<Self> {
        Arc::new(Server {
            engine,
            sessions: Mutex::new(HashMap::new()),
            active: Mutex::new(0),
            idle: Condvar::new(),
            closing: AtomicBool::new(false),
            next_id: AtomicU64::new(0),
            completed: Mutex::new(Vec::new()),
        })
    }

    pub fn engine(&self) -> &Arc<Engine> {
        &self.engine
    }

    pub fn is_closing(&self) -> bool {
        self.closing.load(Ordering::Acquire)
    }

    /// Starts a session thread for `conn`.
    pub fn spawn_session(self: &Arc<Self>, conn: Box<dyn ClientConn>) -> SessionId {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        *self.active.lock().unwrap() += 1;
        self.sessions.lock().unwrap().insert(
            id,
            SessionSlot {
                handle: None,
                state: SlotState::Running,
            },
        );
        let server = Arc::clone(self);
        let handle = thread::Builder::new()
            .name(format!("session-{id}"))
            .spawn(move || {
                let summary = Session::new(id, Arc::clone(&server), conn).run();
                server.unregister(id);
                summary
            })
            .expect("failed to spawn session");
        if let Some(slot) = self.sessions.lock().unwrap().get_mut(&id) {
            slot.handle = Some(handle);
        }
        id
    }

    fn unregister(&self, id: SessionId) {
        if let Some(slot) = self.sessions.lock().unwrap().get_mut(&id) {
            slot.state = SlotState::Finished;
        }
        let mut active = self.active.lock().unwrap();
        *active = active.saturating_sub(1);
        self.idle.notify_all();
    }

    pub fn active(&self) -> usize {
        *self.active.lock().unwrap()
    }

    /// Blocks until no session is running.
    pub fn wait_idle(&self) {
        let active = self.active.lock().unwrap();
        if *active > 0 {
            let _active = self.idle.wait(active).unwrap(); // PLANTED: wait-without-loop: every session exit notifies; the first wake-up returns with others still running
        }
    }

    /// Joins the threads of sessions that have finished.
    pub fn reap_finished(&self) -> usize {
        let finished: Vec<JoinHandle<SessionSummary>> = {
            let mut sessions = self.sessions.lock().unwrap();
            let ids: Vec<SessionId> = sessions
                .iter()
                .filter(|(_, s)| s.state == SlotState::Finished && s.handle.is_some())
                .map(|(id, _)| *id)
                .collect();
            ids.into_iter()
                .filter_map(|id| sessions.remove(&id).and_then(|slot| slot.handle))
                .collect()
        };
        let mut reaped = 0;
        for handle in finished {
            if let Ok(summary) = handle.join() { // CLEAN: blocking-while-holding: handles collected under the guard, joined after it was dropped
                self.completed.lock().unwrap().push(summary);
                reaped += 1;
            }
        }
        reaped
    }

    /// Stops accepting work and waits for every session thread.
    pub fn shutdown(&self) -> Vec<SessionSummary> {
        self.closing.store(true, Ordering::Release);
        let mut summaries = Vec::new();
        let mut sessions = self.sessions.lock().unwrap();
        for slot in sessions.values_mut() {
            if let Some(handle) = slot.handle.take() {
                if let Ok(summary) = handle.join() { // PLANTED: blocking-while-holding: joins with `sessions` held; a still-running session locks `sessions` in unregister before it can exit
                    summaries.push(summary);
                }
            }
        }
        sessions.clear();
        drop(sessions);
        summaries.extend(self.completed.lock().unwrap().drain(..));
        summaries.sort_by_key(|s| s.id);
        summaries
    }
}
