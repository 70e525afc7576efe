use std::sync::Arc;

use racecheck::{JoinHandle, Thread};

use crate::config::Config;

pub fn spawn_admin(cfg: Arc<Config>, key: &'static str, v: u64) -> JoinHandle<()> {
    Thread::spawn(move || cfg.update(key, v))
}

pub fn spawn_reader(cfg: Arc<Config>) -> JoinHandle<usize> {
    Thread::spawn(move || cfg.snapshot().len())
}
