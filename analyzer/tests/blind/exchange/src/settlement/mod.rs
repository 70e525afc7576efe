//! Post-trade settlement: cash and position legs, fees, credit release.

pub mod queue;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

use queue::SettlementQueue;

use crate::accounts::AccountStore;
use crate::risk::RiskEngine;
use crate::types::Trade;

pub struct SettlementService {
    queue: Arc<SettlementQueue>,
    accounts: Arc<AccountStore>,
    risk: Arc<RiskEngine>,
    fee_bps: i64,
    settled: AtomicU64,
    fees: AtomicU64,
    workers: Mutex<Vec<JoinHandle<()>>>,
}

impl SettlementService {
    pub fn new(
        queue: Arc<SettlementQueue>,
        accounts: Arc<AccountStore>,
        risk: Arc<RiskEngine>,
        fee_bps: i64,
    ) -> Arc<Self> {
        Arc::new(SettlementService {
            queue,
            accounts,
            risk,
            fee_bps,
            settled: AtomicU64::new(0),
            fees: AtomicU64::new(0),
            workers: Mutex::new(Vec::new()),
        })
    }

    pub fn queue(&self) -> &Arc<SettlementQueue> {
        &self.queue
    }

    /// Starts `count` settlement workers sharing the queue.
    pub fn start(self: &Arc<Self>, count: usize) {
        let mut workers = self.workers.lock().unwrap();
        for i in 0..count {
            let service = Arc::clone(self);
            let handle = thread::Builder::new()
                .name(format!("settle-{i}"))
                .spawn(move || service.worker_loop())
                .expect("spawn settlement worker");
            workers.push(handle);
        }
    }

    fn worker_loop(&self) {
        while let Some(trade) = self.queue.next() {
            self.settle(&trade);
            self.queue.done();
        }
    }

    fn settle(&self, trade: &Trade) {
        let notional = trade.notional();
        self.accounts.settle_cash(trade.buyer, trade.seller, notional);
        self.accounts
            .apply_fill(trade.buyer, &trade.symbol, trade.qty, trade.price);
        self.accounts
            .apply_fill(trade.seller, &trade.symbol, -trade.qty, trade.price);

        let fee = notional * self.fee_bps / 10_000;
        self.accounts.charge_fee(trade.buyer, fee);
        self.accounts.charge_fee(trade.seller, fee);
        self.fees.fetch_add(2 * fee as u64, Ordering::Relaxed);

        self.risk.release_credit(trade.buyer, notional);
        self.risk.release_credit(trade.seller, notional);
        self.settled.fetch_add(1, Ordering::Relaxed);
    }

    pub fn settled(&self) -> u64 {
        self.settled.load(Ordering::Relaxed)
    }

    pub fn fees_collected(&self) -> u64 {
        self.fees.load(Ordering::Relaxed)
    }

    /// Settles the backlog, then stops and joins the workers.
    pub fn stop(&self) {
        self.queue.wait_idle();
        self.queue.close();
        let handles: Vec<JoinHandle<()>> = self.workers.lock().unwrap().drain(..).collect();
        for handle in handles {
            let _ = handle.join();
        }
    }
}
