//! Member account and custody vault records.

use std::collections::HashMap;

use crate::types::{AccountId, Qty, Symbol};

#[derive(Clone, Debug)]
pub struct Account {
    pub id: AccountId,
    pub name: String,
    pub cash: i64,
    pub margin_used: i64,
    pub fees_paid: i64,
    pub positions: HashMap<Symbol, Qty>,
    pub fills: u64,
    pub under_review: bool,
}

impl Account {
    pub fn new(id: AccountId, name: &str, cash: i64) -> Self {
        Account {
            id,
            name: name.to_string(),
            cash,
            margin_used: 0,
            fees_paid: 0,
            positions: HashMap::new(),
            fills: 0,
            under_review: false,
        }
    }

    pub fn position(&self, symbol: &Symbol) -> Qty {
        self.positions.get(symbol).copied().unwrap_or(0)
    }

    pub fn gross_position(&self) -> Qty {
        self.positions.values().map(|q| q.abs()).sum()
    }

    pub fn view(&self) -> AccountView {
        let mut positions: Vec<(Symbol, Qty)> = self
            .positions
            .iter()
            .filter(|(_, q)| **q != 0)
            .map(|(s, q)| (s.clone(), *q))
            .collect();
        positions.sort();
        AccountView {
            id: self.id,
            name: self.name.clone(),
            cash: self.cash,
            margin_used: self.margin_used,
            fees_paid: self.fees_paid,
            positions,
            under_review: self.under_review,
        }
    }
}

/// Read-only copy of an account handed out to reports.
#[derive(Clone, Debug)]
pub struct AccountView {
    pub id: AccountId,
    pub name: String,
    pub cash: i64,
    pub margin_used: i64,
    pub fees_paid: i64,
    pub positions: Vec<(Symbol, Qty)>,
    pub under_review: bool,
}

/// Collateral a member has pledged at the custodian.
#[derive(Clone, Debug)]
pub struct Vault {
    pub owner: AccountId,
    pub pledged: i64,
    pub transfers: u32,
}

impl Vault {
    pub fn new(owner: AccountId, pledged: i64) -> Self {
        Vault {
            owner,
            pledged,
            transfers: 0,
        }
    }
}
