//! In-memory bank ledger: accounts, tellers, batch settlement, interest, audit and notifications.
#![allow(dead_code)]

pub mod accounts;
pub mod audit;
pub mod interest;
pub mod limits;
pub mod notify;
pub mod transfers;

use std::sync::Arc;
use std::thread::{self, JoinHandle};
pub use accounts::{AccountId, AccountKind, Book, LedgerError};

#[derive(Clone)]
pub struct Ledger {
    pub book: Arc<Book>,
    pub limits: Arc<limits::Limits>,
    pub journal: Arc<audit::Journal>,
    pub hooks: Arc<notify::Hooks>,
    pub notifier: Arc<notify::Notifier>,
}

impl Ledger {
    pub fn boot(book: Book, daily_cap: i64, journal_writers: usize) -> Self {
        let journal = audit::Journal::start(journal_writers);
        let hooks = Arc::new(notify::Hooks::default());
        hooks.subscribe("audit", audit::AuditObserver { journal: Arc::clone(&journal) });
        let notifier = notify::Notifier::start(Arc::clone(&hooks), 4);
        let limits = Arc::new(limits::Limits::new(daily_cap));
        Ledger { book: Arc::new(book), limits, journal, hooks, notifier }
    }
}

pub fn spawn_named<F: FnOnce() + Send + 'static>(name: impl Into<String>, f: F) -> JoinHandle<()> {
    thread::Builder::new().name(name.into()).spawn(f).expect("failed to spawn service thread")
}
