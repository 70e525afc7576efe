//! Order books and the registry of listed symbols.

pub mod level;

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, RwLock};

use parking_lot::Mutex;

pub use level::{Fill, PriceLevel, RestingOrder};

use crate::types::{Order, OrderId, Price, Qty, Reject, Side, Symbol, TopOfBook, Trade, TradeId};

pub type SharedBook = Arc<Mutex<OrderBook>>;

/// Result of running one incoming order against the book.
#[derive(Debug, Default)]
pub struct Execution {
    pub trades: Vec<Trade>,
    pub rested: Option<RestingOrder>,
    pub completed_makers: Vec<OrderId>,
    pub touched: Vec<(Side, Price)>,
}

pub struct OrderBook {
    symbol: Symbol,
    tick: Price,
    reference_price: Price,
    last_price: Option<Price>,
    bids: BTreeMap<Price, PriceLevel>,
    asks: BTreeMap<Price, PriceLevel>,
    locations: HashMap<OrderId, (Side, Price)>,
    halted: bool,
}

impl OrderBook {
    pub fn new(symbol: Symbol, tick: Price, reference_price: Price) -> Self {
        OrderBook {
            symbol,
            tick: tick.max(1),
            reference_price,
            last_price: None,
            bids: BTreeMap::new(),
            asks: BTreeMap::new(),
            locations: HashMap::new(),
            halted: false,
        }
    }

    pub fn symbol(&self) -> &Symbol {
        &self.symbol
    }

    pub fn tick(&self) -> Price {
        self.tick
    }

    pub fn on_tick(&self, price: Price) -> bool {
        price > 0 && price % self.tick == 0
    }

    pub fn is_halted(&self) -> bool {
        self.halted
    }

    pub fn set_halted(&mut self, halted: bool) {
        self.halted = halted;
    }

    pub fn reference_price(&self) -> Price {
        self.reference_price
    }

    pub fn last_price(&self) -> Option<Price> {
        self.last_price
    }

    pub fn resting_orders(&self) -> usize {
        self.locations.len()
    }

    pub fn best_bid(&self) -> Option<(Price, Qty)> {
        self.bids.iter().next_back().map(|(p, l)| (*p, l.total()))
    }

    pub fn best_ask(&self) -> Option<(Price, Qty)> {
        self.asks.iter().next().map(|(p, l)| (*p, l.total()))
    }

    pub fn top(&self) -> TopOfBook {
        TopOfBook {
            bid: self.best_bid(),
            ask: self.best_ask(),
        }
    }

    /// Mid if both sides are quoted, otherwise last trade, otherwise reference.
    pub fn mark_price(&self) -> Price {
        match (self.best_bid(), self.best_ask()) {
            (Some((b, _)), Some((a, _))) => (a + b) / 2,
            _ => self.last_price.unwrap_or(self.reference_price),
        }
    }

    pub fn qty_at(&self, side: Side, price: Price) -> Qty {
        self.levels(side).get(&price).map(|l| l.total()).unwrap_or(0)
    }

    pub fn depth(&self, max_levels: usize) -> (Vec<(Price, Qty)>, Vec<(Price, Qty)>) {
        let bids = self
            .bids
            .iter()
            .rev()
            .take(max_levels)
            .map(|(p, l)| (*p, l.total()))
            .collect();
        let asks = self
            .asks
            .iter()
            .take(max_levels)
            .map(|(p, l)| (*p, l.total()))
            .collect();
        (bids, asks)
    }

    pub fn order(&self, id: OrderId) -> Option<&RestingOrder> {
        let (side, price) = self.locations.get(&id)?;
        self.levels(*side).get(price)?.find(id)
    }

    fn levels(&self, side: Side) -> &BTreeMap<Price, PriceLevel> {
        match side {
            Side::Buy => &self.bids,
            Side::Sell => &self.asks,
        }
    }

    fn levels_mut(&mut self, side: Side) -> &mut BTreeMap<Price, PriceLevel> {
        match side {
            Side::Buy => &mut self.bids,
            Side::Sell => &mut self.asks,
        }
    }

    fn best_opposite(&self, side: Side) -> Option<Price> {
        match side {
            Side::Buy => self.asks.keys().next().copied(),
            Side::Sell => self.bids.keys().next_back().copied(),
        }
    }

