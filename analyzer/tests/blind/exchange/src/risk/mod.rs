//! Pre-trade risk: static limits, credit reservation and live exposure.

pub mod limits;

use std::collections::HashMap;

use parking_lot::{Mutex, RwLock};

use limits::{Exposure, Limits, MarginLine};

use crate::book::BookRegistry;
use crate::types::{AccountId, Order, Price, Reject, Trade};

pub struct RiskEngine {
    limits: RwLock<HashMap<AccountId, Limits>>,
    exposure: Mutex<HashMap<AccountId, Exposure>>,
    /// Notional currently reserved by working orders, per account.
    credit: Mutex<HashMap<AccountId, i64>>,
    default_limits: Limits,
}

impl RiskEngine {
    pub fn new(default_limits: Limits) -> Self {
        RiskEngine {
            limits: RwLock::new(HashMap::new()),
            exposure: Mutex::new(HashMap::new()),
            credit: Mutex::new(HashMap::new()),
            default_limits,
        }
    }

    pub fn set_limits(&self, account: AccountId, limits: Limits) {
        self.limits.write().insert(account, limits);
    }

    pub fn limits_for(&self, account: AccountId) -> Limits {
        self.limits
            .read()
            .get(&account)
            .cloned()
            .unwrap_or_else(|| self.default_limits.clone())
    }

    pub fn check_order(&self, order: &Order, reference: Option<Price>) -> Result<(), Reject> {
        self.limits_for(order.account).check(order, reference)
    }

    pub fn used_credit(&self, account: AccountId) -> i64 {
        self.credit.lock().get(&account).copied().unwrap_or(0)
    }

    fn set_used_credit(&self, account: AccountId, used: i64) {
        self.credit.lock().insert(account, used);
    }

    /// Reserves credit for a new order.
    pub fn reserve_credit(&self, account: AccountId, notional: i64) -> Result<(), Reject> {
        let limit = self.limits_for(account).credit;
        let used = self.used_credit(account);
        if used + notional > limit {
            return Err(Reject::CreditLimit {
                used,
                requested: notional,
                limit,
            });
        }
        self.set_used_credit(account, used + notional); // PLANTED: stale-read: `used` was read under an earlier credit lock; two engine threads reserving for one account lose an update
        Ok(())
    }

    /// Gives back credit once an order is filled or cancelled.
    pub fn release_credit(&self, account: AccountId, notional: i64) {
        let mut credit = self.credit.lock();
        let used = credit.entry(account).or_insert(0);
        *used = (*used - notional).max(0); // CLEAN: stale-read: read-modify-write under a single credit guard
    }

    /// Books a fill into both counterparties' exposure.
    pub fn on_fill(&self, trade: &Trade) {
        let mut exposure = self.exposure.lock(); // PLANTED: lock-order: engine holds the book lock here; revalue holds exposure and then locks books
        exposure
            .entry(trade.buyer)
            .or_default()
            .apply(&trade.symbol, trade.qty);
        exposure
            .entry(trade.seller)
            .or_default()
            .apply(&trade.symbol, -trade.qty);
    }

    /// Marks every account to market. Returns the gross marked exposure.
    pub fn revalue(&self, books: &BookRegistry) -> i64 {
        let mut exposure = self.exposure.lock();
        let mut gross = 0;
        for expo in exposure.values_mut() {
            let mut marked = 0;
            for (symbol, qty) in &expo.positions {
                if let Some(px) = books.mark_price(symbol) {
                    marked += px * qty;
                }
            }
            expo.last_mark = marked;
            gross += marked.abs();
        }
        gross
    }

    /// Per-position margin lines for the risk desk.
    pub fn margin_report(&self, books: &BookRegistry) -> Vec<MarginLine> {
        let positions: Vec<_> = {
            let exposure = self.exposure.lock();
            exposure
                .iter()
                .flat_map(|(acct, e)| {
                    e.positions
                        .iter()
                        .filter(|(_, q)| **q != 0)
                        .map(move |(s, q)| (*acct, s.clone(), *q))
                })
                .collect()
        };
        let mut lines = Vec::with_capacity(positions.len());
        for (account, symbol, qty) in positions {
            let book = match books.get(&symbol) {
                Some(book) => book,
                None => continue,
            };
            let mark = book.lock().mark_price(); // CLEAN: lock-order: exposure guard was released before any book is locked
            lines.push(MarginLine {
                account,
                symbol,
                qty,
                mark,
                value: mark * qty,
            });
        }
        lines.sort_by_key(|l| std::cmp::Reverse(l.value.abs()));
        lines
    }

    pub fn gross_exposure(&self, account: AccountId) -> i64 {
        self.exposure
            .lock()
            .get(&account)
            .map(|e| e.gross())
            .unwrap_or(0)
    }
}
