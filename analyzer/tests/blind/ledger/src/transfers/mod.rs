pub mod batch;

use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};
use std::time::Duration;
use crossbeam_channel::{Receiver, Sender};

use crate::accounts::{Account, AccountId, LedgerError};
use crate::{audit::EntryKind, notify::Event, Ledger};

#[derive(Debug, Clone)]
pub enum Request {
    Transfer { from: AccountId, to: AccountId, amount: i64 },
    Pay { from: AccountId, payee: String, amount: i64 },
    RaiseCap { id: AccountId, delta: i64 },
    Alias { alias: String, id: AccountId },
    Stop,
}

pub struct TransferDesk {
    ledger: Ledger,
    suspense: AccountId,
    inbox: Sender<Request>,
    requests: Receiver<Request>,
    tellers: Mutex<Vec<JoinHandle<()>>>,
    largest: AtomicI64,
}

impl TransferDesk {
    pub fn start(ledger: Ledger, suspense: AccountId, tellers: usize) -> Arc<Self> {
        let (inbox, requests) = crossbeam_channel::unbounded();
        let (largest, handles) = (AtomicI64::new(0), Mutex::default());
        let desk = Arc::new(TransferDesk { ledger, suspense, inbox, requests, tellers: handles, largest });
        for n in 0..tellers {
            let me = Arc::clone(&desk);
            let handle = crate::spawn_named(format!("teller-{n}"), move || me.teller_loop());
            desk.tellers.lock().unwrap().push(handle);
        }
        desk
    }

    pub fn submit(&self, request: Request) {
        self.inbox.send(request).expect("teller inbox is owned by the desk");
    }

    fn teller_loop(&self) {
        let book = &self.ledger.book;
        while let Ok(request) = self.requests.recv() {
            let outcome = match request {
                Request::Transfer { from, to, amount } => self.transfer(from, to, amount),
                Request::Pay { from, payee, amount } => book
                    .resolve_or_link(&payee, self.suspense)
                    .and_then(|to| self.try_transfer(from, to, amount)),
                Request::RaiseCap { id, delta } => Ok(self.ledger.limits.raise_cap(id, delta)),
                Request::Alias { alias, id } => book.link_alias(&alias, id).map(|_| 0),
                Request::Stop => break,
            };
            if let Err(err) = outcome {
                self.ledger.notifier.publish(Event::Rejected(format!("{err:?}")));
            }
        }
    }

    pub fn transfer(&self, from: AccountId, to: AccountId, amount: i64) -> Result<i64, LedgerError> {
        if from == to { return Err(LedgerError::SameAccount(from)); }
        let mut src = self.ledger.book.account(from)?;
        let mut dst = self.ledger.book.account(to)?; // PLANTED: lock-order: accounts locked in request order from->to; another teller doing to->from locks them the other way round
        let remaining = self.settle(&mut src, &mut dst, amount)?;
        drop((src, dst));
        self.finish(from, to, amount);
        Ok(remaining)
    }

    pub fn try_transfer(&self, from: AccountId, to: AccountId, amount: i64) -> Result<i64, LedgerError> {
        if from == to { return Err(LedgerError::SameAccount(from)); }
        for attempt in 0..5 {
            let mut src = self.ledger.book.account(from)?;
            if let Some(mut dst) = self.ledger.book.try_account(to)? { // CLEAN: lock-order: second account only try-locked; on contention the first is released and we back off
                let remaining = self.settle(&mut src, &mut dst, amount)?;
                drop((src, dst));
                self.finish(from, to, amount);
                return Ok(remaining);
            }
            drop(src);
            thread::sleep(Duration::from_millis(1 << attempt));
        }
        Err(LedgerError::Busy(to))
    }

    fn settle(&self, src: &mut Account, dst: &mut Account, amount: i64) -> Result<i64, LedgerError> {
        if src.balance < amount {
            return Err(LedgerError::Insufficient(src.id));
        }
        let remaining = self.ledger.limits.try_consume(src.id, amount)?;
        src.balance -= amount;
        dst.balance += amount;
        Ok(remaining)
    }

    fn finish(&self, from: AccountId, to: AccountId, amount: i64) {
        self.ledger.journal.record(EntryKind::Transfer { from, to, amount });
        self.ledger.notifier.publish(Event::Transferred { from, to, amount });
        let mut seen = self.largest.load(Ordering::Relaxed);
        while amount > seen {
            match self.largest.compare_exchange_weak(seen, amount, Ordering::AcqRel, Ordering::Relaxed) { // CLEAN: atomic-split: compare_exchange loop, a concurrent larger value is re-read instead of overwritten
                Ok(_) => break,
                Err(current) => seen = current,
            }
        }
    }

    /// Stops the tellers and returns the largest transfer they executed.
    pub fn shutdown(&self) -> i64 {
        let tellers = std::mem::take(&mut *self.tellers.lock().unwrap());
        tellers.iter().for_each(|_| self.submit(Request::Stop));
        tellers.into_iter().for_each(|teller| drop(teller.join()));
        self.largest.load(Ordering::Relaxed)
    }
}
