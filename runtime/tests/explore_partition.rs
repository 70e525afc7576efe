//! Partitioned exploration: shares 1/N..N/N together run exactly the schedules of one unsharded
//! run, and their reports merge into that run's report; a time budget stops a run and says so.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use racecheck::explore::{merge, Config, Partition, Report, Strategy};
use racecheck::{Lock, Shared, Thread};

#[path = "../benches/support/programs.rs"]
mod programs;

/// What each schedule of a body did, in the order schedules ran.
type Log = Arc<Mutex<Vec<Vec<usize>>>>;

/// `threads` threads taking one lock `rounds` times each; every schedule logs the order in
/// which they took it: its interleaving.
fn lockers(threads: usize, rounds: usize, log: &Log) -> impl Fn() + Send + Sync + 'static {
    let log = Arc::clone(log);
    move || {
        let order = Arc::new(Mutex::new(Vec::new()));
        let taken = Arc::clone(&order);
        programs::lock_rounds_with(threads, rounds, move |n| taken.lock().unwrap().push(n));
        let taken = order.lock().unwrap().clone();
        log.lock().unwrap().push(taken);
    }
}

fn shares(count: usize) -> impl Iterator<Item = Partition> {
    (1..=count).map(move |shard| Partition::new(shard, count).unwrap())
}

fn in_share(config: &Config, share: Partition) -> Config {
    config.clone().partition(share.shard, share.shards)
}

#[test]
fn random_shares_run_exactly_the_schedules_of_one_run() {
    let config = Config::default()
        .schedules(60)
        .strategy(Strategy::Random)
        .seed(11)
        .workers(1);
    let whole: Log = Log::default();
    racecheck::explore(config.clone(), lockers(3, 2, &whole));
    let whole = whole.lock().unwrap().clone();
    assert_eq!(whole.len(), 60);
    for share in shares(3) {
        let log: Log = Log::default();
        let report = racecheck::explore(in_share(&config, share), lockers(3, 2, &log));
        let expected: Vec<Vec<usize>> = (0..60)
            .filter(|&index| share.owns(index))
            .map(|index| whole[index].clone())
            .collect();
        assert_eq!(*log.lock().unwrap(), expected, "share {share}");
        assert_eq!(report.schedules_run, 20);
        assert_eq!(report.partition, share);
    }
}

#[test]
fn pct_shares_all_calibrate_then_run_their_own_schedules() {
    // PCT runs schedules 0-15 in every share to measure schedule length, reporting only its own.
    let config = Config::default()
        .schedules(40)
        .strategy(Strategy::Pct { depth: 2 })
        .workers(1);
    let whole: Log = Log::default();
    racecheck::explore(config.clone(), lockers(2, 3, &whole));
    let whole = whole.lock().unwrap().clone();
    for share in shares(2) {
        let log: Log = Log::default();
        let report = racecheck::explore(in_share(&config, share), lockers(2, 3, &log));
        let expected: Vec<Vec<usize>> = (0..40)
            .filter(|&index| index < 16 || share.owns(index))
            .map(|index| whole[index].clone())
            .collect();
        assert_eq!(*log.lock().unwrap(), expected, "share {share}");
        assert_eq!(report.schedules_run, 20);
    }
}

fn exhaustive() -> Config {
    Config::default()
        .schedules(100_000)
        .strategy(Strategy::Exhaustive {
            preemption_bound: None,
        })
}

