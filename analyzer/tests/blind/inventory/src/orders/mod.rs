pub mod queue;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

use crate::audit::AuditLog;
use crate::metrics::Metrics;
use crate::store::{Sku, StockError, Store};
pub use queue::OrderQueue;

pub type OrderId = u64;

#[derive(Debug, Clone)]
pub struct Order {
    pub id: OrderId,
    pub sku: Sku,
    pub qty: u32,
}

#[derive(Debug)]
pub enum OrderError {
    Stock(StockError),
    Poisoned,
    ServiceStopped,
}

impl From<StockError> for OrderError {
    fn from(e: StockError) -> Self {
        OrderError::Stock(e)
    }
}

pub struct OrderService {
    store: Arc<Store>,
    audit: Arc<AuditLog>,
    metrics: Arc<Metrics>,
    queue: OrderQueue,
    pending: Mutex<HashMap<OrderId, Order>>,
    confirm_tx: Sender<OrderId>,
    confirmations: Mutex<Receiver<OrderId>>,
    workers: Mutex<Vec<JoinHandle<()>>>,
    stopping: AtomicBool,
}

impl OrderService {
    pub fn new(store: Arc<Store>, audit: Arc<AuditLog>, metrics: Arc<Metrics>) -> Self {
        let (confirm_tx, confirm_rx) = mpsc::channel();
        let (queue, pending, workers) = (OrderQueue::default(), Mutex::default(), Mutex::default());
        let confirmations = Mutex::new(confirm_rx);
        OrderService { store, audit, metrics, queue, pending, confirm_tx, confirmations, workers, stopping: AtomicBool::new(false) }
    }
    pub fn start(self: &Arc<Self>, pickers: usize) {
        let mut workers = self.workers.lock().unwrap();
        for n in 0..pickers {
            let (svc, tx) = (Arc::clone(self), self.confirm_tx.clone());
            workers.push(thread::spawn(move || svc.run_picker(tx, n % 2 == 1)));
        }
        let (svc, tx) = (Arc::clone(self), self.confirm_tx.clone());
        workers.push(thread::spawn(move || {
            while let Some(order) = svc.queue.pop_tracked() {
                svc.complete(order, &tx);
            }
        }));
        let svc = Arc::clone(self);
        workers.push(thread::spawn(move || {
            while !svc.stopping.load(Ordering::Acquire) {
                let order = svc.queue.next_priority();
                let _ = svc.fulfil(&order);
            }
        }));
    }
    pub fn submit(&self, order: Order) -> Result<OrderId, OrderError> {
        let id = order.id;
        self.pending.lock().map_err(|_| OrderError::Poisoned)?.insert(id, order.clone());
        if !self.queue.push(order) {
            return Err(OrderError::ServiceStopped);
        }
        Ok(id)
    }
    fn run_picker(&self, tx: Sender<OrderId>, counted: bool) {
        loop {
            let next = if counted { self.queue.pop_counted() } else { self.queue.pop() };
            let Some(order) = next else { break };
            self.complete(order, &tx);
        }
    }
    fn complete(&self, order: Order, tx: &Sender<OrderId>) {
        match self.fulfil(&order) {
            Ok(()) => self.metrics.mark_processed(),
            Err(_) => self.metrics.mark_failed(),
        }
        self.pending.lock().unwrap().remove(&order.id);
        let _ = tx.send(order.id);
    }
    fn fulfil(&self, order: &Order) -> Result<(), OrderError> {
        let mut table = self.store.lock_stock()?;
        let remaining = table.reserve(order.sku, order.qty)?;
        self.journal(order, "reserved", remaining);
        drop(table);
        self.store.note_reservation(order.qty);
        Ok(())
    }
    pub fn cancel(&self, order: &Order) -> Result<(), OrderError> {
        let mut table = self.store.lock_stock()?;
        let remaining = table.release(order.sku, order.qty)?;
        drop(table);
        self.journal(order, "cancelled", remaining); // CLEAN: lock-order: stock guard dropped above, so entries is taken without stock held
        self.store.note_release(order.qty);
        Ok(())
    }
    fn journal(&self, order: &Order, action: &str, remaining: u32) {
        self.audit.record(action, order.id, remaining);
    }
    /// Block the caller until the given order has been picked.
    pub fn wait_for(&self, id: OrderId) -> Result<(), OrderError> {
        let pending = self.pending.lock().map_err(|_| OrderError::Poisoned)?;
        if !pending.contains_key(&id) {
            return Ok(());
        }
        let confirmations = self.confirmations.lock().map_err(|_| OrderError::Poisoned)?;
        while confirmations.recv().map_err(|_| OrderError::ServiceStopped)? != id {} // PLANTED: blocking-while-holding: recv() while `pending` is held; pickers lock pending in complete() before they send
        Ok(())
    }
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::Release);
        self.queue.close();
        let handles = std::mem::take(&mut *self.workers.lock().unwrap());
        handles.into_iter().for_each(|h| drop(h.join()));
    }
}
