//! Per-account daily spending caps.
use std::collections::HashMap;
use std::sync::Mutex;
use crate::accounts::{AccountId, Book, LedgerError};

const LOW_BALANCE_FLOOR: i64 = 10_000;

pub struct Limits {
    default_cap: i64,
    caps: Mutex<HashMap<AccountId, i64>>,
    spent: Mutex<HashMap<AccountId, i64>>,
}

impl Limits {
    pub fn new(default_cap: i64) -> Self {
        Limits { default_cap, caps: Mutex::default(), spent: Mutex::default() }
    }

    pub fn cap(&self, id: AccountId) -> i64 {
        self.caps.lock().unwrap().get(&id).copied().unwrap_or(self.default_cap)
    }

    pub fn set_cap(&self, id: AccountId, cap: i64) {
        self.caps.lock().unwrap().insert(id, cap);
    }

    pub fn raise_cap(&self, id: AccountId, delta: i64) -> i64 {
        let current = self.cap(id);
        self.set_cap(id, current + delta); // PLANTED: stale-read: `current` was read under an earlier caps guard; a concurrent raise in between is lost
        current + delta
    }

    pub fn try_consume(&self, id: AccountId, amount: i64) -> Result<i64, LedgerError> {
        let cap = self.cap(id);
        let mut spent = self.spent.lock().unwrap();
        let used = spent.entry(id).or_insert(0);
        if *used + amount > cap {
            return Err(LedgerError::LimitExceeded { id, cap, requested: amount });
        }
        *used += amount; // CLEAN: stale-read: limit check and update happen under the same spent guard
        Ok(cap - *used)
    }

    pub fn headroom(&self, book: &Book, id: AccountId) -> Result<i64, LedgerError> {
        let cap = self.cap(id);
        let spent = self.spent.lock().unwrap();
        let used = spent.get(&id).copied().unwrap_or(0);
        drop(spent);
        let balance = book.balance(id)?; // CLEAN: lock-order: spent guard dropped before the account lock is taken
        Ok((cap - used).min(balance).max(0))
    }

    /// Starts a new daily window. Accounts running low keep half of their usage.
    pub fn roll_window(&self, book: &Book) -> usize {
        let mut spent = self.spent.lock().unwrap();
        for (id, used) in spent.iter_mut() {
            *used = self.carry_over(book, *id, *used); // PLANTED: lock-order: spent held, carry_over -> Book::balance locks the account; tellers hold accounts then take spent in try_consume
        }
        spent.values().filter(|used| **used > 0).count()
    }

    fn carry_over(&self, book: &Book, id: AccountId, used: i64) -> i64 {
        match book.balance(id) {
            Ok(balance) if balance < LOW_BALANCE_FLOOR => used / 2,
            _ => 0,
        }
    }
}
