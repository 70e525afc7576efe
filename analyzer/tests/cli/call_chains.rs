//! Call chains in every format: when the second acquisition or the blocking wait happens in a
//! callee, each call made while the first guard is held is a secondary label (human), a span
//! (rustc-json), and a related location and a thread-flow step (SARIF).
use crate::Project;
use serde_json::Value;

fn project(name: &str) -> Project {
    let case =
        crate::workspace_root().join("analyzer/tests/cases/calls_made_while_a_guard_is_held.rs");
    Project::cargo(
        name,
        &std::fs::read_to_string(case).expect("the call-chain case"),
    )
}

#[test]
fn human_labels_each_call_made_while_the_guard_is_held() {
    let run = project("chains-human").run(&["--color", "never"]);
    assert_eq!(run.code, 1, "{run:?}");
    insta::assert_snapshot!(run.stdout);
}

/// `line:col label` of each span of each rustc-json message, primary spans marked `^`.
#[test]
fn rustc_json_spans_carry_the_calls() {
    let run = project("chains-rustc-json").run(&["--format", "rustc-json"]);
    let mut summary = String::new();
    for line in run.stdout.lines() {
        let message: Value = serde_json::from_str(line).expect("one JSON message per line");
        let Some(spans) = message["message"]["spans"].as_array() else {
            continue;
        };
        summary += &format!("{}\n", message["message"]["code"]["code"].as_str().unwrap());
        for span in spans {
            summary += &format!(
                "  {} {}:{} {}\n",
                if span["is_primary"] == true { '^' } else { '-' },
                span["line_start"],
                span["column_start"],
                span["label"].as_str().unwrap_or_default()
            );
        }
    }
    insta::assert_snapshot!(summary);
}

/// Per result, its related locations, then each thread flow with its steps
/// (`order kind nesting line:col message`).
#[test]
fn sarif_relates_the_calls_and_steps_through_them() {
    let run = project("chains-sarif").run(&["--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&run.stdout).expect("SARIF is JSON");
    let region = |location: &Value| {
        let region = &location["physicalLocation"]["region"];
        format!("{}:{}", region["startLine"], region["startColumn"])
    };
    let mut summary = String::new();
    for result in sarif["runs"][0]["results"].as_array().unwrap() {
        summary += &format!(
            "{} at {}\n",
            result["ruleId"].as_str().unwrap(),
            region(&result["locations"][0])
        );
        for related in result["relatedLocations"].as_array().unwrap() {
            summary += &format!(
                "  related {} {} {}\n",
                related["id"],
                region(related),
                related["message"]["text"].as_str().unwrap()
            );
        }
        for flow in result["codeFlows"][0]["threadFlows"].as_array().unwrap() {
            summary += &format!("  flow {}\n", flow["message"]["text"].as_str().unwrap());
            for step in flow["locations"].as_array().unwrap() {
                summary += &format!(
                    "    {} {} {} {} {}\n",
                    step["executionOrder"],
                    step["kinds"][0].as_str().unwrap(),
                    step["nestingLevel"],
                    region(&step["location"]),
                    step["location"]["message"]["text"].as_str().unwrap()
                );
            }
        }
    }
    insta::assert_snapshot!(summary);
}
