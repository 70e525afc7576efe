//! Monthly interest accrual.
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Condvar, Mutex, RwLock};
use std::thread::JoinHandle;
use crate::accounts::{AccountId, AccountKind, LedgerError};
use crate::{audit::EntryKind, notify::Event, Ledger};

#[derive(Debug, Clone)]
pub enum History {
    Run { run: u64, total: i64 },
    RateChange { kind: AccountKind, old_bp: i64, new_bp: i64 },
}

#[derive(Default)]
struct RunState { requested: u64, completed: u64, stopping: bool }

pub struct InterestEngine {
    ledger: Ledger,
    rates: RwLock<HashMap<AccountKind, i64>>,
    state: Mutex<RunState>,
    work: Condvar,
    done: Condvar,
    history: Mutex<Vec<History>>,
    accrued_total: AtomicI64,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

impl InterestEngine {
    pub fn start<R: IntoIterator<Item = (AccountKind, i64)>>(ledger: Ledger, rates: R) -> Arc<Self> {
        let rates = RwLock::new(rates.into_iter().collect());
        let (state, history, workers) = (Mutex::default(), Mutex::default(), Mutex::default());
        let (work, done, accrued_total) = (Condvar::new(), Condvar::new(), AtomicI64::new(0));
        let engine = Arc::new(InterestEngine { ledger, rates, state, work, done, history, accrued_total, workers });
        let me = Arc::clone(&engine);
        let handle = crate::spawn_named("interest-accrual", move || me.worker_loop());
        engine.workers.lock().unwrap().push(handle);
        engine
    }

    pub fn rate_for(&self, kind: AccountKind) -> i64 {
        self.rates.read().unwrap().get(&kind).copied().unwrap_or(0)
    }

    pub fn set_rate(&self, kind: AccountKind, new_bp: i64) {
        let mut rates = self.rates.write().unwrap();
        let old_bp = rates.insert(kind, new_bp).unwrap_or(0);
        if old_bp != new_bp {
            self.log(History::RateChange { kind, old_bp, new_bp });
        }
    }

    fn log(&self, item: History) {
        self.history.lock().unwrap().push(item);
    }

    pub fn run_and_wait(&self) -> Option<i64> {
        let history = self.history.lock().unwrap();
        let mut state = self.state.lock().unwrap();
        state.requested += 1;
        let target = state.requested;
        self.work.notify_one();
        while state.completed < target && !state.stopping {
            state = self.done.wait(state).unwrap(); // PLANTED: blocking-while-holding: history stays locked while waiting; the accrual worker must lock history to log its run before it marks the run done
        }
        history.iter().rev().find_map(|h| match h {
            History::Run { run, total } if *run == target => Some(*total),
            _ => None,
        })
    }

    pub fn report(&self) -> String {
        let history = self.history.lock().unwrap();
        let mut lines: Vec<String> = history.iter().rev().take(5).map(|h| format!("  {h:?}")).collect();
        for kind in [AccountKind::Checking, AccountKind::Savings] {
            lines.push(format!("  {kind:?}: {} bp", self.rate_for(kind))); // PLANTED: lock-order: history held then rates read-locked; set_rate holds rates for writing and then locks history in log
        }
        lines.join("\n")
    }

    fn worker_loop(&self) {
        loop {
            let mut state = self.state.lock().unwrap();
            while state.requested == state.completed && !state.stopping {
                state = self.work.wait(state).unwrap(); // CLEAN: wait-without-loop: wakeups re-check the run counters in a while loop
            }
            if state.stopping {
                return;
            }
            let run = state.requested;
            drop(state);
            let total: i64 = self.ledger.book.ids().filter_map(|id| self.accrue_one(id).ok()).sum();
            self.ledger.notifier.publish(Event::InterestPosted { run, total });
            self.log(History::Run { run, total });
            self.state.lock().unwrap().completed = run; // CLEAN: stale-read: `run` is the request this worker just served and completed has no other writer
            self.done.notify_all();
        }
    }

    fn accrue_one(&self, id: AccountId) -> Result<i64, LedgerError> {
        let mut acct = self.ledger.book.account(id)?;
        let interest = acct.balance.max(0) * self.rate_for(acct.kind) / 10_000 / 12;
        acct.balance += interest; // CLEAN: stale-read: balance read and updated under the same account guard
        drop(acct);
        self.accrued_total.fetch_add(interest, Ordering::Relaxed); // CLEAN: atomic-split: single fetch_add instead of load then store
        self.ledger.journal.record(EntryKind::Interest { id, amount: interest });
        Ok(interest)
    }

    pub fn stop(&self) {
        self.state.lock().unwrap().stopping = true;
        self.work.notify_all();
        self.done.notify_all();
        let mut workers = self.workers.lock().unwrap();
        for worker in workers.drain(..) {
            let _ = worker.join(); // CLEAN: blocking-while-holding: only the workers list is held and the accrual thread never touches it
        }
    }
}