#[test]
fn exhaustive_shares_split_the_252_interleavings_of_two_threads_and_five_locks() {
    let whole_log: Log = Log::default();
    let whole = racecheck::explore(exhaustive(), lockers(2, 5, &whole_log));
    let coverage = whole.coverage.unwrap();
    assert_eq!((coverage.interleavings, coverage.complete), (252, true));
    let expected: BTreeSet<Vec<usize>> = whole_log.lock().unwrap().iter().cloned().collect();
    assert_eq!(expected.len(), 252, "10! / (5! 5!) orders");

    for count in [2, 3] {
        let mut reports = Vec::new();
        let mut seen: BTreeSet<Vec<usize>> = BTreeSet::new();
        for share in shares(count) {
            let log: Log = Log::default();
            let report = racecheck::explore(in_share(&exhaustive(), share), lockers(2, 5, &log));
            assert!(report.coverage.unwrap().complete, "share {share}");
            seen.extend(log.lock().unwrap().iter().cloned());
            reports.push(report);
        }
        let interleavings: usize = reports
            .iter()
            .map(|report| report.coverage.unwrap().interleavings)
            .sum();
        assert_eq!(interleavings, 252, "over {count} shares");
        // Each unit of the search is one share's.
        let mut units: Vec<usize> = reports
            .iter()
            .flat_map(|report| report.units.iter().map(|unit| unit.unit))
            .collect();
        units.sort_unstable();
        assert_eq!(units, (0..units.len()).collect::<Vec<_>>());
        assert_eq!(seen, expected);
        assert_eq!(merge(&reports).unwrap(), whole, "over {count} shares");
    }
}

/// Runs shares 1/`count`..`count`/`count` of `config` on `lockers(threads, rounds)`: each
/// share's interleavings, and the lock orders they ran together.
fn run_shares(
    config: &Config,
    count: usize,
    (threads, rounds): (usize, usize),
) -> (Vec<usize>, BTreeSet<Vec<usize>>) {
    let mut seen: BTreeSet<Vec<usize>> = BTreeSet::new();
    let interleavings = shares(count)
        .map(|share| {
            let log: Log = Log::default();
            let report =
                racecheck::explore(in_share(config, share), lockers(threads, rounds, &log));
            seen.extend(log.lock().unwrap().iter().cloned());
            report.coverage.unwrap().interleavings
        })
        .collect();
    (interleavings, seen)
}

#[test]
fn bounded_exhaustive_shares_are_balanced_and_run_exactly_the_whole_search() {
    // The benches' program, 4 threads x 2 lock rounds, bound 2: nearly every interleaving lies
    // below the main thread spawning on, so the shares must split deeper than its first choice.
    let bounded = exhaustive().strategy(Strategy::Exhaustive {
        preemption_bound: Some(2),
    });
    let whole_log: Log = Log::default();
    let whole = racecheck::explore(bounded.clone(), lockers(4, 2, &whole_log));
    let total = whole.coverage.unwrap().interleavings;
    assert_eq!(total, whole.schedules_run);
    let expected: BTreeSet<Vec<usize>> = whole_log.lock().unwrap().iter().cloned().collect();
    for count in [2, 4] {
        let (interleavings, seen) = run_shares(&bounded, count, (4, 2));
        assert_eq!(
            interleavings.iter().sum::<usize>(),
            total,
            "over {count} shares"
        );
        assert_eq!(seen, expected, "over {count} shares");
        // Each within 1.2x of an even share.
        for (share, &ran) in interleavings.iter().enumerate() {
            assert!(
                ran * count * 5 <= total * 6,
                "share {}/{count}: {ran} of {total}",
                share + 1
            );
        }
    }
}

#[test]
fn unbounded_shares_of_three_threads_run_all_1680_interleavings() {
    let whole = racecheck::explore(exhaustive(), lockers(3, 3, &Log::default()));
    assert_eq!(
        whole.coverage.unwrap().interleavings,
        1680,
        "9! / (3! 3! 3!)"
    );
    for count in [2, 3] {
        let (interleavings, seen) = run_shares(&exhaustive(), count, (3, 3));
        let summed: usize = interleavings.iter().sum();
        assert_eq!((summed, seen.len()), (1680, 1680), "over {count} shares");
    }
}

