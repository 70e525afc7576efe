//! The language server's latency for an edit: the time from a `didChange` to the
//! `publishDiagnostics` of the edited file, over pipes to the real binary, as an editor sees it.
//!
//! The workspace is the fixture corpus (`fixtures/src/bin`, one crate per file, and the
//! multi-module application crates of `fixtures/apps`), copied to a temporary folder outside
//! any cargo workspace, so the repository's own configuration (which excludes the fixtures from
//! its self-check) does not apply. Each edit changes the text (a comment line with a counter), so every one is analyzed.
//!
//! `cargo bench -p racecheck-analyzer --bench lsp_latency` (`BENCH_EDITS`, default 40 per file).
#[path = "../tests/cli/lsp_client.rs"]
mod lsp_client;

use lsp_client::Client;
use serde_json::{json, Value};
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The files edited: a one-file crate, and a module deep inside an application crate.
const EDITED: &[&str] = &["d001_abba.rs", "orderbook/src/ledger/transfer.rs"];

fn main() {
    let repository = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let edits: usize = std::env::var("BENCH_EDITS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    // Outside any cargo workspace (under this one, `cargo metadata` would answer for it instead).
    let root = std::env::temp_dir().join(format!("racecheck-lsp-latency-{}", std::process::id()));
    let _ = fs::remove_dir_all(&root);
    copy_rs_tree(&repository.join("fixtures/src/bin"), &root);
    for app in ["orderbook", "shardcache", "connpool", "logpipe"] {
        copy_rs_tree(
            &repository.join("fixtures/apps").join(app).join("src"),
            &root.join(app).join("src"),
        );
    }
    let files = count_rs(&root);

    let mut client = Client::start(env!("CARGO_BIN_EXE_cargo-racecheck"), &root);
    let started = Instant::now();
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri(&root), "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    // The first analysis of the workspace publishes the fixture's finding.
    client.diagnostics_of(&uri(&root.join(EDITED[0])));
    println!(
        "workspace: {files} files; initialize to first diagnostics: {:.0} ms",
        started.elapsed().as_secs_f64() * 1e3
    );

    println!("| edited file | edits | median | p95 | max |");
    println!("| --- | --- | --- | --- | --- |");
    for edited in EDITED {
        let path = root.join(edited);
        let file_uri = uri(&path);
        let text = fs::read_to_string(&path).expect("read the edited file");
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": file_uri, "languageId": "rust", "version": 0, "text": text}}),
        );
        // Opening a file with the text it had changes nothing: no analysis, no publication.
        let mut latencies: Vec<Duration> = (1..=edits)
            .map(|version| {
                let edited_text = format!("{text}\n// edit {version}\n");
                let sent = Instant::now();
                client.notify(
                    "textDocument/didChange",
                    json!({"textDocument": {"uri": file_uri, "version": version}, "contentChanges": [{"text": edited_text}]}),
                );
                client.diagnostics_of(&file_uri);
                sent.elapsed()
            })
            .collect();
        latencies.sort();
        let at = |q: f64| latencies[((latencies.len() - 1) as f64 * q).round() as usize];
        println!(
            "| `{edited}` | {edits} | {:.1} ms | {:.1} ms | {:.1} ms |",
            ms(at(0.5)),
            ms(at(0.95)),
            ms(at(1.0))
        );
    }
    let shutdown: Value = client.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null);
    client.notify("exit", Value::Null);
    let _ = client.server.wait();
    let _ = fs::remove_dir_all(&root);
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// Copies the `.rs` files of a folder tree.
fn copy_rs_tree(from: &Path, to: &Path) {
    let entries = fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    for entry in entries {
        let path = entry.expect("a folder entry").path();
        let target: PathBuf = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_rs_tree(&path, &target);
        } else if path.extension().is_some_and(|e| e == "rs") {
            fs::create_dir_all(to).expect("create the copy's folder");
            fs::copy(&path, &target).expect("copy a fixture");
        }
    }
}

fn count_rs(dir: &Path) -> usize {
    fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .map(|p| match p.is_dir() {
                    true => count_rs(&p),
                    false => usize::from(p.extension().is_some_and(|e| e == "rs")),
                })
                .sum()
        })
        .unwrap_or(0)
}
