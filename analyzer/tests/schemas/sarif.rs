//! Checking a SARIF log against the SARIF 2.1.0 schema (OASIS, rtm.5), kept beside this file:
//! shared by the analyzer's CLI tests (`check --format sarif`) and the end-to-end suites
//! (`confirm --format sarif`).
use serde_json::Value;

const SCHEMA: &str = include_str!("sarif-2.1.0-rtm.5.json");

/// Every way `log` breaks the schema, one line each: where, and what.
pub fn violations(log: &Value) -> Vec<String> {
    // The schema's `run.language` pattern ends in a stray `]` (`…-[a-zA-Z]{2}]?$`), a literal
    // bracket to ECMA-262 that strict regex checkers refuse to compile; escaped, it means the
    // same.
    let text = SCHEMA.replace("[a-zA-Z]{2}]?$", "[a-zA-Z]{2}\\\\]?$");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    validator
        .iter_errors(log)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}
