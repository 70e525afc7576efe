//! A single price level: a FIFO queue of resting orders.

use std::collections::VecDeque;

use crate::types::{AccountId, OrderId, Price, Qty, Side};

#[derive(Clone, Debug)]
pub struct RestingOrder {
    pub id: OrderId,
    pub account: AccountId,
    pub side: Side,
    pub price: Price,
    pub qty: Qty,
}

/// One execution against a resting order.
#[derive(Clone, Debug)]
pub struct Fill {
    pub maker_id: OrderId,
    pub maker_account: AccountId,
    pub qty: Qty,
    /// The maker has no quantity left and has left the level.
    pub maker_done: bool,
}

#[derive(Debug, Default)]
pub struct PriceLevel {
    orders: VecDeque<RestingOrder>,
    total: Qty,
}

impl PriceLevel {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, order: RestingOrder) {
        self.total += order.qty;
        self.orders.push_back(order);
    }

    pub fn total(&self) -> Qty {
        self.total
    }

    pub fn len(&self) -> usize {
        self.orders.len()
    }

    pub fn is_empty(&self) -> bool {
        self.orders.is_empty()
    }

    /// Takes up to `qty` from the front of the queue, in time priority.
    pub fn take(&mut self, mut qty: Qty) -> Vec<Fill> {
        let mut fills = Vec::new();
        while qty > 0 {
            let front = match self.orders.front_mut() {
                Some(front) => front,
                None => break,
            };
            let n = qty.min(front.qty);
            front.qty -= n;
            qty -= n;
            self.total -= n;
            let maker_done = front.qty == 0;
            fills.push(Fill {
                maker_id: front.id,
                maker_account: front.account,
                qty: n,
                maker_done,
            });
            if maker_done {
                self.orders.pop_front();
            }
        }
        fills
    }

    pub fn remove(&mut self, id: OrderId) -> Option<RestingOrder> {
        let pos = self.orders.iter().position(|o| o.id == id)?;
        let order = self.orders.remove(pos)?;
        self.total -= order.qty;
        Some(order)
    }

    pub fn find(&self, id: OrderId) -> Option<&RestingOrder> {
        self.orders.iter().find(|o| o.id == id)
    }

    /// Reduces the quantity of a resting order; time priority is kept.
    pub fn reduce(&mut self, id: OrderId, new_qty: Qty) -> Option<RestingOrder> {
        let order = self.orders.iter_mut().find(|o| o.id == id)?;
        if new_qty <= 0 || new_qty > order.qty {
            return None;
        }
        self.total -= order.qty - new_qty;
        order.qty = new_qty;
        Some(order.clone())
    }

    pub fn iter(&self) -> impl Iterator<Item = &RestingOrder> {
        self.orders.iter()
    }
}
