//! Market-data hub: fans trades and book updates out to subscribers.

pub mod sink;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError};

use sink::MarketDataSink;

use crate::book::BookRegistry;
use crate::engine::request::MdEvent;
use crate::types::{Price, Qty, Side, Symbol, Trade};

pub struct MarketDataHub {
    subscribers: RwLock<Vec<Arc<dyn MarketDataSink>>>,
    /// Last print per symbol, replayed to late joiners.
    last_trades: Mutex<HashMap<Symbol, Trade>>,
    worker: parking_lot::Mutex<Option<JoinHandle<()>>>,
    running: AtomicBool,
    published: AtomicU64,
}

impl MarketDataHub {
    pub fn new() -> Arc<Self> {
        Arc::new(MarketDataHub {
            subscribers: RwLock::new(Vec::new()),
            last_trades: Mutex::new(HashMap::new()),
            worker: parking_lot::Mutex::new(None),
            running: AtomicBool::new(false),
            published: AtomicU64::new(0),
        })
    }

    /// Starts the publisher thread draining `feed`.
    pub fn start(self: &Arc<Self>, feed: Receiver<MdEvent>, books: Arc<BookRegistry>) {
        self.running.store(true, Ordering::Release);
        let hub = Arc::clone(self);
        let handle = thread::Builder::new()
            .name("md-publisher".into())
            .spawn(move || hub.run(feed, books))
            .expect("spawn market-data publisher");
        *self.worker.lock() = Some(handle);
    }

    fn run(&self, feed: Receiver<MdEvent>, books: Arc<BookRegistry>) {
        loop {
            match feed.recv_timeout(Duration::from_millis(20)) {
                Ok(event) => self.dispatch(event, &books),
                Err(RecvTimeoutError::Timeout) => {
                    if !self.running.load(Ordering::Acquire) {
                        break;
                    }
                }
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
    }

    fn dispatch(&self, event: MdEvent, books: &BookRegistry) {
        match event {
            MdEvent::Trade(trade) => self.publish_trade(&trade, books),
            MdEvent::Level {
                symbol,
                side,
                price,
                qty,
            } => self.publish_level(&symbol, side, price, qty),
            MdEvent::Status { symbol, halted } => {
                let subs = self.subscribers.read().unwrap();
                for sink in subs.iter() {
                    sink.on_status(&symbol, halted);
                }
            }
        }
    }

    fn publish_trade(&self, trade: &Trade, books: &BookRegistry) {
        let top = books.top_of_book(&trade.symbol);
        let mut last = self.last_trades.lock().unwrap();
        last.insert(trade.symbol.clone(), trade.clone());
        let subs = self.subscribers.read().unwrap();
        for sink in subs.iter() {
            sink.on_trade(trade, top.as_ref());
        }
        self.published.fetch_add(1, Ordering::Relaxed);
    }

    fn publish_level(&self, symbol: &Symbol, side: Side, price: Price, qty: Qty) {
        let subs = self.subscribers.read().unwrap();
        for sink in subs.iter() {
            sink.on_level(symbol, side, price, qty);
        }
    }

    /// Adds a subscriber and brings it up to date with the last prints.
    pub fn subscribe(&self, sink: Arc<dyn MarketDataSink>) {
        let mut subs = self.subscribers.write().unwrap();
        self.replay_last(sink.as_ref());
        subs.push(sink);
    }

    fn replay_last(&self, sink: &dyn MarketDataSink) {
        let last = self.last_trades.lock().unwrap(); // PLANTED: lock-order: subscribe holds subscribers (write) here; the publisher takes last_trades then subscribers
        for trade in last.values() {
            sink.on_trade(trade, None);
        }
    }

    /// Drops disconnected subscribers and re-sends the last prints to the
    /// remaining ones. Returns the number of live subscribers.
    pub fn resync(&self) -> usize {
        loop {
            let mut subs = self.subscribers.write().unwrap();
            subs.retain(|s| s.is_connected());
            match self.last_trades.try_lock() { // CLEAN: lock-order: try_lock under the subscribers guard, backing off on contention
                Ok(last) => {
                    for sink in subs.iter() {
                        for trade in last.values() {
                            sink.on_trade(trade, None);
                        }
                    }
                    return subs.len();
                }
                Err(_) => {
                    drop(subs);
                    thread::yield_now();
                }
            }
        }
    }

    pub fn unsubscribe(&self, name: &str) -> bool {
        let mut subs = self.subscribers.write().unwrap();
        let before = subs.len();
        subs.retain(|s| s.name() != name);
        subs.len() != before
    }

    pub fn subscriber_count(&self) -> usize {
        self.subscribers.read().unwrap().len()
    }

    pub fn last_trade(&self, symbol: &Symbol) -> Option<Trade> {
        self.last_trades.lock().unwrap().get(symbol).cloned()
    }

    pub fn published(&self) -> u64 {
        self.published.load(Ordering::Relaxed)
    }

    /// Stops the publisher and closes every subscriber.
    pub fn stop(&self) {
        // Block new subscriptions while the feed winds down.
        let mut subs = self.subscribers.write().unwrap();
        self.running.store(false, Ordering::Release);
        let handle = self.worker.lock().take();
        if let Some(handle) = handle {
            let _ = handle.join(); // PLANTED: blocking-while-holding: joins the publisher while holding subscribers (write); draining the backlog needs subscribers (read)
        }
        for sink in subs.drain(..) {
            sink.on_close();
        }
    }
}
