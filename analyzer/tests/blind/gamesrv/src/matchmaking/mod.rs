pub mod host;
pub mod ticket;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::chat::ChatHub;
use crate::leaderboard::Leaderboard;
use crate::server::registry::ThreadRegistry;
use crate::types::{MatchId, PlayerId, RoomId};
use crate::world::World;
use host::{Contestant, MatchHost};
use ticket::{best_opponent, MatchAssignment, MatchSink, Ticket};

#[derive(Clone)]
pub struct MatchContext {
    pub sink: Arc<dyn MatchSink>,
    pub leaderboard: Arc<Leaderboard>,
    pub chat: Arc<ChatHub>,
    pub world: Arc<World>,
    pub threads: Arc<ThreadRegistry>,
    pub match_duration: Duration,
    pub reward: u64,
}

pub struct Matchmaker {
    queue: Mutex<VecDeque<Ticket>>,
    available: Condvar,
    stopping: AtomicBool,
    next_match: AtomicU64,
    formed: AtomicU64,
}

impl Matchmaker {
    pub fn new() -> Self {
        Matchmaker {
            queue: Mutex::new(VecDeque::new()),
            available: Condvar::new(),
            stopping: AtomicBool::new(false),
            next_match: AtomicU64::new(1),
            formed: AtomicU64::new(0),
        }
    }

    pub fn join_queue(&self, player: PlayerId, rating: u32, ranked: bool) -> Receiver<MatchAssignment> {
        let (reply, rx) = mpsc::sync_channel(1);
        {
            let mut queue = self.queue.lock().unwrap();
            queue.retain(|t| t.player != player);
            queue.push_back(Ticket { player, rating, ranked, queued_at: Instant::now(), reply });
        }
        self.available.notify_one();
        rx
    }

    pub fn enqueue_and_wait(&self, player: PlayerId, rating: u32) -> Option<MatchAssignment> {
        let rx = self.join_queue(player, rating, true);
        rx.recv().ok() // PLANTED: blocking-while-holding: SessionManager::queue_for_match holds the sessions lock here, and the matchmaker needs it (assign_match) before it replies
    }

    pub fn cancel(&self, player: PlayerId) -> bool {
        let mut queue = self.queue.lock().unwrap();
        let before = queue.len();
        queue.retain(|t| t.player != player);
        before != queue.len()
    }

    pub fn matches_formed(&self) -> u64 {
        self.formed.load(Ordering::Relaxed)
    }

    pub fn stop(&self) {
        {
            let _queue = self.queue.lock().unwrap();
            self.stopping.store(true, Ordering::Release);
        }
        self.available.notify_all();
    }

    pub fn start(self: &Arc<Self>, ctx: MatchContext) -> JoinHandle<()> {
        let me = Arc::clone(self);
        thread::Builder::new()
            .name("matchmaker".into())
            .spawn(move || me.run(ctx))
            .expect("spawn matchmaker")
    }

    fn run(&self, ctx: MatchContext) {
        loop {
            let (first, second) = {
                let mut queue = self.queue.lock().unwrap();
                if queue.len() < 2 && !self.stopping.load(Ordering::Acquire) {
                    queue = self.available.wait(queue).unwrap(); // PLANTED: wait-without-loop: a single join_queue notify (or a spurious wakeup) returns with fewer than two tickets and the pops below unwrap None
                }
                if self.stopping.load(Ordering::Acquire) {
                    break;
                }
                let first = queue.pop_front().unwrap();
                let idx = best_opponent(&first, queue.iter()).unwrap();
                let second = queue.remove(idx).unwrap();
                (first, second)
            };
            self.form_match(first, second, &ctx);
            ctx.threads.reap_finished();
        }
        let abandoned: Vec<Ticket> = self.queue.lock().unwrap().drain(..).collect();
        drop(abandoned);
    }

    fn form_match(&self, a: Ticket, b: Ticket, ctx: &MatchContext) {
        let id = MatchId(self.next_match.fetch_add(1, Ordering::Relaxed));
        let room = RoomId::for_match(id);
        let for_a = MatchAssignment { match_id: id, room, opponent: b.player };
        let for_b = MatchAssignment { match_id: id, room, opponent: a.player };
        ctx.sink.assign_match(a.player, &for_a);
        ctx.sink.assign_match(b.player, &for_b);
        ctx.chat.open_room(room, &[a.player, b.player]);

        let host = MatchHost {
            id,
            room,
            a: Contestant { player: a.player, rating: a.rating },
            b: Contestant { player: b.player, rating: b.rating },
            sink: Arc::clone(&ctx.sink),
            leaderboard: Arc::clone(&ctx.leaderboard),
            chat: Arc::clone(&ctx.chat),
            world: Arc::clone(&ctx.world),
            duration: ctx.match_duration,
            reward: ctx.reward,
        };
        let name = format!("match-{}", id.0);
        let handle = thread::Builder::new()
            .name(name.clone())
            .spawn(move || host.run())
            .expect("spawn match host");
        ctx.threads.register(name, handle);
        self.formed.fetch_add(1, Ordering::Relaxed);

        let _ = a.reply.send(for_a);
        let _ = b.reply.send(for_b);
    }
}
