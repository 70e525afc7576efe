//! Runs a short simulated trading session against the venue.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use exchange::marketdata::sink::{CandleSink, DropCopy, TradeCounter};
use exchange::{Account, CancelAck, Limits, Phase, Side, Trade, Vault, Venue, VenueConfig};

const MEMBERS: usize = 6;
const CLIENTS: usize = 3;
const LISTINGS: &[(&str, i64)] = &[
    ("BTC-USD", 30_000),
    ("SOL-USD", 2_000),
    ("XRP-USD", 500),
    ("ADA-USD", 400),
];

/// Small deterministic generator so runs are reproducible.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed | 1)
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// An order-entry gateway trading on behalf of every member.
fn run_client(client: usize, venue: &Venue) -> (u64, u64) {
    venue.session.wait_for_open();
    let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15 ^ ((client as u64 + 1) * 7919));
    let mut working = Vec::new();
    let (mut sent, mut cancelled) = (0u64, 0u64);
    let started = Instant::now();

    while venue.session.phase() != Phase::Closed && started.elapsed() < Duration::from_secs(2) {
        let account = rng.below(MEMBERS as u64) as usize;
        let (symbol, reference) = LISTINGS[rng.below(LISTINGS.len() as u64) as usize];
        let side = if rng.below(2) == 0 { Side::Buy } else { Side::Sell };
        let offset = rng.below(7) as i64 - 3;
        let price = reference + offset * side.sign();
        let qty = 1 + rng.below(25) as i64;
        if let Ok(id) = venue.submit(account, symbol, side, price, qty) {
            sent += 1;
            working.push(id);
        }

        match rng.below(12) {
            0 | 1 if !working.is_empty() => {
                let id = working.swap_remove(rng.below(working.len() as u64) as usize);
                if let Ok(CancelAck::Cancelled { .. }) = venue.cancel(id) {
                    cancelled += 1;
                }
            }
            2 if !working.is_empty() => {
                let id = working[rng.below(working.len() as u64) as usize];
                let _ = venue.amend(id, 1);
            }
            _ => {}
        }
        thread::sleep(Duration::from_micros(200));
    }
    (sent, cancelled)
}

fn main() {
    let accounts = (0..MEMBERS)
        .map(|i| Account::new(i, &format!("member-{i}"), 80_000_000))
        .collect();
    let vaults = (0..MEMBERS).map(|i| Vault::new(i, 1_000_000)).collect();
    let venue = Venue::build(VenueConfig::default(), accounts, vaults, LISTINGS);

    let tape = Arc::new(TradeCounter::new("tape"));
    venue.md.subscribe(tape.clone());
    venue.md.subscribe(Arc::new(CandleSink::new("candles", 20)));

    let stop = Arc::new(AtomicBool::new(false));

    // Session clock: pre-open -> auction -> continuous -> closed.
    let clock = {
        let venue = Arc::clone(&venue);
        thread::Builder::new()
            .name("session-clock".into())
            .spawn(move || {
                thread::sleep(Duration::from_millis(20));
                venue.session.set_phase(Phase::Auction);
                thread::sleep(Duration::from_millis(30));
                venue.session.set_phase(Phase::Continuous);
                thread::sleep(Duration::from_millis(800));
                venue.session.set_phase(Phase::Closed);
            })
            .expect("spawn session clock")
    };

    // Client gateways.
    let clients: Vec<_> = (0..CLIENTS)
        .map(|c| {
            let venue = Arc::clone(&venue);
            thread::Builder::new()
                .name(format!("gateway-{c}"))
                .spawn(move || run_client(c, &venue))
                .expect("spawn gateway")
        })
        .collect();

    // Risk monitor: marks positions and rebalances collateral.
    let monitor = {
        let venue = Arc::clone(&venue);
        let stop = Arc::clone(&stop);
        thread::Builder::new()
            .name("risk-monitor".into())
            .spawn(move || {
                let mut tick = 0usize;
                let mut worst = 0i64;
                while !stop.load(Ordering::Acquire) {
                    let gross = venue.risk.revalue(&venue.books);
                    worst = worst.max(gross);
                    if tick % 10 == 0 {
                        let report = venue.risk.margin_report(&venue.books);
                        if let Some(top) = report.first() {
                            worst = worst.max(top.value.abs());
                        }
                    }
                    if tick % 5 == 0 {
                        venue
                            .accounts
                            .move_collateral(tick % MEMBERS, (tick + 1) % MEMBERS, 1_000);
                    }
                    tick += 1;
                    thread::sleep(Duration::from_millis(5));
                }
                worst
            })
            .expect("spawn risk monitor")
    };

    // Operations desk: late subscribers, intraday listing, collateral moves,
    // manual cancels and a feed resync.
    let (drop_tx, drop_rx) = crossbeam_channel::unbounded::<Trade>();
    let ops = {
        let venue = Arc::clone(&venue);
        thread::Builder::new()
            .name("ops-desk".into())
            .spawn(move || {
                thread::sleep(Duration::from_millis(120));
                venue
                    .md
                    .subscribe(Arc::new(DropCopy::new("clearing-drop-copy", drop_tx)));
                venue.accounts.move_collateral(3, 1, 5_000);
                venue.risk.set_limits(
                    4,
                    Limits {
                        credit: 20_000_000,
                        max_order_qty: 100,
                        price_band_bps: 500,
                    },
                );
                thread::sleep(Duration::from_millis(80));
                for id in venue.router.open_orders(0).into_iter().take(3) {
                    let _ = venue.cancel(id);
                }
                let live = venue.md.resync();
                thread::sleep(Duration::from_millis(50));
                let book = venue.list_intraday("DOGE-USD", 100);
                let listed = book.lock().symbol().clone();
                let _ = venue.halt("ADA-USD", true);
                thread::sleep(Duration::from_millis(40));
                let _ = venue.halt("ADA-USD", false);
                (live, listed)
            })
            .expect("spawn ops desk")
    };

    // Clearing reporter: waits for the close, then reconciles the drop copy.
    let reporter = {
        let venue = Arc::clone(&venue);
        thread::Builder::new()
            .name("clearing-reporter".into())
            .spawn(move || {
                venue.session.wait_for_close();
                drop_rx.try_iter().count()
            })
            .expect("spawn clearing reporter")
    };

    let mut sent = 0;
    for client in clients {
        let (s, _) = client.join().expect("gateway panicked");
        sent += s;
    }
    clock.join().expect("session clock panicked");

    let report = venue.end_of_day();
    stop.store(true, Ordering::Release);
    let worst = monitor.join().expect("risk monitor panicked");
    let (live, listed) = ops.join().expect("ops desk panicked");
    venue.shutdown();
    let copies = reporter.join().expect("reporter panicked");

    println!("orders sent        {sent}");
    println!("trades on tape     {}", tape.trades());
    println!("drop copies        {copies}");
    println!("settled            {}", venue.settlement.settled());
    println!("rejects            {}", venue.stats.rejects());
    println!("traded notional    {}", report.traded_notional);
    println!("total cash         {}", report.total_cash);
    println!("worst exposure     {worst}");
    println!("live subscribers   {live}, intraday listing {listed}");
    for book in &report.books {
        println!(
            "{:<8} mark {:>6} resting {:>4} best bid {:?} best ask {:?}",
            book.symbol.as_str(),
            book.mark,
            book.resting,
            book.bids.first(),
            book.asks.first()
        );
    }
}
