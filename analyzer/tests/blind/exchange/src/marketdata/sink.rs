//! Subscribers of the public market-data feed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};

use crossbeam_channel::Sender;
use parking_lot::Mutex;

use crate::types::{Price, Qty, Side, Symbol, TopOfBook, Trade};

pub trait MarketDataSink: Send + Sync {
    fn name(&self) -> &str;

    fn on_trade(&self, trade: &Trade, top: Option<&TopOfBook>);

    fn on_level(&self, _symbol: &Symbol, _side: Side, _price: Price, _qty: Qty) {}

    fn on_status(&self, _symbol: &Symbol, _halted: bool) {}

    fn on_close(&self) {}

    fn is_connected(&self) -> bool {
        true
    }
}

/// Counts prints on the tape.
pub struct TradeCounter {
    name: String,
    trades: AtomicU64,
    volume: AtomicI64,
    level_updates: AtomicU64,
}

impl TradeCounter {
    pub fn new(name: &str) -> Self {
        TradeCounter {
            name: name.to_string(),
            trades: AtomicU64::new(0),
            volume: AtomicI64::new(0),
            level_updates: AtomicU64::new(0),
        }
    }

    pub fn trades(&self) -> u64 {
        self.trades.load(Ordering::Relaxed)
    }

    pub fn volume(&self) -> i64 {
        self.volume.load(Ordering::Relaxed)
    }

    pub fn level_updates(&self) -> u64 {
        self.level_updates.load(Ordering::Relaxed)
    }
}

impl MarketDataSink for TradeCounter {
    fn name(&self) -> &str {
        &self.name
    }

    fn on_trade(&self, trade: &Trade, _top: Option<&TopOfBook>) {
        self.trades.fetch_add(1, Ordering::Relaxed);
        self.volume.fetch_add(trade.qty, Ordering::Relaxed);
    }

    fn on_level(&self, _symbol: &Symbol, _side: Side, _price: Price, _qty: Qty) {
        self.level_updates.fetch_add(1, Ordering::Relaxed);
    }
}

#[derive(Clone, Debug)]
pub struct Candle {
    pub open: Price,
    pub high: Price,
    pub low: Price,
    pub close: Price,
    pub volume: Qty,
    pub trades: usize,
}

impl Candle {
    fn new(price: Price, qty: Qty) -> Self {
        Candle {
            open: price,
            high: price,
            low: price,
            close: price,
            volume: qty,
            trades: 1,
        }
    }

    fn update(&mut self, price: Price, qty: Qty) {
        self.high = self.high.max(price);
        self.low = self.low.min(price);
        self.close = price;
        self.volume += qty;
        self.trades += 1;
    }
}

/// Builds fixed-count candles per symbol.
pub struct CandleSink {
    name: String,
    trades_per_candle: usize,
    candles: Mutex<HashMap<Symbol, Vec<Candle>>>,
}

impl CandleSink {
    pub fn new(name: &str, trades_per_candle: usize) -> Self {
        CandleSink {
            name: name.to_string(),
            trades_per_candle: trades_per_candle.max(1),
            candles: Mutex::new(HashMap::new()),
        }
    }

    pub fn candles(&self, symbol: &Symbol) -> Vec<Candle> {
        self.candles.lock().get(symbol).cloned().unwrap_or_default()
    }
}

impl MarketDataSink for CandleSink {
    fn name(&self) -> &str {
        &self.name
    }

    fn on_trade(&self, trade: &Trade, _top: Option<&TopOfBook>) {
        let mut candles = self.candles.lock();
        let series = candles.entry(trade.symbol.clone()).or_default();
        let start_new = series
            .last()
            .map_or(true, |c| c.trades >= self.trades_per_candle);
        if start_new {
            series.push(Candle::new(trade.price, trade.qty));
        } else if let Some(candle) = series.last_mut() {
            candle.update(trade.price, trade.qty);
        }
    }
}

/// Forwards every print to a downstream consumer (e.g. a clearing house).
pub struct DropCopy {
    name: String,
    tx: Sender<Trade>,
    connected: AtomicBool,
}

impl DropCopy {
    pub fn new(name: &str, tx: Sender<Trade>) -> Self {
        DropCopy {
            name: name.to_string(),
            tx,
            connected: AtomicBool::new(true),
        }
    }
}

impl MarketDataSink for DropCopy {
    fn name(&self) -> &str {
        &self.name
    }

    fn on_trade(&self, trade: &Trade, _top: Option<&TopOfBook>) {
        if self.tx.send(trade.clone()).is_err() {
            self.connected.store(false, Ordering::Release);
        }
    }

    fn is_connected(&self) -> bool {
        self.connected.load(Ordering::Acquire)
    }
}
