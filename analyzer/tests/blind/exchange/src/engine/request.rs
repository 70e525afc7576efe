//! Messages exchanged with the matching engines and the market-data feed.

use std::sync::mpsc;

use crossbeam_channel::Sender;

use crate::types::{Order, OrderId, Price, Qty, Reject, Side, Symbol, Trade};

/// A request for one matching engine. Requests that need an answer carry
/// their own reply sender.
pub enum EngineRequest {
    New(Order),
    Cancel {
        id: OrderId,
        symbol: Symbol,
        reply: mpsc::Sender<CancelAck>,
    },
    Amend {
        id: OrderId,
        symbol: Symbol,
        new_qty: Qty,
        reply: Sender<AmendAck>,
    },
    Halt {
        symbol: Symbol,
        halted: bool,
    },
    Shutdown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CancelAck {
    Cancelled { id: OrderId, remaining: Qty },
    NotFound(OrderId),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AmendAck {
    Amended { id: OrderId, qty: Qty },
    Rejected(Reject),
}

/// Events published on the public market-data feed.
#[derive(Clone, Debug)]
pub enum MdEvent {
    Trade(Trade),
    Level {
        symbol: Symbol,
        side: Side,
        price: Price,
        qty: Qty,
    },
    Status {
        symbol: Symbol,
        halted: bool,
    },
}
