#![allow(dead_code)]

mod audit;
mod metrics;
mod net;
mod orders;
mod store;
mod workers;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use audit::{AuditLog, LowStockAlert};
use metrics::Metrics;
use net::{SessionManager, StaticTokens};
use orders::{Order, OrderService};
use store::Store;
use workers::WorkerPool;

const WIDGET: u32 = 1001;
const GASKET: u32 = 1002;

fn main() {
    let store = Arc::new(Store::new(8, &[(WIDGET, 500, 12), (GASKET, 300, 3)]));
    (0..8).for_each(|bin| store.stow(bin, WIDGET, 40).expect("stowing widgets"));
    let metrics = Arc::new(Metrics::default());
    let audit = Arc::new(AuditLog::default());
    audit.subscribe(Box::new(LowStockAlert(25)));
    audit.start_flusher(Arc::clone(&store));
    let service = Arc::new(OrderService::new(Arc::clone(&store), Arc::clone(&audit), Arc::clone(&metrics)));
    service.start(4);

    let desk = Arc::clone(&store);
    let pricing = thread::spawn(move || {
        for round in 0..5u32 {
            let _ = desk.reprice(if round % 2 == 0 { 3 } else { -2 });
            let _ = desk.restock(GASKET, 20);
            let _ = desk.write_off(WIDGET, 1);
            desk.ensure_price(2000 + round, 9);
            desk.ensure_price_checked(3000 + round, 9);
        }
    });
    let (mut reports, mut labels) = (WorkerPool::new(3), WorkerPool::new(2));
    labels.submit(Box::new(|| println!("printing pick labels"))).expect("label pool closed");
    for _ in 0..6 {
        let store = Arc::clone(&store);
        reports.submit(Box::new(move || println!("valuation {}", store.inventory_value()))).expect("report pool closed");
    }
    thread::scope(|s| {
        s.spawn(|| (0..200).for_each(|_| drop(store.move_stock(0, 1, WIDGET, 1))));
        s.spawn(|| (0..200).for_each(|_| drop(store.move_stock(1, 0, WIDGET, 1))));
        s.spawn(|| (0..100).for_each(|n| drop(store.rebalance(2 + n % 2, 3 - n % 2, WIDGET))));
    });

    let mut last = 0;
    for id in 1..=40u64 {
        let order = Order { id, sku: if id % 3 == 0 { GASKET } else { WIDGET }, qty: (id % 5 + 1) as u32 };
        last = service.submit(order.clone()).unwrap_or(last);
        if id % 7 == 0 {
            let _ = service.cancel(&order);
        }
    }
    let _ = service.wait_for(last.saturating_sub(5));

    let manager = Arc::new(SessionManager::new(StaticTokens(vec![("dock-a", "t1"), ("dock-b", "t2"), ("office", "t3")])));
    manager.observe(metrics.clone());
    let mut scanners = Vec::new();
    for (user, token) in [("dock-a", "t1"), ("dock-b", "t2"), ("office", "t3"), ("intruder", "x")] {
        let manager = Arc::clone(&manager);
        scanners.push(thread::spawn(move || {
            let Ok(id) = manager.open(user, token, 100) else { return };
            for n in 0..10 {
                if manager.charge(id, 3).is_err() || manager.send(id, &format!("stock query {}", n)).is_err() {
                    break;
                }
            }
            manager.close(id);
        }));
    }
    let (billing, done) = (Arc::clone(&manager), Arc::new(AtomicBool::new(false)));
    let billing_done = Arc::clone(&done);
    let housekeeping = thread::spawn(move || {
        let mut delivered = 0;
        while !billing_done.load(Ordering::Acquire) {
            billing.live_ids().into_iter().for_each(|id| drop(billing.refund(id, 1)));
            delivered += billing.drain_outbox().len();
            thread::sleep(Duration::from_millis(2));
        }
        delivered
    });
    scanners.into_iter().for_each(|h| drop(h.join()));
    done.store(true, Ordering::Release);
    let delivered = housekeeping.join().unwrap_or(0) + manager.drain_outbox().len();
    let completed = reports.shutdown() + labels.shutdown_graceful();
    let _ = pricing.join();
    service.stop();
    let left = audit.stop_flusher();
    let reserved = store.reserved_total();
    println!("{} | reports={} delivered={} audit={} reserved={}", metrics.summary(), completed, delivered, left, reserved);
}
