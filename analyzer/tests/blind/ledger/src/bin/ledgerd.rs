//! ledgerd: runs the ledger services against a demo book and a synthetic day of traffic.
use std::sync::{mpsc, Barrier};
use std::thread;
use std::time::Duration;
use ledger::accounts::{AccountId, AccountKind::*, Book};
use ledger::interest::InterestEngine;
use ledger::notify::{FeedObserver, LargeTransferPager};
use ledger::transfers::{batch::Leg, batch::Settlement, Request, TransferDesk};
use ledger::Ledger;

fn main() {
    let book = Book::with_accounts([
        ("bank:fees", Internal, 0), ("bank:suspense", Internal, 0), ("alice", Checking, 2_500_000),
        ("bob", Checking, 1_800_000), ("carol", Savings, 9_000_000), ("dave", Checking, 40_000),
        ("erin", Savings, 3_200_000),
    ]);
    let [fees, suspense, alice, bob, carol, dave, erin] = [0, 1, 2, 3, 4, 5, 6].map(AccountId);
    let ledger = Ledger::boot(book, 1_000_000, 2);
    let (feed_tx, feed_rx) = mpsc::channel();
    ledger.hooks.subscribe("pager", LargeTransferPager(500_000));
    ledger.hooks.subscribe("client-feed", FeedObserver(feed_tx, false));

    let desk = TransferDesk::start(ledger.clone(), suspense, 2);
    let settlement = Settlement::start(ledger.clone(), fees, 25, 2);
    let interest = InterestEngine::start(ledger.clone(), [(Checking, 50), (Savings, 325)]);
    let go = Barrier::new(6);
    thread::scope(|s| {
        s.spawn(|| {
            go.wait();
            for _ in 0..20 {
                thread::sleep(Duration::from_millis(5));
                println!("window rolled, {} accounts carried over", ledger.limits.roll_window(&ledger.book));
            }
        });
        s.spawn(|| {
            go.wait();
            for bp in [330, 340, 335, 350, 345] {
                interest.set_rate(Savings, bp);
                interest.set_rate(Checking, bp / 6);
                thread::sleep(Duration::from_millis(3));
            }
        });
        s.spawn(|| {
            go.wait();
            println!("opening rates:\n{}", interest.report());
            println!("month-end interest: {:?}", interest.run_and_wait());
        });
        s.spawn(|| {
            go.wait();
            thread::sleep(Duration::from_millis(10));
            feed_rx.try_iter().for_each(|event| println!("feed: {event:?}"));
            drop(feed_rx);
            println!("dispatcher round trip {:?}", ledger.notifier.ping());
            thread::sleep(Duration::from_millis(20));
            println!("removed {} closed observers", ledger.hooks.sweep());
            println!("flushed {} events", ledger.notifier.flush_sync());
        });
        s.spawn(|| {
            go.wait();
            thread::sleep(Duration::from_millis(200));
            println!("books closed, journal sealed with {} entries", ledger.journal.seal());
        });

        go.wait();
        for round in 0..40 {
            desk.submit(Request::Transfer { from: alice, to: bob, amount: 1_000 + round });
            desk.submit(Request::Transfer { from: bob, to: alice, amount: 750 });
            desk.submit(Request::Transfer { from: dave, to: erin, amount: 300 });
            if round % 10 == 0 {
                desk.submit(Request::Pay { from: erin, payee: "landlord".into(), amount: 95_000 });
            }
        }
        desk.submit(Request::Transfer { from: carol, to: erin, amount: 600_000 });
        desk.submit(Request::RaiseCap { id: carol, delta: 250_000 });
        desk.submit(Request::RaiseCap { id: carol, delta: 250_000 });
        for batch in 0..8 {
            let legs = [(alice, carol, 10_000 + batch as i64), (carol, alice, 8_000), (erin, bob, 5_000), (bob, erin, 4_000)];
            settlement.submit(batch, legs.map(|(from, to, amount)| Leg { from, to, amount }).to_vec());
        }
        desk.submit(Request::Alias { alias: "carol-joint".into(), id: carol });
        settlement.wait_idle();
        println!("day done, dave headroom {:?}", ledger.limits.headroom(&ledger.book, dave));
    });

    println!("largest transfer of the day: {}", desk.shutdown());
    settlement.stop();
    interest.stop();
    ledger.notifier.stop();
}
