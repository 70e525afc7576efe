//! Member accounts: cash, positions and pledged collateral.
//!
//! Every account sits behind its own mutex so settlement of unrelated members
//! proceeds in parallel.

pub mod account;

use std::sync::Mutex;

use account::{Account, AccountView, Vault};

use crate::types::{AccountId, Price, Qty, Symbol};

pub struct AccountStore {
    accounts: Vec<Mutex<Account>>,
    vaults: Vec<Mutex<Vault>>,
    /// Initial margin as basis points of position value.
    margin_bps: i64,
}

impl AccountStore {
    pub fn new(accounts: Vec<Account>, vaults: Vec<Vault>, margin_bps: i64) -> Self {
        AccountStore {
            accounts: accounts.into_iter().map(Mutex::new).collect(),
            vaults: vaults.into_iter().map(Mutex::new).collect(),
            margin_bps,
        }
    }

    pub fn len(&self) -> usize {
        self.accounts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.accounts.is_empty()
    }

    pub fn exists(&self, id: AccountId) -> bool {
        id < self.accounts.len()
    }

    pub fn view(&self, id: AccountId) -> Option<AccountView> {
        let acct = self.accounts.get(id)?.lock().unwrap();
        Some(acct.view())
    }

    pub fn available_margin(&self, id: AccountId) -> i64 {
        let acct = self.accounts[id].lock().unwrap();
        acct.cash - acct.margin_used
    }

    pub fn total_cash(&self) -> i64 {
        self.accounts.iter().map(|a| a.lock().unwrap().cash).sum()
    }

    /// Cash leg of a trade: `payer` pays `amount` to `payee`.
    pub fn settle_cash(&self, payer: AccountId, payee: AccountId, amount: i64) {
        if payer == payee {
            return;
        }
        let mut from = self.accounts[payer].lock().unwrap();
        let mut to = self.accounts[payee].lock().unwrap(); // PLANTED: lock-order: payer-then-payee order flips with trade direction across settlement workers
        from.cash -= amount;
        to.cash += amount;
    }

    /// Moves pledged collateral between two members' vaults.
    pub fn move_collateral(&self, from: AccountId, to: AccountId, amount: i64) -> bool {
        if from == to || !self.exists(from) || !self.exists(to) {
            return false;
        }
        let (lo, hi) = (from.min(to), from.max(to));
        let mut first = self.vaults[lo].lock().unwrap();
        let mut second = self.vaults[hi].lock().unwrap(); // CLEAN: lock-order: vaults are always locked in ascending id order
        let (src, dst) = if from == lo {
            (&mut *first, &mut *second)
        } else {
            (&mut *second, &mut *first)
        };
        if src.pledged < amount {
            return false;
        }
        src.pledged -= amount;
        dst.pledged += amount;
        src.transfers += 1;
        dst.transfers += 1;
        true
    }

    pub fn pledged(&self, id: AccountId) -> i64 {
        self.vaults[id].lock().unwrap().pledged
    }

    /// Position leg of a trade for one side.
    pub fn apply_fill(&self, id: AccountId, symbol: &Symbol, signed_qty: Qty, price: Price) {
        let mut acct = self.accounts[id].lock().unwrap();
        acct.fills += 1;
        let before = acct.position(symbol);
        let after = before + signed_qty;
        acct.positions.insert(symbol.clone(), after);
        let delta = (after.abs() - before.abs()) * price * self.margin_bps / 10_000;
        acct.margin_used = (acct.margin_used + delta).max(0);

        if before != 0 && after != 0 && before.signum() != after.signum() {
            // The position flipped through flat: the new side has to be
            // covered on its own.
            if self.margin_headroom(id) < 0 {
                acct.under_review = true;
            }
        }
    }

    fn margin_headroom(&self, id: AccountId) -> i64 {
        let acct = self.accounts[id].lock().unwrap(); // PLANTED: double-lock: apply_fill still holds accounts[id] when it calls this
        acct.cash - acct.margin_used
    }

    pub fn charge_fee(&self, id: AccountId, fee: i64) {
        let mut acct = self.accounts[id].lock().unwrap();
        acct.cash -= fee;
        acct.fees_paid += fee;
        let overdrawn = acct.cash < 0;
        drop(acct);
        if overdrawn {
            self.flag_if_overdrawn(id);
        }
    }

    fn flag_if_overdrawn(&self, id: AccountId) {
        let mut acct = self.accounts[id].lock().unwrap(); // CLEAN: double-lock: charge_fee dropped its guard before calling
        if acct.cash < 0 {
            acct.under_review = true;
        }
    }

    pub fn views(&self, ids: std::ops::Range<AccountId>) -> Vec<AccountView> {
        ids.filter_map(|id| self.view(id)).collect()
    }
}
