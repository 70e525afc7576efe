//! Session statistics and id generators.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use parking_lot::Mutex;

use crate::types::{OrderId, Price, Symbol, Trade, TradeId};

#[derive(Default, Debug, Clone)]
pub struct Totals {
    pub notional: i64,
    pub volume: i64,
    pub trades: u64,
    pub last_px: HashMap<Symbol, Price>,
}

pub struct SessionStats {
    totals: Mutex<Totals>,
    next_order_id: AtomicU64,
    next_trade_id: AtomicU64,
    peak_resting: AtomicU64,
    rejects: AtomicU64,
    big_moves: AtomicU64,
}

impl Default for SessionStats {
    fn default() -> Self {
        Self::new()
    }
}

impl SessionStats {
    pub fn new() -> Self {
        SessionStats {
            totals: Mutex::new(Totals::default()),
            next_order_id: AtomicU64::new(1),
            next_trade_id: AtomicU64::new(1),
            peak_resting: AtomicU64::new(0),
            rejects: AtomicU64::new(0),
            big_moves: AtomicU64::new(0),
        }
    }

    /// Allocates an order id for a client gateway.
    pub fn next_order_id(&self) -> OrderId {
        let id = self.next_order_id.load(Ordering::Acquire);
        self.next_order_id.store(id + 1, Ordering::Release); // PLANTED: atomic-split: load then store of id + 1; concurrent gateways hand out the same order id
        id
    }

    pub fn next_trade_id(&self) -> TradeId {
        self.next_trade_id.fetch_add(1, Ordering::Relaxed)
    }

    /// Tracks the high-water mark of resting orders in any one book.
    pub fn note_resting(&self, resting: u64) {
        let mut current = self.peak_resting.load(Ordering::Relaxed);
        while resting > current {
            match self.peak_resting.compare_exchange_weak(current, resting, Ordering::AcqRel, Ordering::Relaxed) { // CLEAN: atomic-split: compare_exchange loop retries on a concurrent update
                Ok(_) => break,
                Err(actual) => current = actual,
            }
        }
    }

    pub fn peak_resting(&self) -> u64 {
        self.peak_resting.load(Ordering::Relaxed)
    }

    pub fn note_reject(&self) {
        self.rejects.fetch_add(1, Ordering::Relaxed);
    }

    pub fn rejects(&self) -> u64 {
        self.rejects.load(Ordering::Relaxed)
    }

    pub fn traded_notional(&self) -> i64 {
        self.totals.lock().notional
    }

    pub fn last_price(&self, symbol: &Symbol) -> Option<Price> {
        self.totals.lock().last_px.get(symbol).copied()
    }

    pub fn record_trade(&self, trade: &Trade) {
        let notional = self.traded_notional();
        let updated = notional + trade.notional();
        self.totals.lock().notional = updated; // PLANTED: stale-read: total read by traded_notional() under an earlier lock; both engine threads add to it
        let mut totals = self.totals.lock();
        totals.volume += trade.qty;
        totals.trades += 1;
    }

    /// Stores the last price and returns the move against the previous one,
    /// in basis points.
    pub fn record_last_price(&self, symbol: &Symbol, price: Price) -> Option<i64> {
        let previous = self.last_price(symbol);
        let moved_bps = previous.map(|p| (price - p) * 10_000 / p.max(1));
        self.totals.lock().last_px.insert(symbol.clone(), price); // CLEAN: stale-read: the stored value is the new print, not derived from `previous`
        if moved_bps.map_or(false, |m| m.abs() >= 500) {
            self.big_moves.fetch_add(1, Ordering::Relaxed);
        }
        moved_bps
    }

    pub fn big_moves(&self) -> u64 {
        self.big_moves.load(Ordering::Relaxed)
    }

    pub fn totals(&self) -> Totals {
        self.totals.lock().clone()
    }
}
