use super::{Sku, StockError, Store};

impl Store {
    pub fn stow(&self, bin: usize, sku: Sku, qty: u32) -> Result<(), StockError> {
        let slot = self.bins.get(bin).ok_or(StockError::UnknownBin(bin))?;
        let mut guard = match slot.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        };
        guard.put(sku, qty);
        Ok(())
    }
    /// Move units of `sku` from one bin to another on behalf of a picker.
    pub fn move_stock(&self, from: usize, to: usize, sku: Sku, qty: u32) -> Result<bool, StockError> {
        if from.max(to) >= self.bins.len() {
            return Err(StockError::UnknownBin(from.max(to)));
        }
        if from == to {
            return Ok(true);
        }
        let mut source = self.bins[from].lock().map_err(|_| StockError::Poisoned("bin"))?;
        let mut dest = self.bins[to].lock().map_err(|_| StockError::Poisoned("bin"))?; // PLANTED: lock-order: bins locked in caller order (from, to); a concurrent move in the other direction takes them (to, from)
        let moved = source.take(sku, qty);
        if moved {
            dest.put(sku, qty);
        }
        Ok(moved)
    }
    /// Even out one sku between two bins; always locks the lower bin id first.
    pub fn rebalance(&self, a: usize, b: usize, sku: Sku) -> Result<u32, StockError> {
        let (lo, hi) = (a.min(b), a.max(b));
        if hi >= self.bins.len() {
            return Err(StockError::UnknownBin(hi));
        }
        if lo == hi {
            return Ok(0);
        }
        let mut first = self.bins[lo].lock().map_err(|_| StockError::Poisoned("bin"))?;
        let mut second = self.bins[hi].lock().map_err(|_| StockError::Poisoned("bin"))?; // CLEAN: lock-order: bins taken in ascending id order via min/max
        let have = first.contents.get(&sku).copied().unwrap_or(0);
        let other = second.contents.get(&sku).copied().unwrap_or(0);
        let delta = have.saturating_sub(other) / 2;
        if delta > 0 && first.take(sku, delta) {
            second.put(sku, delta);
        }
        Ok(delta)
    }
}
