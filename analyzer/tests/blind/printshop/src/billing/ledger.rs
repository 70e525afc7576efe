//! Customer accounts: what each customer owes and what has been settled.

use std::collections::HashMap;

use racecheck::Lock;

use super::audit::{AuditEntry, AuditTrail, EntryKind};
use crate::model::CustomerId;

#[derive(Debug, Default, Clone)]
pub struct Account {
    /// Negative when the customer owes the shop.
    pub balance: i64,
    pub invoiced: i64,
    pub settled: i64,
    pub invoices: u32,
    pub refunds: u32,
}

pub struct Ledger {
    accounts: Lock<HashMap<CustomerId, Account>>,
}

impl Ledger {
    pub fn new(customers: &[CustomerId]) -> Self {
        let accounts = customers.iter().map(|&customer| (customer, Account::default())).collect();
        Ledger { accounts: Lock::new(accounts) }
    }

    pub fn balance(&self, customer: CustomerId) -> i64 {
        self.accounts.acquire().get(&customer).map_or(0, |account| account.balance)
    }

    pub fn set_balance(&self, customer: CustomerId, balance: i64) {
        self.accounts.acquire().entry(customer).or_default().balance = balance;
    }

    /// Adds `delta` to the balance and returns the new balance.
    pub fn adjust_balance(&self, customer: CustomerId, delta: i64) -> i64 {
        let mut accounts = self.accounts.acquire();
        let account = accounts.entry(customer).or_default();
        let current = account.balance;
        account.balance = current + delta; // CLEAN: stale-read: read and write-back inside one critical section
        account.balance
    }

    /// Books an invoice and writes it to the audit trail while the account is still locked,
    /// so the trail lists invoices in the order they hit the account.
    pub fn record_invoice(&self, customer: CustomerId, amount: i64, audit: &AuditTrail) -> u64 {
        let mut accounts = self.accounts.acquire();
        let account = accounts.entry(customer).or_default();
        account.invoiced += amount;
        account.invoices += 1;
        audit.append(customer, amount, EntryKind::Invoice)
    }

    pub fn apply_settlement(&self, entry: &AuditEntry) {
        let mut accounts = self.accounts.acquire(); // PLANTED: lock-order: audit.log (held by drain_pending) then ledger.accounts, while record_invoice takes accounts then audit.log
        let account = accounts.entry(entry.customer).or_default();
        account.settled += entry.amount;
        if entry.kind == EntryKind::Refund {
            account.refunds += 1;
        }
    }

    /// (total balance, total invoiced) over every account.
    pub fn totals(&self) -> (i64, i64) {
        let accounts = self.accounts.acquire();
        accounts.values().fold((0, 0), |(balance, invoiced), account| {
            (balance + account.balance, invoiced + account.invoiced)
        })
    }

    pub fn customers(&self) -> Vec<CustomerId> {
        let mut ids: Vec<CustomerId> = self.accounts.acquire().keys().copied().collect();
        ids.sort();
        ids
    }
}
