//! `cargo racecheck confirm` and `replay` on the fixture corpus, through the analyzer's library
//! entry point (`racecheck_analyzer::driver::run`, in this process; confirm builds the fixture
//! binaries through cargo itself).
//!
//! One confirm run over every fixture, few schedules per program, two programs at a time, its
//! JSON report shared by the tests:
//! - agreement: every static finding of a fixture whose bug shows at run time (`//! dynamic:`
//!   other than `clean`) is confirmed, unless its rule has no runtime twin (the product's join
//!   says which and why) or it is listed in [`EXCUSED`] with the reason; an excuse that matches
//!   nothing unconfirmed is a failure, so the list stays true;
//! - no clean fixture gets a confirmed finding or a runtime-only one;
//! - every witness replays as printed: its replay command, run as given, shows a finding, with
//!   a trace shared by several findings printed once;
//! - witnesses number their events strictly increasing and point only at the user's code (a
//!   pool worker's take, a permit's release), in JSON, in the human report and in SARIF;
//! - one interleaving that confirms two findings is drawn once in the human report;
//! - the SARIF of a smaller run carries the confirmation and the runtime witness as code flows,
//!   and follows the SARIF 2.1.0 schema;
//! - `confirm --partition k/N --shard-report` shares merge (`cargo racecheck merge`) into the
//!   exploration one unsharded run makes.
#[path = "../fixtures/tests/corpus/mod.rs"]
mod corpus;
#[path = "../analyzer/tests/schemas/sarif.rs"]
mod sarif_schema;

use corpus::{Dynamic, Fixture};
use racecheck::explore::harness::{read_report, RunLine};
use racecheck_analyzer::driver::{run, Outcome};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Schedules per program and strategy: every fixture bug shows well within them.
const SCHEDULES: &str = "200";

/// Static findings whose twin exists but that this corpus cannot show: (fixture, code, why).
/// None today; an excuse must match an unconfirmed finding, so the list stays true.
const EXCUSED: &[(&str, &str, &str)] = &[];

/// The workspace's manifest: this package sits in the workspace root.
fn workspace_manifest() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the package sits in the workspace root")
        .join("Cargo.toml")
}

/// Runs the CLI in this process with `args` after the program name.
fn cli(args: &[&str]) -> Outcome {
    run(std::iter::once("cargo-racecheck")
        .chain(args.iter().copied())
        .map(Into::into))
}

/// The folder every run starts in: the workspace configuration excludes the fixtures from
/// `cargo racecheck`'s own gate, so the runs use a `racecheck.toml` of their own, found first from
/// the working directory, that selects every rule (the fixtures mark the findings of the rules
/// that are off by default too). Every test of this binary runs from it.
fn enter_scratch() -> &'static Path {
    static SCRATCH: OnceLock<PathBuf> = OnceLock::new();
    SCRATCH.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("confirm-fixtures");
        std::fs::create_dir_all(&dir).expect("creating the scratch folder");
        let codes: Vec<String> = racecheck_analyzer::rules::all()
            .iter()
            .map(|r| format!("{:?}", r.code))
            .collect();
        std::fs::write(
            dir.join("racecheck.toml"),
            format!("select = [{}]\n", codes.join(", ")),
        )
        .expect("writing racecheck.toml");
        std::env::set_current_dir(&dir).expect("entering the scratch folder");
        dir
    })
}

/// `confirm` on the fixtures with `extra` arguments, its report written as `format` to `name`.
fn confirm(name: &str, format: &str, extra: &[&str]) -> (Outcome, String) {
    let dir = enter_scratch();
    let output = dir.join(name);
    let manifest = workspace_manifest();
    let mut args = vec![
        "confirm",
        "--manifest-path",
        manifest.to_str().expect("a UTF-8 path"),
        "-p",
        "racecheck-fixtures",
        "--schedules",
        SCHEDULES,
        "--jobs",
        "2",
        "--format",
        format,
        "--output",
        output.to_str().expect("a UTF-8 path"),
    ];
    args.extend_from_slice(extra);
    let outcome = cli(&args);
    let text = std::fs::read_to_string(&output).unwrap_or_default();
    (outcome, text)
}

