//! Prepaid credit, one wallet per customer, each behind its own lock.

use std::collections::HashMap;
use std::fmt;

use racecheck::Lock;

use crate::model::CustomerId;

#[derive(Debug, Default, Clone)]
pub struct Wallet {
    pub credit: i64,
    pub deposits: u32,
    pub transfers: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalletError {
    UnknownCustomer(CustomerId),
    Insufficient { wanted: i64, available: i64 },
    SameWallet,
}

impl fmt::Display for WalletError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WalletError::UnknownCustomer(c) => write!(f, "no wallet for {c}"),
            WalletError::Insufficient { wanted, available } => write!(f, "wanted {wanted}, have {available}"),
            WalletError::SameWallet => write!(f, "source and destination are the same"),
        }
    }
}

pub struct Wallets {
    slots: Vec<Lock<Wallet>>,
    index: HashMap<CustomerId, usize>,
}

impl Wallets {
    pub fn new(customers: &[CustomerId]) -> Self {
        let index = customers.iter().enumerate().map(|(slot, &customer)| (customer, slot)).collect();
        Wallets { slots: customers.iter().map(|_| Lock::new(Wallet::default())).collect(), index }
    }

    fn slot(&self, customer: CustomerId) -> Result<usize, WalletError> {
        self.index.get(&customer).copied().ok_or(WalletError::UnknownCustomer(customer))
    }

    pub fn deposit(&self, customer: CustomerId, amount: i64) -> Result<i64, WalletError> {
        let slot = self.slot(customer)?;
        let mut wallet = self.slots[slot].acquire();
        wallet.credit += amount;
        wallet.deposits += 1;
        Ok(wallet.credit)
    }

    /// Takes up to `wanted` from the wallet; returns what was taken.
    pub fn draw(&self, customer: CustomerId, wanted: i64) -> i64 {
        let Ok(slot) = self.slot(customer) else {
            return 0;
        };
        let mut wallet = self.slots[slot].acquire();
        let taken = wanted.min(wallet.credit).max(0);
        wallet.credit -= taken;
        taken
    }

    pub fn transfer(&self, from: CustomerId, to: CustomerId, amount: i64) -> Result<(), WalletError> {
        let (a, b) = (self.slot(from)?, self.slot(to)?);
        if a == b {
            return Err(WalletError::SameWallet);
        }
        let (low, high) = if a < b { (a, b) } else { (b, a) };
        let mut first = self.slots[low].acquire();
        let mut second = self.slots[high].acquire(); // CLEAN: lock-order: wallets are always locked lowest slot first, whatever the direction of the transfer
        let (source, target) = if a < b { (&mut *first, &mut *second) } else { (&mut *second, &mut *first) };
        if source.credit < amount {
            return Err(WalletError::Insufficient { wanted: amount, available: source.credit });
        }
        source.credit -= amount;
        target.credit += amount;
        source.transfers += 1;
        target.transfers += 1;
        Ok(())
    }

    pub fn total(&self) -> i64 {
        self.slots.iter().map(|slot| slot.acquire().credit).sum()
    }
}
