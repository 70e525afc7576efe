//! What the tests that run the CLI over whole packages share.
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// The diagnostics of `cargo racecheck check --format json` run inside the package at `dir`, as a
/// user runs it (no path, the default rules); the run must report no input error.
pub fn check_in(dir: &Path) -> Vec<Value> {
    let output = Command::new(env!("CARGO_BIN_EXE_cargo-racecheck"))
        .args(["racecheck", "check", "--format", "json"])
        .current_dir(dir)
        .env_remove("RUSTFLAGS")
        .output()
        .expect("the CLI runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut document: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: {stdout}\n{}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(document["errors"], Value::Array(Vec::new()), "{stdout}");
    match document["diagnostics"].take() {
        Value::Array(diagnostics) => diagnostics,
        other => panic!("no diagnostics array: {other}"),
    }
}

/// `(file, line)` where a span of the JSON report starts.
pub fn at(span: &Value) -> (String, usize) {
    (
        span["file"].as_str().expect("a file").to_owned(),
        span["line_start"].as_u64().expect("a line") as usize,
    )
}
