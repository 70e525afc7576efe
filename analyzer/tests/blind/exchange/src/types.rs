//! Value types shared by every part of the venue.

use std::fmt;

pub type AccountId = usize;
pub type OrderId = u64;
pub type TradeId = u64;
/// Prices are integer ticks.
pub type Price = i64;
pub type Qty = i64;

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Symbol(String);

impl Symbol {
    pub fn new(s: &str) -> Self {
        Symbol(s.to_ascii_uppercase())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Symbol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&str> for Symbol {
    fn from(s: &str) -> Self {
        Symbol::new(s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    Buy,
    Sell,
}

impl Side {
    pub fn opposite(self) -> Side {
        match self {
            Side::Buy => Side::Sell,
            Side::Sell => Side::Buy,
        }
    }

    /// +1 for buys, -1 for sells.
    pub fn sign(self) -> i64 {
        match self {
            Side::Buy => 1,
            Side::Sell => -1,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Order {
    pub id: OrderId,
    pub account: AccountId,
    pub symbol: Symbol,
    pub side: Side,
    pub price: Price,
    pub qty: Qty,
}

impl Order {
    pub fn notional(&self) -> i64 {
        self.price * self.qty
    }
}

#[derive(Clone, Debug)]
pub struct Trade {
    pub id: TradeId,
    pub symbol: Symbol,
    pub price: Price,
    pub qty: Qty,
    pub buyer: AccountId,
    pub seller: AccountId,
    pub buy_order: OrderId,
    pub sell_order: OrderId,
    pub aggressor: Side,
}

impl Trade {
    pub fn notional(&self) -> i64 {
        self.price * self.qty
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TopOfBook {
    pub bid: Option<(Price, Qty)>,
    pub ask: Option<(Price, Qty)>,
}

impl TopOfBook {
    pub fn spread(&self) -> Option<Price> {
        match (self.bid, self.ask) {
            (Some((b, _)), Some((a, _))) => Some(a - b),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reject {
    UnknownAccount(AccountId),
    UnknownSymbol(Symbol),
    UnknownOrder(OrderId),
    CreditLimit { used: i64, requested: i64, limit: i64 },
    OrderTooLarge { qty: Qty, max: Qty },
    OutsidePriceBand { price: Price, reference: Price },
    OffTick { price: Price, tick: Price },
    Halted(Symbol),
    MarketClosed,
    InvalidAmend,
    EngineUnavailable,
}

impl fmt::Display for Reject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reject::UnknownAccount(id) => write!(f, "unknown account {id}"),
            Reject::UnknownSymbol(s) => write!(f, "unknown symbol {s}"),
            Reject::UnknownOrder(id) => write!(f, "unknown order {id}"),
            Reject::CreditLimit { used, requested, limit } => {
                write!(f, "credit limit: used {used} + {requested} > {limit}")
            }
            Reject::OrderTooLarge { qty, max } => write!(f, "order qty {qty} above max {max}"),
            Reject::OutsidePriceBand { price, reference } => {
                write!(f, "price {price} outside band around {reference}")
            }
            Reject::OffTick { price, tick } => write!(f, "price {price} not on tick {tick}"),
            Reject::Halted(s) => write!(f, "{s} is halted"),
            Reject::MarketClosed => f.write_str("market closed"),
            Reject::InvalidAmend => f.write_str("invalid amend"),
            Reject::EngineUnavailable => f.write_str("matching engine unavailable"),
        }
    }
}

impl std::error::Error for Reject {}
