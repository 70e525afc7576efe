//! `cargo racecheck merge`: the report files of a partitioned exploration's shares merge into the
//! report of one unsharded run; reports that are not shares of one run are errors naming a file.
use crate::Project;
use racecheck::explore::harness::{append_run, read_report, Run};
use racecheck::explore::{Config, Strategy};
use racecheck::{Lock, Shared, Thread};
use std::sync::Arc;

/// A racy counter and an ABBA pair: bugs some schedules miss.
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
}

/// Two threads taking one lock five times each: 252 interleavings, no bug.
fn lockers() {
    let lock = Arc::new(Lock::new(0));
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let lock = Arc::clone(&lock);
            Thread::spawn(move || {
                for _ in 0..5 {
                    *lock.acquire() += 1;
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
}

/// Explores `body` under `config` and appends its run to `file` as the harness does.
fn record(project: &Project, file: &str, target: &str, config: &Config, body: fn()) {
    let report = racecheck::explore(config.clone(), body);
    let run = Run {
        command: format!("cargo test -p demo --lib -- {target} --exact"),
        strategy: config.strategy.to_string(),
        seed: config.seed,
        schedules: config.schedules,
        max_steps: config.max_steps,
        report,
    };
    append_run(&project.path(file), target, &run).unwrap();
}

fn sampled() -> Config {
    Config::default()
        .schedules(300)
        .strategy(Strategy::Pct { depth: 3 })
}

fn exhaustive() -> Config {
    Config::default()
        .schedules(100_000)
        .strategy(Strategy::Exhaustive {
            preemption_bound: None,
        })
}

/// Shares 1/3..3/3 of `buggy` (sampled and exhaustive) and of `lockers`, one file per share.
fn shards(project: &Project, count: usize) -> Vec<String> {
    (1..=count)
        .map(|shard| {
            let file = format!("shard-{shard}.jsonl");
            for (target, config, body) in [
                ("buggy", sampled(), buggy as fn()),
                ("buggy", exhaustive(), buggy),
                ("lockers", exhaustive(), lockers),
            ] {
                record(
                    project,
                    &file,
                    target,
                    &config.partition(shard, count),
                    body,
                );
            }
            file
        })
        .collect()
}

#[test]
fn shard_reports_merge_into_the_unsharded_report() {
    let project = Project::empty("merge-equal");
    record(&project, "whole.jsonl", "buggy", &sampled(), buggy);
    record(&project, "whole.jsonl", "buggy", &exhaustive(), buggy);
    record(&project, "whole.jsonl", "lockers", &exhaustive(), lockers);
    let files = shards(&project, 3);
    let mut args = vec!["merge", "--format", "json", "-o", "merged.jsonl"];
    args.extend(files.iter().map(String::as_str));
    let run = project.run(&args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let (merged_findings, merged_runs) = read_report(&project.path("merged.jsonl")).unwrap();
    let (findings, runs) = read_report(&project.path("whole.jsonl")).unwrap();
    let runs: Vec<Run> = runs.into_iter().map(|line| line.run).collect();
    let merged_runs: Vec<Run> = merged_runs.into_iter().map(|line| line.run).collect();
    assert_eq!(merged_runs, runs);
    let tokens = |lines: &[racecheck::explore::harness::ReportLine]| -> Vec<(usize, String)> {
        lines
            .iter()
            .map(|l| (l.finding.schedule, l.finding.replay_token.clone()))
            .collect()
    };
    assert_eq!(tokens(&merged_findings), tokens(&findings));

    // The merged report merges again, as one share of one.
    let again = project.run(&["merge", "--format", "json", "merged.jsonl"]);
    assert_eq!(again.stdout, project.read("merged.jsonl"));

    let mut args = vec!["merge"];
    args.extend(files.iter().map(String::as_str));
    let human = project.run(&args);
    assert_eq!(human.code, 1);
    assert!(
        human.stdout.contains(
            "lockers (exhaustive, seed 0, merged from 3 shares):\n\
             racecheck: all 252 interleavings explored: no deadlock, no data race, no panic"
        ),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("replay: RACECHECK_REPLAY=rc1:"),
        "{}",
        human.stdout
    );
}

#[test]
fn merged_sarif_carries_each_witness() {
    let project = Project::empty("merge-sarif");
    let files = shards(&project, 2);
    let mut args = vec!["merge", "--format", "sarif"];
    args.extend(files.iter().map(String::as_str));
    let run = project.run(&args);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let log: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(crate::sarif_schema::violations(&log), Vec::<String>::new());
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        assert!(result["ruleId"].as_str().unwrap().starts_with("runtime/"));
        assert!(
            result["codeFlows"][0]["threadFlows"]
                .as_array()
                .unwrap()
                .len()
                >= 2
        );
    }
}

#[test]
fn a_missing_share_is_an_error() {
    let project = Project::empty("merge-missing");
    let files = shards(&project, 3);
    let run = project.run(&["merge", &files[0], &files[2]]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("share 2/3 missing: without it the merged run is incomplete"),
        "{}",
        run.stderr
    );
}

#[test]
fn reports_of_other_runs_are_errors_naming_the_file() {
    let project = Project::empty("merge-mismatch");
    let config = sampled().schedules(20);
    record(
        &project,
        "a.jsonl",
        "buggy",
        &config.clone().partition(1, 2),
        buggy,
    );
    record(
        &project,
        "seed.jsonl",
        "buggy",
        &config.clone().seed(9).partition(2, 2),
        buggy,
    );
    record(
        &project,
        "other.jsonl",
        "lockers",
        &config.clone().partition(2, 2),
        lockers,
    );
    let strategy = config.clone().strategy(Strategy::Random).partition(2, 2);
    record(&project, "strategy.jsonl", "buggy", &strategy, buggy);
    project.write("garbage.jsonl", "{\"target\": 3}\n");

    let seed = project.run(&["merge", "a.jsonl", "seed.jsonl"]);
    assert_eq!(seed.code, 2);
    assert!(
        seed.stderr
            .contains("seed.jsonl: `buggy` (pct:3) ran with seed 9, but with seed 0 in"),
        "{}",
        seed.stderr
    );
    for other in ["other.jsonl", "strategy.jsonl"] {
        let run = project.run(&["merge", "a.jsonl", other]);
        assert_eq!(run.code, 2);
        assert!(
            run.stderr
                .contains("the reports are of different programs or strategies")
                && run.stderr.contains(other),
            "{}",
            run.stderr
        );
    }
    let garbage = project.run(&["merge", "a.jsonl", "garbage.jsonl"]);
    assert_eq!(garbage.code, 2);
    assert!(
        garbage
            .stderr
            .contains("garbage.jsonl:1: not a racecheck report line"),
        "{}",
        garbage.stderr
    );
    let missing = project.run(&["merge", "a.jsonl", "nowhere.jsonl"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("nowhere.jsonl"),
        "{}",
        missing.stderr
    );
}
