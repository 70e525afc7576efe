use std::collections::HashMap;
use std::sync::Mutex;

use crate::model::TenantId;

/// Prepaid usage credits of one tenant.
#[derive(Clone, Copy, Debug, Default)]
pub struct UsageAccount {
    pub balance: i64,
    pub charged: u64,
}

/// Credit balances, striped over a fixed number of slots to keep the
/// per-sample charge cheap.
pub struct CreditLedger {
    slots: Vec<Mutex<HashMap<TenantId, UsageAccount>>>,
}

impl CreditLedger {
    pub fn new(slots: usize) -> Self {
        CreditLedger {
            slots: (0..slots.max(1)).map(|_| Mutex::new(HashMap::new())).collect(),
        }
    }

    fn slot_of(&self, tenant: TenantId) -> usize {
        tenant as usize % self.slots.len()
    }

    /// Charges `units` to the tenant and returns the remaining balance.
    pub fn charge(&self, tenant: TenantId, units: u64) -> i64 {
        let mut slot = self.slots[self.slot_of(tenant)].lock().unwrap();
        let acct = slot.entry(tenant).or_default();
        acct.balance -= units as i64;
        acct.charged += units;
        acct.balance
    }

    pub fn grant(&self, tenant: TenantId, amount: i64) {
        let mut slot = self.slots[self.slot_of(tenant)].lock().unwrap();
        slot.entry(tenant).or_default().balance += amount;
    }

    pub fn account(&self, tenant: TenantId) -> UsageAccount {
        let slot = self.slots[self.slot_of(tenant)].lock().unwrap();
        slot.get(&tenant).copied().unwrap_or_default()
    }

    /// Moves credits between two tenants atomically.
    pub fn transfer(&self, from: TenantId, to: TenantId, amount: i64) -> Result<(), String> {
        if amount <= 0 {
            return Err("transfer amount must be positive".into());
        }
        let (a, b) = (self.slot_of(from), self.slot_of(to));
        if a == b {
            let mut slot = self.slots[a].lock().unwrap();
            let src = slot.entry(from).or_default();
            if src.balance < amount {
                return Err(format!("tenant {from} has insufficient credits"));
            }
            src.balance -= amount;
            slot.entry(to).or_default().balance += amount;
            return Ok(());
        }
        let (lo, hi) = (a.min(b), a.max(b));
        let mut first = self.slots[lo].lock().unwrap();
        let mut second = self.slots[hi].lock().unwrap(); // CLEAN: lock-order: slots always locked in ascending index order, whatever the transfer direction
        let (src_slot, dst_slot) = if a == lo {
            (&mut *first, &mut *second)
        } else {
            (&mut *second, &mut *first)
        };
        let src = src_slot.entry(from).or_default();
        if src.balance < amount {
            return Err(format!("tenant {from} has insufficient credits"));
        }
        src.balance -= amount;
        dst_slot.entry(to).or_default().balance += amount;
        Ok(())
    }
}
