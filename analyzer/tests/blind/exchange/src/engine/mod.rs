//! Matching engines. Each engine thread owns a group of symbols and handles
//! every request for them, in arrival order, from its inbound queue.

pub mod request;
pub mod router;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Receiver, Sender};

use crate::book::BookRegistry;
use crate::risk::RiskEngine;
use crate::session::SessionGate;
use crate::settlement::queue::SettlementQueue;
use crate::stats::SessionStats;
use crate::types::{Order, OrderId, Qty, Reject, Symbol};

use request::{AmendAck, CancelAck, EngineRequest, MdEvent};
use router::{OrderRouter, Route};

/// Services shared by all engines.
#[derive(Clone)]
pub struct EngineContext {
    pub books: Arc<BookRegistry>,
    pub risk: Arc<RiskEngine>,
    pub router: Arc<OrderRouter>,
    pub settlement: Arc<SettlementQueue>,
    pub stats: Arc<SessionStats>,
    pub session: Arc<SessionGate>,
    /// Bounded: a slow feed pushes back on the engines.
    pub md_tx: Sender<MdEvent>,
}

pub struct MatchingEngine {
    group: usize,
    inbox: Receiver<EngineRequest>,
    ctx: EngineContext,
    processed: AtomicU64,
}

impl MatchingEngine {
    pub fn new(group: usize, inbox: Receiver<EngineRequest>, ctx: EngineContext) -> Self {
        MatchingEngine {
            group,
            inbox,
            ctx,
            processed: AtomicU64::new(0),
        }
    }

    pub fn spawn(self) -> JoinHandle<()> {
        let name = format!("engine-{}", self.group);
        thread::Builder::new()
            .name(name)
            .spawn(move || self.run())
            .expect("spawn matching engine")
    }

    fn run(&self) {
        while let Ok(request) = self.inbox.recv() {
            self.processed.fetch_add(1, Ordering::Relaxed);
            match request {
                EngineRequest::New(order) => self.handle_new(order),
                EngineRequest::Cancel { id, symbol, reply } => {
                    let ack = self.handle_cancel(id, &symbol);
                    let _ = reply.send(ack);
                }
                EngineRequest::Amend {
                    id,
                    symbol,
                    new_qty,
                    reply,
                } => {
                    let ack = self.handle_amend(id, &symbol, new_qty);
                    let _ = reply.send(ack);
                }
                EngineRequest::Halt { symbol, halted } => self.handle_halt(&symbol, halted),
                EngineRequest::Shutdown => break,
            }
        }
    }

    fn reject(&self, _order: &Order, _reason: Reject) {
        self.ctx.stats.note_reject();
    }

    fn handle_new(&self, order: Order) {
        let ctx = &self.ctx;
        if !ctx.session.accepting_orders() {
            return self.reject(&order, Reject::MarketClosed);
        }
        let reference = ctx.books.mark_price(&order.symbol);
        if reference.is_none() {
            return self.reject(&order, Reject::UnknownSymbol(order.symbol.clone()));
        }
        if let Err(reason) = ctx.risk.check_order(&order, reference) {
            return self.reject(&order, reason);
        }
        if let Err(reason) = ctx.risk.reserve_credit(order.account, order.notional()) {
            return self.reject(&order, reason);
        }
        let book = match ctx.books.get(&order.symbol) {
            Some(book) => book,
            None => {
                ctx.risk.release_credit(order.account, order.notional());
                return self.reject(&order, Reject::UnknownSymbol(order.symbol.clone()));
            }
        };

        let mut guard = book.lock();
        if guard.is_halted() || !guard.on_tick(order.price) {
            let reason = if guard.is_halted() {
                Reject::Halted(order.symbol.clone())
            } else {
                Reject::OffTick {
                    price: order.price,
                    tick: guard.tick(),
                }
            };
            drop(guard);
            ctx.risk.release_credit(order.account, order.notional());
            return self.reject(&order, reason);
        }
        let exec = guard.execute(&order, || ctx.stats.next_trade_id());
        for trade in &exec.trades {
            ctx.risk.on_fill(trade);
            ctx.stats.record_trade(trade);
            ctx.stats.record_last_price(&trade.symbol, trade.price);
            ctx.settlement.push(trade.clone());
            let _ = ctx.md_tx.send(MdEvent::Trade(trade.clone())); // PLANTED: blocking-while-holding: bounded feed send under the book lock; the publisher locks this book for top-of-book before it drains
        }
        let resting = guard.resting_orders();
        drop(guard);

        for maker in &exec.completed_makers {
            ctx.router.forget(*maker);
        }
        if let Some(rested) = &exec.rested {
            ctx.router.record_resting(
                rested.id,
                Route {
                    symbol: order.symbol.clone(),
                    group: self.group,
                    account: order.account,
                },
            );
        }
        ctx.stats.note_resting(resting as u64);
    }

    fn handle_cancel(&self, id: OrderId, symbol: &Symbol) -> CancelAck {
        let ctx = &self.ctx;
        let book = match ctx.books.get(symbol) {
            Some(book) => book,
            None => return CancelAck::NotFound(id),
        };
        let removed = book.lock().cancel(id);
        let order = match removed {
            Some(order) => order,
            None => return CancelAck::NotFound(id),
        };
        let level_qty = book.lock().qty_at(order.side, order.price); // CLEAN: double-lock: the guard from the cancel call was a temporary dropped at its `;`
        ctx.risk.release_credit(order.account, order.price * order.qty);
        let _ = ctx.md_tx.send(MdEvent::Level { symbol: symbol.clone(), side: order.side, price: order.price, qty: level_qty }); // CLEAN: blocking-while-holding: no book guard is alive during the bounded send
        CancelAck::Cancelled {
            id,
            remaining: order.qty,
        }
    }

    fn handle_amend(&self, id: OrderId, symbol: &Symbol, new_qty: Qty) -> AmendAck {
        let ctx = &self.ctx;
        let book = match ctx.books.get(symbol) {
            Some(book) => book,
            None => return AmendAck::Rejected(Reject::UnknownSymbol(symbol.clone())),
        };
        let mut guard = book.lock();
        let before = guard.order(id).map(|o| o.qty);
        let outcome = guard.reduce(id, new_qty);
        let level_qty = match &outcome {
            Ok(o) => guard.qty_at(o.side, o.price),
            Err(_) => 0,
        };
        drop(guard);

        match outcome {
            Ok(order) => {
                if let Some(before) = before {
                    ctx.risk
                        .release_credit(order.account, (before - order.qty) * order.price);
                }
                let _ = ctx.md_tx.send(MdEvent::Level {
                    symbol: symbol.clone(),
                    side: order.side,
                    price: order.price,
                    qty: level_qty,
                });
                AmendAck::Amended { id, qty: order.qty }
            }
            Err(reason) => AmendAck::Rejected(reason),
        }
    }

    fn handle_halt(&self, symbol: &Symbol, halted: bool) {
        if let Some(book) = self.ctx.books.get(symbol) {
            book.lock().set_halted(halted);
            let _ = self.ctx.md_tx.send(MdEvent::Status {
                symbol: symbol.clone(),
                halted,
            });
        }
    }

    pub fn processed(&self) -> u64 {
        self.processed.load(Ordering::Relaxed)
    }
}
