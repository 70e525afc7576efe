//! Batch settlement: a worker pool takes queued batches and settles each one over scoped threads.
use std::collections::VecDeque;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use crate::accounts::{AccountId, LedgerError};
use crate::{audit::EntryKind, notify::Event, Ledger};

#[derive(Debug, Clone, Copy)]
pub struct Leg { pub from: AccountId, pub to: AccountId, pub amount: i64 }

enum Job { Settle(u64, Vec<Leg>), Stop }

pub struct Settlement {
    ledger: Ledger,
    fee_account: AccountId,
    fee_bp: i64,
    jobs: Mutex<VecDeque<Job>>,
    available: Condvar,
    outstanding: Mutex<usize>,
    idle: Condvar,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

impl Settlement {
    pub fn start(ledger: Ledger, fee_account: AccountId, fee_bp: i64, workers: usize) -> Arc<Self> {
        let (jobs, outstanding, handles) = (Mutex::default(), Mutex::new(0), Mutex::default());
        let (available, idle) = (Condvar::new(), Condvar::new());
        let me = Arc::new(Settlement { ledger, fee_account, fee_bp, jobs, available, outstanding, idle, workers: handles });
        for n in 0..workers {
            let worker = Arc::clone(&me);
            let handle = crate::spawn_named(format!("settle-{n}"), move || worker.worker_loop());
            me.workers.lock().unwrap().push(handle);
        }
        me
    }

    pub fn submit(&self, batch: u64, legs: Vec<Leg>) {
        *self.outstanding.lock().unwrap() += 1;
        self.jobs.lock().unwrap().push_back(Job::Settle(batch, legs));
        self.available.notify_one();
    }

    fn next_job(&self) -> Option<(u64, Vec<Leg>)> {
        let mut jobs = self.jobs.lock().unwrap();
        if jobs.is_empty() {
            jobs = self.available.wait(jobs).unwrap(); // PLANTED: wait-without-loop: the other settlement worker can take the job first, this one then sees an empty queue and exits
        }
        match jobs.pop_front() {
            Some(Job::Settle(batch, legs)) => Some((batch, legs)),
            Some(Job::Stop) | None => None,
        }
    }

    fn worker_loop(&self) {
        while let Some((batch, legs)) = self.next_job() {
            let fees = thread::scope(|s| {
                let halves: Vec<_> = legs.chunks(legs.len().div_ceil(2).max(1)).map(|half| {
                    s.spawn(move || half.iter().filter_map(|leg| self.settle_leg(batch, leg).ok()).sum::<i64>())
                }).collect();
                halves.into_iter().map(|h| h.join().unwrap_or(0)).sum::<i64>()
            });
            let mut outstanding = self.outstanding.lock().unwrap();
            *outstanding -= 1;
            if *outstanding == 0 {
                self.idle.notify_all();
            }
            drop(outstanding);
            self.ledger.notifier.publish(Event::BatchSettled { batch, fees });
        }
    }

    pub fn wait_idle(&self) {
        let mut outstanding = self.outstanding.lock().unwrap();
        while *outstanding > 0 {
            outstanding = self.idle.wait(outstanding).unwrap(); // CLEAN: wait-without-loop: predicate re-checked in a while loop
        }
    }

    fn settle_leg(&self, batch: u64, leg: &Leg) -> Result<i64, LedgerError> {
        if leg.from == leg.to { return Err(LedgerError::SameAccount(leg.from)); }
        let fee = leg.amount * self.fee_bp / 10_000;
        let (low, high) = if leg.from < leg.to { (leg.from, leg.to) } else { (leg.to, leg.from) };
        let mut first = self.ledger.book.account(low)?;
        let mut second = self.ledger.book.account(high)?; // CLEAN: lock-order: both accounts locked lowest id first regardless of direction
        let (src, dst) = if leg.from == low { (&mut *first, &mut *second) } else { (&mut *second, &mut *first) };
        if src.balance < leg.amount + fee {
            return Err(LedgerError::Insufficient(src.id));
        }
        src.balance -= leg.amount + fee;
        dst.balance += leg.amount;
        drop((first, second));
        self.collect_fee(batch, fee)?;
        Ok(fee)
    }

    fn collect_fee(&self, batch: u64, fee: i64) -> Result<(), LedgerError> {
        let collected = self.ledger.book.balance(self.fee_account)?;
        self.ledger.book.set_balance(self.fee_account, collected + fee)?; // PLANTED: stale-read: fee balance read under one guard, written back under a later one; parallel legs lose fees
        self.ledger.journal.record(EntryKind::Fee { batch, amount: fee });
        Ok(())
    }

    pub fn stop(&self) {
        let workers = std::mem::take(&mut *self.workers.lock().unwrap());
        self.jobs.lock().unwrap().extend(workers.iter().map(|_| Job::Stop));
        self.available.notify_all();
        workers.into_iter().for_each(|worker| drop(worker.join()));
    }
}
