//! A value read through a getter (which takes and releases the lock) and written back through a
//! setter or a second acquisition is a stale write-back: it is reported at the write-back call
//! in the function that read, not inside the setter. A whole struct copied out and written back
//! is one as much as a scalar. Updates made under one guard are clean.
use racecheck::{Lock, Thread};
use std::sync::Arc;

#[derive(Clone, Copy, Default)]
struct Limits {
    low: u64,
    high: u64,
}

#[derive(Default)]
struct Stats {
    volume: Lock<u64>,
    limits: Lock<Limits>,
}

impl Stats {
    fn volume(&self) -> u64 {
        *self.volume.acquire()
    }

    fn set_volume(&self, volume: u64) {
        *self.volume.acquire() = volume;
    }

    fn add_volume(&self, amount: u64) {
        *self.volume.acquire() += amount;
    }

    fn limits(&self) -> Limits {
        *self.limits.acquire()
    }

    fn set_limits(&self, limits: Limits) {
        *self.limits.acquire() = limits;
    }
}

fn record(stats: &Stats, quantity: u64) {
    let volume = stats.volume();
    stats.set_volume(volume + quantity); //~ R003
}

fn record_twice(stats: &Stats, quantity: u64) {
    let volume = stats.volume();
    let mut guard = stats.volume.acquire();
    *guard = volume + quantity; //~ R003
}

fn widen(stats: &Stats) {
    let mut limits = stats.limits();
    limits.high += 10;
    stats.set_limits(limits); //~ R003
}

fn record_clean(stats: &Stats, quantity: u64) {
    stats.add_volume(quantity);
    let seen = stats.volume();
    stats.set_volume(quantity);
    assert!(seen >= quantity || seen < quantity);
}

fn reset_limits(stats: &Stats) {
    let Limits { low, .. } = stats.limits();
    stats.set_limits(Limits { low: 0, high: 100 });
    assert!(low < 100 || low >= 100);
}

fn main() {
    let stats = Arc::new(Stats::default());
    let threads: Vec<_> = (0..2)
        .map(|_| {
            let stats = Arc::clone(&stats);
            Thread::spawn(move || {
                record(&stats, 1);
                record_twice(&stats, 2);
                widen(&stats);
                record_clean(&stats, 3);
                reset_limits(&stats);
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}
