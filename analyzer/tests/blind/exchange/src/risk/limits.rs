//! Per-account pre-trade limits and exposure records.

use std::collections::HashMap;

use crate::types::{AccountId, Order, Price, Qty, Reject, Symbol};

#[derive(Clone, Debug)]
pub struct Limits {
    /// Maximum notional of open (reserved) orders.
    pub credit: i64,
    pub max_order_qty: Qty,
    /// Allowed distance from the reference price, in basis points.
    pub price_band_bps: i64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            credit: 50_000_000,
            max_order_qty: 500,
            price_band_bps: 1_000,
        }
    }
}

impl Limits {
    pub fn check(&self, order: &Order, reference: Option<Price>) -> Result<(), Reject> {
        if order.qty > self.max_order_qty {
            return Err(Reject::OrderTooLarge {
                qty: order.qty,
                max: self.max_order_qty,
            });
        }
        if let Some(reference) = reference {
            let band = reference * self.price_band_bps / 10_000;
            if (order.price - reference).abs() > band {
                return Err(Reject::OutsidePriceBand {
                    price: order.price,
                    reference,
                });
            }
        }
        Ok(())
    }
}

#[derive(Clone, Debug, Default)]
pub struct Exposure {
    pub positions: HashMap<Symbol, Qty>,
    pub fills: u64,
    pub last_mark: i64,
}

impl Exposure {
    pub fn apply(&mut self, symbol: &Symbol, signed_qty: Qty) {
        *self.positions.entry(symbol.clone()).or_insert(0) += signed_qty;
        self.fills += 1;
    }

    pub fn gross(&self) -> Qty {
        self.positions.values().map(|q| q.abs()).sum()
    }
}

#[derive(Clone, Debug)]
pub struct MarginLine {
    pub account: AccountId,
    pub symbol: Symbol,
    pub qty: Qty,
    pub mark: Price,
    pub value: i64,
}
