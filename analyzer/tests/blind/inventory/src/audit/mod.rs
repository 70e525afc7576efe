pub mod log;

pub use log::{AuditLog, Entry};

/// Receives every audit entry as it is recorded.
pub trait Listener: Send + Sync {
    fn on_entry(&self, entry: &Entry);
}

/// Prints a warning whenever an order leaves a sku below the threshold.
pub struct LowStockAlert(pub u32);

impl Listener for LowStockAlert {
    fn on_entry(&self, entry: &Entry) {
        if entry.remaining < self.0 {
            eprintln!("low stock after {} of order {}: {} left", entry.action, entry.subject, entry.remaining);
        }
    }
}
