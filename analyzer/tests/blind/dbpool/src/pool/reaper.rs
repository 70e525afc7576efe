//! Background maintenance thread for the pool: closes idle connections,
//! runs health sweeps and keeps `min_idle` connections warm.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use super::Pool;

pub struct Reaper {
    pool: Arc<Pool>,
    interval: Duration,
    generation: AtomicU64,
    handle: Mutex<Option<JoinHandle<()>>>,
    passes: AtomicU64,
    reaped: AtomicU64,
}

impl Reaper {
    pub fn spawn(pool: Arc<Pool>, interval: Duration) -> Arc<Reaper> {
        let reaper = Arc::new(Reaper {
            pool,
            interval,
            generation: AtomicU64::new(0),
            handle: Mutex::new(None),
            passes: AtomicU64::new(0),
            reaped: AtomicU64::new(0),
        });
        reaper.start();
        reaper
    }

    fn start(self: &Arc<Self>) {
        let generation = self.generation.load(Ordering::SeqCst);
        let me = Arc::clone(self);
        let handle = thread::Builder::new()
            .name(format!("reaper-{generation}"))
            .spawn(move || me.run(generation))
            .expect("spawn reaper thread");
        *self.handle.lock().unwrap() = Some(handle);
    }

    fn run(&self, generation: u64) {
        while self.generation.load(Ordering::SeqCst) == generation {
            thread::sleep(self.interval);
            let reaped = self.pool.reap_idle();
            self.reaped.fetch_add(reaped as u64, Ordering::Relaxed);
            self.pool.health_sweep();
            self.pool.top_up();
            self.passes.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Change the idle timeout. The reaper is restarted so that a shorter
    /// timeout applies immediately rather than after the current sleep.
    pub fn reconfigure(self: &Arc<Self>, idle_timeout: Duration) -> Duration {
        let mut st = self.pool.lock_state();
        let previous = st.idle_timeout;
        st.idle_timeout = idle_timeout;
        if idle_timeout != previous {
            self.restart();
        }
        previous
    }

    fn restart(self: &Arc<Self>) {
        self.stop_current();
        self.start();
    }

    fn stop_current(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        let handle = self.handle.lock().unwrap().take();
        if let Some(handle) = handle {
            let _ = handle.join(); // PLANTED: blocking-while-holding: via reconfigure the admin thread still holds pool state; the reaper needs it in reap_idle before it can exit
        }
    }

    pub fn passes(&self) -> u64 {
        self.passes.load(Ordering::Relaxed)
    }

    pub fn reaped(&self) -> u64 {
        self.reaped.load(Ordering::Relaxed)
    }

    pub fn shutdown(&self) {
        self.stop_current();
    }
}
