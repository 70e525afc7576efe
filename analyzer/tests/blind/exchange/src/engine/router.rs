//! Routes client requests to the engine that owns the symbol and keeps the
//! index of working orders.

use std::collections::HashMap;
use std::sync::mpsc;

use crossbeam_channel::Sender;
use parking_lot::Mutex;

use super::request::{AmendAck, CancelAck, EngineRequest};
use crate::types::{AccountId, Order, OrderId, Qty, Reject, Symbol};

#[derive(Clone, Debug)]
pub struct Route {
    pub symbol: Symbol,
    pub group: usize,
    pub account: AccountId,
}

pub struct OrderRouter {
    groups: Vec<Sender<EngineRequest>>,
    /// Working (resting) orders by id.
    index: Mutex<HashMap<OrderId, Route>>,
}

impl OrderRouter {
    pub fn new(groups: Vec<Sender<EngineRequest>>) -> Self {
        assert!(!groups.is_empty(), "at least one engine group");
        OrderRouter {
            groups,
            index: Mutex::new(HashMap::new()),
        }
    }

    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// Symbol groups are assigned by a stable hash of the symbol name.
    pub fn group_of(&self, symbol: &Symbol) -> usize {
        let sum: usize = symbol.as_str().bytes().map(|b| b as usize).sum();
        sum % self.groups.len()
    }

    pub fn submit(&self, order: Order) -> Result<(), Reject> {
        let group = self.group_of(&order.symbol);
        self.groups[group]
            .send(EngineRequest::New(order))
            .map_err(|_| Reject::EngineUnavailable)
    }

    pub fn halt(&self, symbol: &Symbol, halted: bool) -> Result<(), Reject> {
        let group = self.group_of(symbol);
        self.groups[group]
            .send(EngineRequest::Halt {
                symbol: symbol.clone(),
                halted,
            })
            .map_err(|_| Reject::EngineUnavailable)
    }

    /// Called by the engine when an order starts resting.
    pub fn record_resting(&self, id: OrderId, route: Route) {
        self.index.lock().insert(id, route);
    }

    /// Called by the engine when a resting order is fully filled.
    pub fn forget(&self, id: OrderId) {
        self.index.lock().remove(&id);
    }

    pub fn open_orders(&self, account: AccountId) -> Vec<OrderId> {
        let index = self.index.lock();
        let mut ids: Vec<OrderId> = index
            .iter()
            .filter(|(_, r)| r.account == account)
            .map(|(id, _)| *id)
            .collect();
        ids.sort_unstable();
        ids
    }

    pub fn working_orders(&self) -> usize {
        self.index.lock().len()
    }

    /// Cancels a working order and waits for the engine's acknowledgement.
    pub fn cancel(&self, id: OrderId) -> Result<CancelAck, Reject> {
        let mut index = self.index.lock();
        let route = index.get(&id).cloned().ok_or(Reject::UnknownOrder(id))?;
        let (reply, ack_rx) = mpsc::channel();
        self.groups[route.group]
            .send(EngineRequest::Cancel {
                id,
                symbol: route.symbol.clone(),
                reply,
            })
            .map_err(|_| Reject::EngineUnavailable)?;
        let ack = ack_rx.recv().map_err(|_| Reject::EngineUnavailable)?; // PLANTED: blocking-while-holding: index guard held while waiting; the engine needs index (record_resting/forget) for orders queued ahead
        if let CancelAck::Cancelled { .. } = ack {
            index.remove(&id);
        }
        Ok(ack)
    }

    /// Reduces the quantity of a working order and waits for the result.
    pub fn amend(&self, id: OrderId, new_qty: Qty) -> Result<AmendAck, Reject> {
        let route = self.index.lock().get(&id).cloned().ok_or(Reject::UnknownOrder(id))?;
        let (reply, ack_rx) = crossbeam_channel::bounded(1);
        self.groups[route.group]
            .send(EngineRequest::Amend {
                id,
                symbol: route.symbol,
                new_qty,
                reply,
            })
            .map_err(|_| Reject::EngineUnavailable)?;
        ack_rx.recv().map_err(|_| Reject::EngineUnavailable) // CLEAN: blocking-while-holding: the index guard was a temporary released at the end of the lookup
    }

    pub fn shutdown(&self) {
        for group in &self.groups {
            let _ = group.send(EngineRequest::Shutdown);
        }
    }
}
