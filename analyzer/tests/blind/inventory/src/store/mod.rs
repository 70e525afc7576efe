pub mod bins;
pub mod stock;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

pub use stock::{Bin, Sku, StockError, StockTable};

/// Central warehouse state shared by the order, audit and reporting services.
pub struct Store {
    pub(crate) stock: Arc<Mutex<StockTable>>,
    pub(crate) prices: RwLock<HashMap<Sku, u32>>,
    pub(crate) bins: Vec<Mutex<Bin>>,
    pub(crate) reserved_total: Mutex<u64>,
}

impl Store {
    pub fn new(bin_count: usize, catalog: &[(Sku, u32, u32)]) -> Self {
        let mut table = StockTable::default();
        catalog.iter().for_each(|&(sku, on_hand, _)| table.insert(sku, on_hand));
        Store {
            stock: Arc::new(Mutex::new(table)),
            prices: RwLock::new(catalog.iter().map(|&(sku, _, price)| (sku, price)).collect()),
            bins: (0..bin_count).map(|id| Mutex::new(Bin { id, ..Bin::default() })).collect(),
            reserved_total: Mutex::new(0),
        }
    }
    pub fn lock_stock(&self) -> Result<MutexGuard<'_, StockTable>, StockError> {
        self.stock.lock().map_err(StockError::from)
    }
    pub fn total_units(&self) -> u64 {
        self.stock.lock().unwrap().total_units()
    }
    pub fn restock(&self, sku: Sku, qty: u32) -> Result<u64, StockError> {
        let mut table = self.lock_stock()?;
        table.get_mut(sku)?.on_hand += qty;
        table.version += 1;
        let units = self.total_units(); // PLANTED: double-lock: total_units() locks self.stock while `table` still guards it
        Ok(units)
    }
    pub fn write_off(&self, sku: Sku, qty: u32) -> Result<u64, StockError> {
        let mut table = self.lock_stock()?;
        let item = table.get_mut(sku)?;
        item.on_hand = item.on_hand.saturating_sub(qty);
        table.version += 1;
        drop(table);
        Ok(self.total_units()) // CLEAN: double-lock: `table` was dropped on the previous line
    }
    pub fn reserved_total(&self) -> u64 {
        *self.reserved_total.lock().unwrap()
    }
    pub fn note_reservation(&self, qty: u32) {
        let current = self.reserved_total();
        let updated = current + qty as u64;
        *self.reserved_total.lock().unwrap() = updated; // PLANTED: stale-read: value read via reserved_total() getter, written back under a new guard; other pickers update in between
    }
    pub fn note_release(&self, qty: u32) {
        let mut total = self.reserved_total.lock().unwrap();
        *total = total.saturating_sub(qty as u64); // CLEAN: stale-read: read and write happen under the same guard
    }
    pub fn price_of(&self, sku: Sku) -> Option<u32> {
        self.prices.read().unwrap().get(&sku).copied()
    }
    pub fn ensure_price(&self, sku: Sku, default: u32) -> u32 {
        let prices = self.prices.read().unwrap();
        if let Some(price) = prices.get(&sku) {
            return *price;
        }
        let mut prices_w = self.prices.write().unwrap(); // PLANTED: double-lock: write() on self.prices while read guard `prices` is alive
        *prices_w.entry(sku).or_insert(default)
    }
    pub fn ensure_price_checked(&self, sku: Sku, default: u32) -> u32 {
        if let Some(price) = self.prices.read().unwrap().get(&sku) {
            return *price;
        }
        let mut prices = self.prices.write().unwrap(); // CLEAN: double-lock: the read guard was a temporary of the `if let` above and is gone
        *prices.entry(sku).or_insert(default)
    }
    pub fn reprice(&self, percent: i64) -> Result<u64, StockError> {
        let mut prices = self.prices.write().map_err(|_| StockError::Poisoned("prices"))?;
        for price in prices.values_mut() {
            *price = ((*price as i64) * (100 + percent) / 100).max(1) as u32;
        }
        let mut table = self.stock.lock().unwrap(); // PLANTED: lock-order: prices(write) -> stock here, inventory_value() takes stock -> prices(read)
        table.version += 1;
        Ok(table.version)
    }
    pub fn inventory_value(&self) -> u64 {
        let table = self.stock.lock().unwrap();
        let mut value = 0u64;
        for (sku, on_hand) in table.on_hand_by_sku() {
            value += on_hand as u64 * self.price_of(sku).unwrap_or(0) as u64;
        }
        value
    }
}
