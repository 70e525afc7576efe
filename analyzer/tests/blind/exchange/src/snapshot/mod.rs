//! End-of-day snapshot of books and accounts.

use std::sync::Barrier;
use std::thread;

use crate::accounts::account::AccountView;
use crate::accounts::AccountStore;
use crate::book::{BookRegistry, OrderBook, SharedBook};
use crate::stats::SessionStats;
use crate::types::{Price, Qty, Symbol};

const DEPTH_LEVELS: usize = 10;
const ACCOUNT_CHUNK: usize = 4;

#[derive(Clone, Debug)]
pub struct BookSnapshot {
    pub symbol: Symbol,
    pub bids: Vec<(Price, Qty)>,
    pub asks: Vec<(Price, Qty)>,
    pub mark: Price,
    pub resting: usize,
}

impl BookSnapshot {
    fn capture(book: &OrderBook) -> Self {
        let (bids, asks) = book.depth(DEPTH_LEVELS);
        BookSnapshot {
            symbol: book.symbol().clone(),
            bids,
            asks,
            mark: book.mark_price(),
            resting: book.resting_orders(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct EodReport {
    pub books: Vec<BookSnapshot>,
    pub accounts: Vec<AccountView>,
    pub total_cash: i64,
    pub traded_notional: i64,
}

/// Freezes every book, then captures them all once every book is frozen.
/// Accounts are copied in parallel chunks.
pub fn end_of_day(books: &BookRegistry, accounts: &AccountStore, stats: &SessionStats) -> EodReport {
    let shared: Vec<SharedBook> = books
        .symbols()
        .iter()
        .filter_map(|s| books.get(s))
        .collect();
    let barrier = Barrier::new(shared.len());

    let (book_snaps, account_views) = thread::scope(|scope| {
        let book_jobs: Vec<_> = shared
            .iter()
            .map(|book| {
                let barrier = &barrier;
                scope.spawn(move || {
                    // Trading is over: freeze the book for good.
                    let mut guard = book.lock();
                    guard.set_halted(true);
                    drop(guard);
                    barrier.wait(); // CLEAN: blocking-while-holding: the book guard is dropped before the rendezvous
                    let guard = book.lock();
                    BookSnapshot::capture(&guard)
                })
            })
            .collect();

        let account_jobs: Vec<_> = (0..accounts.len())
            .step_by(ACCOUNT_CHUNK)
            .map(|start| {
                let end = (start + ACCOUNT_CHUNK).min(accounts.len());
                scope.spawn(move || accounts.views(start..end))
            })
            .collect();

        let book_snaps: Vec<BookSnapshot> = book_jobs
            .into_iter()
            .map(|job| job.join().expect("book snapshot thread"))
            .collect();
        let account_views: Vec<AccountView> = account_jobs
            .into_iter()
            .flat_map(|job| job.join().expect("account snapshot thread"))
            .collect();
        (book_snaps, account_views)
    });

    let total_cash = account_views.iter().map(|a| a.cash).sum();
    EodReport {
        books: book_snaps,
        accounts: account_views,
        total_cash,
        traded_notional: stats.traded_notional(),
    }
}