    /// Matches `order` against the opposite side in price-time priority and
    /// rests the remainder.
    pub fn execute(&mut self, order: &Order, mut next_trade_id: impl FnMut() -> TradeId) -> Execution {
        let mut exec = Execution::default();
        let mut remaining = order.qty;
        let maker_side = order.side.opposite();

        while remaining > 0 {
            let px = match self.best_opposite(order.side) {
                Some(px) => px,
                None => break,
            };
            let crosses = match order.side {
                Side::Buy => px <= order.price,
                Side::Sell => px >= order.price,
            };
            if !crosses {
                break;
            }
            let levels = self.levels_mut(maker_side);
            let level = levels.get_mut(&px).expect("best level present");
            let fills = level.take(remaining);
            if level.is_empty() {
                levels.remove(&px);
            }
            for fill in fills {
                remaining -= fill.qty;
                if fill.maker_done {
                    self.locations.remove(&fill.maker_id);
                    exec.completed_makers.push(fill.maker_id);
                }
                let (buyer, seller, buy_order, sell_order) = match order.side {
                    Side::Buy => (order.account, fill.maker_account, order.id, fill.maker_id),
                    Side::Sell => (fill.maker_account, order.account, fill.maker_id, order.id),
                };
                exec.trades.push(Trade {
                    id: next_trade_id(),
                    symbol: self.symbol.clone(),
                    price: px,
                    qty: fill.qty,
                    buyer,
                    seller,
                    buy_order,
                    sell_order,
                    aggressor: order.side,
                });
            }
            exec.touched.push((maker_side, px));
            self.last_price = Some(px);
        }

        if remaining > 0 {
            let resting = RestingOrder {
                id: order.id,
                account: order.account,
                side: order.side,
                price: order.price,
                qty: remaining,
            };
            self.levels_mut(order.side)
                .entry(order.price)
                .or_default()
                .push(resting.clone());
            self.locations.insert(order.id, (order.side, order.price));
            exec.touched.push((order.side, order.price));
            exec.rested = Some(resting);
        }
        exec
    }

    pub fn cancel(&mut self, id: OrderId) -> Option<RestingOrder> {
        let (side, price) = self.locations.remove(&id)?;
        let levels = self.levels_mut(side);
        let level = levels.get_mut(&price)?;
        let order = level.remove(id);
        if level.is_empty() {
            levels.remove(&price);
        }
        order
    }

    /// Reduce-only amendment; keeps time priority.
    pub fn reduce(&mut self, id: OrderId, new_qty: Qty) -> Result<RestingOrder, Reject> {
        let (side, price) = *self.locations.get(&id).ok_or(Reject::UnknownOrder(id))?;
        let level = self
            .levels_mut(side)
            .get_mut(&price)
            .ok_or(Reject::UnknownOrder(id))?;
        level.reduce(id, new_qty).ok_or(Reject::InvalidAmend)
    }
}

/// All listed books, keyed by symbol.
pub struct BookRegistry {
    books: RwLock<HashMap<Symbol, SharedBook>>,
    default_tick: Price,
}

impl BookRegistry {
    pub fn new(default_tick: Price) -> Self {
        BookRegistry {
            books: RwLock::new(HashMap::new()),
            default_tick,
        }
    }

    pub fn get(&self, symbol: &Symbol) -> Option<SharedBook> {
        self.books.read().unwrap().get(symbol).cloned()
    }

    pub fn symbols(&self) -> Vec<Symbol> {
        let mut symbols: Vec<Symbol> = self.books.read().unwrap().keys().cloned().collect();
        symbols.sort();
        symbols
    }

    pub fn len(&self) -> usize {
        self.books.read().unwrap().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Lists a symbol for trading. Returns `false` if it was already listed.
    pub fn list_symbol(&self, symbol: Symbol, reference: Price) -> bool {
        {
            let books = self.books.read().unwrap();
            if books.contains_key(&symbol) {
                return false;
            }
        }
        let mut books = self.books.write().unwrap(); // CLEAN: double-lock: the read guard lived only in the block above
        if books.contains_key(&symbol) {
            return false;
        }
        let book = OrderBook::new(symbol.clone(), self.default_tick, reference);
        books.insert(symbol, Arc::new(Mutex::new(book)));
        true
    }

    /// Returns the book for `symbol`, listing it on the spot if needed
    /// (intraday listings requested by the operations desk).
    pub fn ensure_listed(&self, symbol: &Symbol, reference: Price) -> SharedBook {
        let books = self.books.read().unwrap();
        match books.get(symbol) {
            Some(book) => Arc::clone(book),
            None => self.create_book(symbol, reference),
        }
    }

    fn create_book(&self, symbol: &Symbol, reference: Price) -> SharedBook {
        let book = Arc::new(Mutex::new(OrderBook::new(
            symbol.clone(),
            self.default_tick,
            reference,
        )));
        let mut books = self.books.write().unwrap(); // PLANTED: double-lock: ensure_listed still holds the read guard of the same RwLock
        books.entry(symbol.clone()).or_insert(book).clone()
    }

    pub fn mark_price(&self, symbol: &Symbol) -> Option<Price> {
        let book = self.get(symbol)?;
        let px = book.lock().mark_price();
        Some(px)
    }

    pub fn top_of_book(&self, symbol: &Symbol) -> Option<TopOfBook> {
        let book = self.get(symbol)?;
        let top = book.lock().top();
        Some(top)
    }
}