/// A racy counter among three threads and an ABBA pair: bugs some schedules miss.
fn buggy() {
    static COUNTER: Shared<u64> = Shared::new(0);
    let a = Arc::new(Lock::new(0));
    let b = Arc::new(Lock::new(0));
    let (a2, b2) = (Arc::clone(&a), Arc::clone(&b));
    let other = Thread::spawn(move || {
        let _b = b2.acquire();
        *a2.acquire() += 1;
    });
    let racer = Thread::spawn(|| COUNTER.set(COUNTER.get() + 1));
    {
        let _a = a.acquire();
        *b.acquire() += 1;
    }
    other.join().unwrap();
    racer.join().unwrap();
    COUNTER.set(COUNTER.get() + 1);
}

fn merged_shares(config: &Config, count: usize) -> Report {
    let reports: Vec<Report> = shares(count)
        .map(|share| racecheck::explore(in_share(config, share), buggy))
        .collect();
    merge(&reports).unwrap()
}

#[test]
fn sampled_shares_merge_into_the_unsharded_report() {
    for strategy in [
        Strategy::Random,
        Strategy::Pct { depth: 3 },
        Strategy::Portfolio,
    ] {
        let config = Config::default().schedules(300).strategy(strategy.clone());
        let whole = racecheck::explore(config.clone(), buggy);
        assert!(!whole.is_clean(), "{strategy}");
        for count in [2, 3] {
            assert_eq!(
                merged_shares(&config, count),
                whole,
                "{strategy} over {count}"
            );
        }
    }
}

#[test]
fn exhaustive_shares_merge_into_the_unsharded_report() {
    let whole = racecheck::explore(exhaustive(), buggy);
    let finding = &whole.findings()[0];
    assert_ne!(finding.schedule, 0, "a bug the first schedule misses");
    for count in [2, 3] {
        let merged = merged_shares(&exhaustive(), count);
        assert_eq!(merged, whole, "over {count} shares");
        let replayed = racecheck::replay(&merged.findings()[0].replay_token, buggy);
        assert_eq!(replayed.findings()[0].trace, finding.trace);
    }
}

#[test]
fn merging_needs_every_share_once() {
    let config = Config::default().schedules(10).strategy(Strategy::Random);
    let run = |shard, shards| racecheck::explore(config.clone().partition(shard, shards), buggy);
    let (first, second, third) = (run(1, 3), run(2, 3), run(3, 3));
    assert_eq!(
        merge(&[first.clone(), third.clone()]).unwrap_err(),
        "share 2/3 missing: without it the merged run is incomplete"
    );
    assert_eq!(
        merge(std::slice::from_ref(&second)).unwrap_err(),
        "shares 1/3, 3/3 missing: without them the merged run is incomplete"
    );
    assert_eq!(
        merge(&[first.clone(), second.clone(), second, third]).unwrap_err(),
        "share 2/3 is given twice"
    );
    assert_eq!(
        merge(&[first.clone(), run(2, 2)]).unwrap_err(),
        "shares of different partitions: 1/3 and 2/2"
    );
    let searched = racecheck::explore(exhaustive().partition(1, 3), buggy);
    assert_eq!(
        merge(&[first, searched]).unwrap_err(),
        "an exhaustive search's share beside a sampling strategy's"
    );
}

#[test]
#[should_panic(
    expected = "racecheck: `partition`: partition 4/3 names no share: k must be from 1 to 3"
)]
fn a_partition_naming_no_share_panics_at_explore() {
    racecheck::explore(Config::default().partition(4, 3), || {});
}

#[test]
fn a_time_budget_stops_an_exhaustive_search_and_says_so() {
    let log: Log = Log::default();
    let config = exhaustive().time_budget(Some(Duration::from_millis(200)));
    // Four threads taking one lock twenty times each: far more interleavings than 200 ms allow.
    let report = racecheck::explore(config, lockers(4, 20, &log));
    assert!(report.out_of_time);
    let coverage = report.coverage.unwrap();
    assert!(!coverage.complete);
    assert!(report.schedules_run < 100_000);
    assert_eq!(log.lock().unwrap().len(), report.schedules_run);
    assert!(coverage
        .to_string()
        .starts_with("exhaustive search incomplete:"));
}
