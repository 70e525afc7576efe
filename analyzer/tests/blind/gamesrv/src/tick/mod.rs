pub mod clock;
pub mod settle;
pub mod worker;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use crate::server::Server;
use crate::types::{RegionId, GLOBAL_ROOM};
use crate::world::events::GameEvent;
use worker::RegionOutcome;

#[derive(Debug, Default, Clone)]
pub struct TickStats {
    pub frames: u64,
    pub kills: usize,
    pub migrations: usize,
    pub spawned: usize,
    pub worst_frame: Duration,
}

/// Fixed-rate simulation loop.  Each frame steps every region on its own
/// scoped worker thread and then settles the results.
pub struct TickLoop {
    running: Arc<AtomicBool>,
    handle: Mutex<Option<JoinHandle<TickStats>>>,
}

impl TickLoop {
    pub fn start(server: Arc<Server>) -> TickLoop {
        let running = Arc::new(AtomicBool::new(true));
        let flag = Arc::clone(&running);
        let handle = thread::Builder::new()
            .name("tick".into())
            .spawn(move || run(&server, &flag))
            .expect("spawn tick thread");
        TickLoop { running, handle: Mutex::new(Some(handle)) }
    }

    pub fn stop(&self) -> Option<TickStats> {
        self.running.store(false, Ordering::Release);
        let handle = self.handle.lock().unwrap().take();
        handle.and_then(|h| h.join().ok()) // CLEAN: blocking-while-holding: the handle was taken under a temporary guard that ended at the `;`
    }
}

fn run(server: &Server, running: &AtomicBool) -> TickStats {
    let config = &server.config;
    let interval = config.tick_interval();
    let mut stats = TickStats::default();
    let mut next = Instant::now() + interval;
    let mut frame = 0u64;
    while running.load(Ordering::Acquire) && frame < config.max_ticks {
        frame += 1;
        let started = Instant::now();

        let outcomes = step_regions(server, frame);
        let (kills, moved) = settle::apply(server, outcomes);
        stats.kills += kills;
        stats.migrations += moved;

        if frame % config.spawn_every == 0 {
            stats.spawned += spawn_waves(server, frame);
        }
        if frame % config.rebalance_every == 0 {
            if let Some((busy, quiet)) = server.world.busiest_and_quietest() {
                server.world.rebalance_npcs(busy, quiet, 4);
            }
        }
        if frame % config.snapshot_every == 0 {
            schedule_snapshots(server);
        }
        if frame % config.leaderboard_every == 0 {
            server.persistence.schedule_ranking(frame);
            let line = server.leaderboard.top_for_broadcast(3);
            server.chat.announce(GLOBAL_ROOM, format!("top players: {}", line));
        }

        server.clock.advance();
        let spent = started.elapsed();
        stats.worst_frame = stats.worst_frame.max(spent);
        server.metrics.tick(spent > interval);
        stats.frames = frame;

        let now = Instant::now();
        if next > now {
            thread::sleep(next - now);
        }
        next += interval;
    }
    server.clock.stop();
    stats
}

fn step_regions(server: &Server, frame: u64) -> Vec<RegionOutcome> {
    let world = &*server.world;
    let config = &server.config;
    let count = world.region_count();
    let barrier = Barrier::new(count);
    thread::scope(|scope| {
        let workers: Vec<_> = (0..count)
            .map(|i| {
                let barrier = &barrier;
                scope.spawn(move || worker::step_region(world, RegionId(i), frame, barrier, config))
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or_default()).collect()
    })
}

fn spawn_waves(server: &Server, frame: u64) -> usize {
    let mut total = 0;
    for i in 0..server.world.region_count() {
        let region = RegionId(i);
        let count = server.world.spawn_wave(region, server.config.spawn_wave_size, frame);
        if count > 0 {
            server.world.emit(GameEvent::WaveSpawned { region, count });
        }
        total += count;
    }
    total
}

fn schedule_snapshots(server: &Server) -> usize {
    (0..server.world.region_count())
        .filter(|i| server.persistence.schedule(server.world.snapshot(RegionId(*i))))
        .count()
}
