//! Assembly of the venue services and their lifecycle.

use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use crate::accounts::account::{Account, Vault};
use crate::accounts::AccountStore;
use crate::book::{BookRegistry, SharedBook};
use crate::engine::request::{AmendAck, CancelAck};
use crate::engine::router::OrderRouter;
use crate::engine::{EngineContext, MatchingEngine};
use crate::marketdata::MarketDataHub;
use crate::risk::limits::Limits;
use crate::risk::RiskEngine;
use crate::session::{Phase, SessionGate};
use crate::settlement::queue::SettlementQueue;
use crate::settlement::SettlementService;
use crate::snapshot::{self, EodReport};
use crate::stats::SessionStats;
use crate::types::{AccountId, Order, OrderId, Price, Qty, Reject, Side, Symbol};

#[derive(Clone, Debug)]
pub struct VenueConfig {
    pub engine_groups: usize,
    pub settlement_workers: usize,
    pub md_capacity: usize,
    pub fee_bps: i64,
    pub margin_bps: i64,
    pub tick: Price,
    pub default_limits: Limits,
}

impl Default for VenueConfig {
    fn default() -> Self {
        VenueConfig {
            engine_groups: 2,
            settlement_workers: 2,
            md_capacity: 16,
            fee_bps: 2,
            margin_bps: 1_000,
            tick: 1,
            default_limits: Limits::default(),
        }
    }
}

pub struct Venue {
    pub books: Arc<BookRegistry>,
    pub accounts: Arc<AccountStore>,
    pub risk: Arc<RiskEngine>,
    pub router: Arc<OrderRouter>,
    pub md: Arc<MarketDataHub>,
    pub settlement: Arc<SettlementService>,
    pub session: Arc<SessionGate>,
    pub stats: Arc<SessionStats>,
    engines: Mutex<Vec<JoinHandle<()>>>,
    config: VenueConfig,
}

impl Venue {
    /// Builds the venue and starts its service threads: one matching engine
    /// per symbol group, the settlement workers and the market-data publisher.
    pub fn build(
        config: VenueConfig,
        accounts: Vec<Account>,
        vaults: Vec<Vault>,
        listings: &[(&str, Price)],
    ) -> Arc<Venue> {
        let books = Arc::new(BookRegistry::new(config.tick));
        for (symbol, reference) in listings {
            books.list_symbol(Symbol::new(symbol), *reference);
        }
        let accounts = Arc::new(AccountStore::new(accounts, vaults, config.margin_bps));
        let risk = Arc::new(RiskEngine::new(config.default_limits.clone()));
        let stats = Arc::new(SessionStats::new());
        let session = Arc::new(SessionGate::new());

        let (md_tx, md_rx) = crossbeam_channel::bounded(config.md_capacity);
        let md = MarketDataHub::new();
        md.start(md_rx, Arc::clone(&books));

        let queue = Arc::new(SettlementQueue::new());
        let settlement = SettlementService::new(
            Arc::clone(&queue),
            Arc::clone(&accounts),
            Arc::clone(&risk),
            config.fee_bps,
        );
        settlement.start(config.settlement_workers);

        let mut inboxes = Vec::new();
        let mut senders = Vec::new();
        for _ in 0..config.engine_groups.max(1) {
            let (tx, rx) = crossbeam_channel::unbounded();
            senders.push(tx);
            inboxes.push(rx);
        }
        let router = Arc::new(OrderRouter::new(senders));

        let ctx = EngineContext {
            books: Arc::clone(&books),
            risk: Arc::clone(&risk),
            router: Arc::clone(&router),
            settlement: queue,
            stats: Arc::clone(&stats),
            session: Arc::clone(&session),
            md_tx,
        };
        let engines = inboxes
            .into_iter()
            .enumerate()
            .map(|(group, inbox)| MatchingEngine::new(group, inbox, ctx.clone()).spawn())
            .collect();
        drop(ctx);

        Arc::new(Venue {
            books,
            accounts,
            risk,
            router,
            md,
            settlement,
            session,
            stats,
            engines: Mutex::new(engines),
            config,
        })
    }

    pub fn config(&self) -> &VenueConfig {
        &self.config
    }

    /// Entry point of the client gateways.
    pub fn submit(
        &self,
        account: AccountId,
        symbol: &str,
        side: Side,
        price: Price,
        qty: Qty,
    ) -> Result<OrderId, Reject> {
        if !self.accounts.exists(account) {
            return Err(Reject::UnknownAccount(account));
        }
        if qty <= 0 {
            return Err(Reject::OrderTooLarge { qty, max: 0 });
        }
        let id = self.stats.next_order_id();
        self.router.submit(Order {
            id,
            account,
            symbol: Symbol::new(symbol),
            side,
            price,
            qty,
        })?;
        Ok(id)
    }

    pub fn cancel(&self, id: OrderId) -> Result<CancelAck, Reject> {
        self.router.cancel(id)
    }

    pub fn amend(&self, id: OrderId, new_qty: Qty) -> Result<AmendAck, Reject> {
        self.router.amend(id, new_qty)
    }

    pub fn halt(&self, symbol: &str, halted: bool) -> Result<(), Reject> {
        self.router.halt(&Symbol::new(symbol), halted)
    }

    /// Intraday listing requested by the operations desk.
    pub fn list_intraday(&self, symbol: &str, reference: Price) -> SharedBook {
        self.books.ensure_listed(&Symbol::new(symbol), reference)
    }

    pub fn end_of_day(&self) -> EodReport {
        snapshot::end_of_day(&self.books, &self.accounts, &self.stats)
    }

    /// Closes the session and stops every service thread.
    pub fn shutdown(&self) {
        self.session.set_phase(Phase::Closed);
        self.router.shutdown();
        let engines = std::mem::take(&mut *self.engines.lock().unwrap());
        for engine in engines {
            let _ = engine.join();
        }
        self.settlement.stop();
        self.md.stop();
    }
}