/// The JSON report of one confirm run over every fixture.
fn fixtures_confirmed() -> &'static (Outcome, Value) {
    static REPORT: OnceLock<(Outcome, Value)> = OnceLock::new();
    REPORT.get_or_init(|| {
        let (outcome, text) = confirm("fixtures.json", "json", &[]);
        let document = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("confirm's JSON report does not parse ({e}):\n{text}"));
        (outcome, document)
    })
}

/// The fixture a finding's file is: `fixtures/src/bin/<name>.rs`.
fn fixture_of(file: &str) -> Option<&str> {
    Path::new(file).file_stem()?.to_str()
}

fn fixtures() -> Vec<Fixture> {
    corpus::load()
}

fn array<'a>(value: &'a Value, key: &str) -> &'a [Value] {
    value[key]
        .as_array()
        .unwrap_or_else(|| panic!("`{key}` is not an array in {value}"))
}

#[test]
fn every_finding_whose_bug_shows_at_run_time_is_confirmed() {
    let (outcome, document) = fixtures_confirmed();
    assert_eq!(
        *outcome,
        Outcome::Findings,
        "confirmed findings fail the run"
    );
    let fixtures = fixtures();
    let runtime_visible = |name: &str| {
        fixtures
            .iter()
            .any(|f| f.name == name && matches!(f.dynamic(), Some(d) if d != Dynamic::Clean))
    };
    let mut mismatches = Vec::new();
    let mut excuses_used = Vec::new();
    let mut confirmed = 0;
    for diagnostic in array(document, "diagnostics") {
        let file = diagnostic["primary"]["file"].as_str().unwrap_or_default();
        let Some(fixture) = fixture_of(file).filter(|name| runtime_visible(name)) else {
            continue;
        };
        let code = diagnostic["code"].as_str().unwrap_or_default();
        let confirmation = &diagnostic["confirmation"];
        if confirmation["status"] == "confirmed" {
            confirmed += 1;
            continue;
        }
        if confirmation.get("no_runtime_twin").is_some() {
            continue;
        }
        match EXCUSED
            .iter()
            .find(|&&(name, excused, _)| name == fixture && excused == code)
        {
            Some(excuse) => excuses_used.push(excuse),
            None => mismatches.push(format!(
                "{fixture}: {code} at line {} is {}",
                diagnostic["primary"]["line_start"], confirmation
            )),
        }
    }
    for excuse in EXCUSED {
        if !excuses_used.contains(&excuse) {
            mismatches.push(format!(
                "{}: the excuse for {} matches no unconfirmed finding: remove it",
                excuse.0, excuse.1
            ));
        }
    }
    println!("{confirmed} fixture findings confirmed");
    assert!(confirmed > 0, "nothing was confirmed");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn no_clean_fixture_gets_a_confirmed_or_runtime_only_finding() {
    let (_, document) = fixtures_confirmed();
    let clean: Vec<String> = fixtures()
        .into_iter()
        .filter(|f| f.dynamic() == Some(Dynamic::Clean))
        .map(|f| f.name)
        .collect();
    assert!(!clean.is_empty());
    let is_clean =
        |file: &str| fixture_of(file).is_some_and(|name| clean.iter().any(|c| c == name));
    let confirmed_in_clean: Vec<&Value> = array(document, "diagnostics")
        .iter()
        .filter(|d| d["confirmation"]["status"] == "confirmed")
        .filter(|d| is_clean(d["primary"]["file"].as_str().unwrap_or_default()))
        .collect();
    assert!(confirmed_in_clean.is_empty(), "{confirmed_in_clean:#?}");
    let runtime_only_in_clean: Vec<&Value> = array(document, "runtime_only")
        .iter()
        .filter(|miss| {
            let program = miss["program"].as_str().unwrap_or_default();
            clean.iter().any(|c| c == program)
        })
        .collect();
    assert!(
        runtime_only_in_clean.is_empty(),
        "{runtime_only_in_clean:#?}"
    );
    assert_eq!(
        array(document, "problems"),
        &[] as &[Value],
        "every program explored"
    );
}

#[test]
fn every_witness_replays_as_printed() {
    let (_, document) = fixtures_confirmed();
    let dir = enter_scratch();
    let mut failures = Vec::new();
    let mut replayed = 0;
    for (index, witness) in confirmations(document).enumerate() {
        let command = witness["replay_command"]
            .as_str()
            .expect("a replay command");
        let Some(args) = command.strip_prefix("cargo racecheck ") else {
            panic!("not a cargo racecheck command: {command}");
        };
        let output = dir.join(format!("replay-{index}.txt"));
        let mut args: Vec<&str> = args.split(' ').collect();
        args.extend(["--output", output.to_str().expect("a UTF-8 path")]);
        let outcome = cli(&args);
        let trace = std::fs::read_to_string(&output).unwrap_or_default();
        let kind = witness["witness"]["kind"].as_str().unwrap_or_default();
        let message = witness["witness"]["message"].as_str().unwrap_or_default();
        if outcome != Outcome::Findings || !without_ports(&trace).contains(&without_ports(message))
        {
            failures.push(format!(
                "`{command}` ({kind}) gave {outcome:?}, not the witness:\n{trace}"
            ));
        }
        let blocks = trace_blocks(&trace);
        for (index, block) in blocks.iter().enumerate() {
            if !strictly_increasing(&block.iter().map(|row| row.0).collect::<Vec<_>>()) {
                failures.push(format!(
                    "`{command}`: trace not numbered in order:\n{trace}"
                ));
            }
            if blocks[..index].contains(block) {
                failures.push(format!("`{command}`: one trace printed twice:\n{trace}"));
            }
        }
        replayed += 1;
    }
    assert!(replayed > 0, "no witness to replay");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `text` with every loopback port written as `PORT`: a program that serves on port 0 gets
/// another port from the system on each run, and its messages name it.
fn without_ports(text: &str) -> String {
    const LOOPBACK: &str = "127.0.0.1:";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(LOOPBACK) {
        let (before, after) = rest.split_at(at + LOOPBACK.len());
        out.push_str(before);
        let digits = after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        out.push_str(if digits > 0 { "PORT" } else { "" });
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

#[test]
fn ports_are_masked_but_nothing_else() {
    assert_eq!(
        without_ports("at tcp:127.0.0.1:41234: refused; 127.0.0.1:x"),
        "at tcp:127.0.0.1:PORT: refused; 127.0.0.1:x"
    );
}

/// The printed traces of a witness text: per `trace (schedule N):` block, its rows as (number,
/// rest of the row).
fn trace_blocks(text: &str) -> Vec<Vec<(usize, String)>> {
    let mut blocks = Vec::new();
    let mut lines = text.lines();
    while lines.any(|line| line.starts_with("trace (schedule ")) {
        let rows = lines
            .by_ref()
            .skip(1)
            .take_while(|line| !line.starts_with("replay:"))
            .filter_map(|row| {
                let (number, rest) = row.trim_start().split_once("  ")?;
                Some((number.parse().ok()?, rest.to_owned()))
            })
            .collect();
        blocks.push(rows);
    }
    blocks
}

fn strictly_increasing(numbers: &[usize]) -> bool {
    numbers.windows(2).all(|pair| pair[0] < pair[1])
}

/// Every witness of a confirm report with its replay command: the confirming ones and the
/// runtime-only ones.
fn confirmations(document: &Value) -> impl Iterator<Item = &Value> {
    array(document, "diagnostics")
        .iter()
        .map(|d| &d["confirmation"])
        .filter(|c| c["status"] == "confirmed")
        .chain(array(document, "runtime_only"))
}

fn witnesses(document: &Value) -> impl Iterator<Item = &Value> {
    confirmations(document).map(|confirmation| &confirmation["witness"])
}

#[test]
fn witnesses_number_their_events_in_order_and_point_only_at_the_users_code() {
    let (_, document) = fixtures_confirmed();
    let mut checked = 0;
    for witness in witnesses(document) {
        let trace = array(witness, "trace");
        let indices: Vec<usize> = trace
            .iter()
            .map(|event| event["index"].as_u64().expect("an index") as usize)
            .collect();
        assert!(strictly_increasing(&indices), "{witness:#}");
        let inside_racecheck: Vec<&Value> = trace
            .iter()
            .filter(|event| {
                let file = event["location"]["file"].as_str().unwrap_or_default();
                !file.contains("fixtures/src/bin/")
            })
            .collect();
        assert!(
            inside_racecheck.is_empty(),
            "events reported away from the program's source: {inside_racecheck:#?}"
        );
        checked += trace.len();
    }
    assert!(checked > 0);
    // A pool worker takes each task at the call that submitted it, never at `Pool::new`.
    let pool_takes = witnesses(document)
        .flat_map(|witness| array(witness, "trace"))
        .filter(|event| {
            event["thread"]
                .as_str()
                .is_some_and(|t| t.starts_with("PoolWorker-"))
                && event["operation"]
                    .as_str()
                    .is_some_and(|op| op.starts_with("get ") && !op.ends_with("(empty, blocks)"))
        })
        .count();
    assert!(pool_takes > 0, "no pool worker's take in any witness");
}

#[test]
fn one_interleaving_confirming_two_findings_is_drawn_once() {
    // seed_event_worker: a worker wipes main's signal (R004) and polls forever, so main's
    // `q.join()` never returns (D004): one livelock confirms both.
    let (outcome, text) = confirm(
        "seed_event_worker.txt",
        "human",
        &["--bin", "seed_event_worker", "--color", "never"],
    );
    assert_eq!(outcome, Outcome::Findings, "{text}");
    assert_eq!(
        text.matches("= note: confirmed: deadlock").count(),
        2,
        "{text}"
    );
    assert_eq!(text.matches("note: witness: deadlock").count(), 2, "{text}");
    assert_eq!(
        text.matches("the interleaving drawn above").count(),
        1,
        "{text}"
    );
    assert_eq!(text.matches("= threads: ").count(), 1, "{text}");
    let labels: Vec<usize> = text
        .split('#')
        .skip(1)
        .filter_map(|rest| rest.split_once(": ")?.0.parse().ok())
        .collect();
    assert!(!labels.is_empty(), "{text}");
}

/// The SARIF report of confirm on two fixtures.
fn sarif_confirmed() -> &'static (Outcome, String) {
    static LOG: OnceLock<(Outcome, String)> = OnceLock::new();
    LOG.get_or_init(|| {
        confirm(
            "some.sarif",
            "sarif",
            &["--bin", "d001_abba", "--bin", "l001_result_lost"],
        )
    })
}

#[test]
fn confirms_sarif_follows_the_sarif_schema() {
    let (_, text) = sarif_confirmed();
    let log: Value = serde_json::from_str(text).expect("SARIF is JSON");
    let violations = sarif_schema::violations(&log);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
}

#[test]
fn sarif_carries_the_confirmation_and_the_runtime_witness() {
    let (outcome, text) = sarif_confirmed();
    assert_eq!(*outcome, Outcome::Findings);
    let log: Value = serde_json::from_str(text).expect("SARIF is JSON");
    assert_eq!(log["version"], "2.1.0");
    let results = array(&log["runs"][0], "results");
    let status = |result: &Value| result["properties"]["confirmation"]["status"].clone();

    let d001 = results
        .iter()
        .find(|r| r["ruleId"] == "D001")
        .expect("a D001 result");
    assert_eq!(status(d001), "confirmed");
    let confirmation = &d001["properties"]["confirmation"];
    assert!(confirmation["replayToken"]
        .as_str()
        .is_some_and(|t| t.starts_with("rc1:")));
    assert!(confirmation["schedules"].as_u64().is_some_and(|n| n >= 1));
    let flows = array(d001, "codeFlows");
    assert_eq!(flows.len(), 1, "only the runtime witness");
    assert_eq!(flows[0]["properties"]["source"], "runtime-witness");
    let thread_flows = array(&flows[0], "threadFlows");
    assert!(thread_flows.len() >= 2, "one thread flow per thread");
    let mut orders: Vec<u64> = Vec::new();
    for thread_flow in thread_flows {
        assert!(thread_flow["id"].is_string());
        let thread_orders: Vec<usize> = array(thread_flow, "locations")
            .iter()
            .map(|l| l["executionOrder"].as_u64().expect("an order") as usize)
            .collect();
        assert!(strictly_increasing(&thread_orders), "{thread_flow:#}");
        for location in array(thread_flow, "locations") {
            orders.push(location["executionOrder"].as_u64().expect("an order"));
            assert!(location["location"]["physicalLocation"]["region"]["startLine"].is_u64());
            if let Some(kinds) = location.get("kinds") {
                assert!(kinds
                    .as_array()
                    .is_some_and(|k| k.iter().all(Value::is_string)));
            }
        }
    }
    let count = orders.len();
    orders.sort_unstable();
    orders.dedup();
    assert_eq!(
        orders.len(),
        count,
        "each step has its own place in the global order"
    );
    assert!(thread_flows
        .iter()
        .flat_map(|t| array(t, "locations"))
        .any(|l| l["kinds"][0] == "acquire"));

    let l001 = results
        .iter()
        .find(|r| r["ruleId"] == "L001")
        .expect("an L001 result");
    assert_eq!(status(l001), "not-reproduced");
    let miss = results
        .iter()
        .find(|r| r["ruleId"] == "runtime/data-race")
        .expect("the data race no static finding explains");
    assert_eq!(status(miss), "runtime-only");
}

#[test]
fn deny_all_fails_on_unconfirmed_findings_and_deny_confirmed_does_not() {
    // d002_drop_clean is clean at run time and statically.
    let (outcome, _) = confirm("clean.json", "json", &["--bin", "d002_drop_clean"]);
    assert_eq!(outcome, Outcome::Clean);
    // seed_hello_thread has one L001 (no runtime twin) and no runtime finding.
    let (outcome, text) = confirm("l001.json", "json", &["--bin", "seed_hello_thread"]);
    assert_eq!(outcome, Outcome::Clean, "{text}");
    let (outcome, _) = confirm(
        "l001-all.json",
        "json",
        &["--bin", "seed_hello_thread", "--deny", "all"],
    );
    assert_eq!(outcome, Outcome::Findings);
}

#[test]
fn confirm_shares_merge_into_the_unsharded_exploration() {
    let dir = enter_scratch();
    let report = |name: &str| dir.join(name).to_str().expect("a UTF-8 path").to_owned();
    let mut shares = Vec::new();
    for (shard, file) in [("1/2", "share-1.jsonl"), ("2/2", "share-2.jsonl")] {
        let path = report(file);
        let extra = [
            "--bin",
            "d001_abba",
            "--partition",
            shard,
            "--shard-report",
            &path,
        ];
        confirm(&format!("{file}.json"), "json", &extra);
        shares.push(path);
    }
    let merged = report("merged.jsonl");
    let mut args = vec!["merge", "--format", "json", "-o", &merged];
    args.extend(shares.iter().map(String::as_str));
    assert_eq!(cli(&args), Outcome::Findings);
    let (findings, runs) = read_report(Path::new(&merged)).expect("merge writes a report");
    assert!(
        findings
            .iter()
            .any(|line| line.finding.kind == racecheck::FindingKind::Deadlock),
        "{findings:#?}"
    );
    // Shares run the default exploration too; the targeted one is as one unsharded run's.
    let strategies: Vec<&str> = runs.iter().map(|line| line.run.strategy.as_str()).collect();
    assert_eq!(strategies.len(), 2, "{strategies:?}");
    let whole = report("whole.jsonl");
    confirm(
        "whole.json",
        "json",
        &["--bin", "d001_abba", "--shard-report", &whole],
    );
    let (_, whole_runs) = read_report(Path::new(&whole)).expect("confirm writes a report");
    let targeted = |runs: &[RunLine]| {
        runs.iter()
            .find(|line| line.run.strategy.starts_with("targeted:"))
            .map(|line| line.run.clone())
            .expect("a targeted run")
    };
    assert_eq!(targeted(&runs), targeted(&whole_runs));
}
