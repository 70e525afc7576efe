//! Per-customer limits on how many jobs may be in the raster stage at once.

use std::collections::HashMap;
use std::sync::Arc;

use racecheck::{Lock, Semaphore};

use crate::model::CustomerId;

pub struct QuotaBoard {
    slots: Lock<HashMap<CustomerId, Arc<Semaphore>>>,
    per_customer: usize,
    overrides: HashMap<CustomerId, usize>,
}

impl QuotaBoard {
    pub fn new(per_customer: usize) -> Self {
        QuotaBoard {
            slots: Lock::new(HashMap::new()),
            per_customer: per_customer.max(1),
            overrides: HashMap::new(),
        }
    }

    pub fn with_override(mut self, customer: CustomerId, limit: usize) -> Self {
        self.overrides.insert(customer, limit.max(1));
        self
    }

    pub fn limit_for(&self, customer: CustomerId) -> usize {
        self.overrides.get(&customer).copied().unwrap_or(self.per_customer)
    }

    /// The customer's semaphore; the caller acquires it after the table lock is gone.
    pub fn semaphore_for(&self, customer: CustomerId) -> Arc<Semaphore> {
        let limit = self.limit_for(customer);
        let mut slots = self.slots.acquire();
        let semaphore = slots.entry(customer).or_insert_with(|| Arc::new(Semaphore::new(limit)));
        Arc::clone(semaphore)
    }
}
