use std::collections::HashMap;
use std::sync::PoisonError;

pub type Sku = u32;

#[derive(Debug, Clone)]
pub struct Item {
    pub sku: Sku,
    pub on_hand: u32,
    pub reserved: u32,
}

impl Item {
    pub fn available(&self) -> u32 {
        self.on_hand.saturating_sub(self.reserved)
    }
}

#[derive(Debug)]
pub enum StockError {
    UnknownSku(Sku),
    Insufficient(Sku, u32),
    UnknownBin(usize),
    Poisoned(&'static str),
}

impl<T> From<PoisonError<T>> for StockError {
    fn from(_: PoisonError<T>) -> Self {
        StockError::Poisoned("stock")
    }
}

#[derive(Debug, Default)]
pub struct StockTable {
    items: HashMap<Sku, Item>,
    pub version: u64,
}

impl StockTable {
    pub fn insert(&mut self, sku: Sku, on_hand: u32) {
        self.items.insert(sku, Item { sku, on_hand, reserved: 0 });
    }
    pub fn get_mut(&mut self, sku: Sku) -> Result<&mut Item, StockError> {
        self.items.get_mut(&sku).ok_or(StockError::UnknownSku(sku))
    }
    pub fn reserve(&mut self, sku: Sku, qty: u32) -> Result<u32, StockError> {
        let item = self.get_mut(sku)?;
        if item.available() < qty {
            return Err(StockError::Insufficient(sku, item.available()));
        }
        item.reserved += qty;
        Ok(item.available())
    }
    pub fn release(&mut self, sku: Sku, qty: u32) -> Result<u32, StockError> {
        let item = self.get_mut(sku)?;
        item.reserved = item.reserved.saturating_sub(qty);
        Ok(item.available())
    }
    pub fn total_units(&self) -> u64 {
        self.items.values().map(|i| i.on_hand as u64).sum()
    }
    pub fn on_hand_by_sku(&self) -> Vec<(Sku, u32)> {
        self.items.values().map(|i| (i.sku, i.on_hand)).collect()
    }
}

#[derive(Debug, Default)]
pub struct Bin {
    pub id: usize,
    pub contents: HashMap<Sku, u32>,
}

impl Bin {
    pub fn take(&mut self, sku: Sku, qty: u32) -> bool {
        let have = self.contents.entry(sku).or_insert(0);
        let enough = *have >= qty;
        *have -= if enough { qty } else { 0 };
        enough
    }
    pub fn put(&mut self, sku: Sku, qty: u32) {
        *self.contents.entry(sku).or_insert(0) += qty;
    }
}
