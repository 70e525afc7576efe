//! Every output format over the same findings: human (snapshot), json, sarif (the fields SARIF
//! 2.1.0 and GitHub code scanning require), rustc-json (parsed as cargo messages, as
//! rust-analyzer does) and GitHub annotations (escaping).
use crate::{Project, UNKNOWN_ALLOW};
use cargo_metadata::Message;
use serde_json::Value;

/// A project with one U001 warning at a known place: line 2, the `Z999` of the comment.
fn project(name: &str) -> Project {
    Project::cargo(
        name,
        &format!("fn main() {{\n    let x = 1; {UNKNOWN_ALLOW}\n    drop(x);\n}}\n"),
    )
}

#[test]
fn human_output_looks_like_rustc() {
    let project = project("human");
    let run = project.run(&["--color", "never"]);
    assert_eq!(run.code, 1);
    insta::assert_snapshot!(run.stdout);
}

#[test]
fn human_output_is_coloured_on_request_only() {
    let project = project("colour");
    assert!(project
        .run(&["--color", "always"])
        .stdout
        .contains("\u{1b}["));
    assert!(
        !project.run(&[]).stdout.contains("\u{1b}["),
        "auto: not a terminal"
    );
    let run = project
        .run_command(std::process::Command::new(crate::binary()).env("CARGO_TERM_COLOR", "always"));
    assert!(
        run.stdout.contains("\u{1b}["),
        "CARGO_TERM_COLOR is honoured"
    );
}

#[test]
fn quiet_prints_findings_only() {
    let project = project("quiet");
    let run = project.run(&["--quiet"]);
    assert!(run.stdout.contains("warning[U001]"));
    assert!(
        !run.stdout.contains("racecheck: 1 warning"),
        "no summary: {}",
        run.stdout
    );
}

#[test]
fn json_carries_every_field() {
    let project = project("json");
    let run = project.run(&["--format", "json"]);
    assert_eq!(run.code, 1);
    let document: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(document["version"], 1);
    let diagnostic = &document["diagnostics"][0];
    for field in [
        "code",
        "name",
        "severity",
        "message",
        "primary",
        "primary_label",
        "secondary",
        "notes",
        "help",
        "fingerprint",
    ] {
        assert!(
            diagnostic.get(field).is_some(),
            "missing {field}: {diagnostic}"
        );
    }
    assert_eq!(diagnostic["code"], "U001");
    assert_eq!(diagnostic["severity"], "warning");
    assert_eq!(diagnostic["primary"]["file"], "src/main.rs");
    assert_eq!(diagnostic["primary"]["line_start"], 2);
    let column = project
        .read("src/main.rs")
        .lines()
        .nth(1)
        .unwrap()
        .find("Z999")
        .unwrap()
        + 1;
    assert_eq!(diagnostic["primary"]["column_start"], column);
    assert_eq!(diagnostic["primary"]["column_end"], column + 4);
    assert_eq!(diagnostic["fingerprint"].as_str().unwrap().len(), 16);
    assert_eq!(document["errors"], Value::Array(vec![]));
    assert_eq!(document["summary"]["warnings"], 1);
    assert_eq!(document["summary"]["files"], 1);
}

#[test]
fn output_goes_to_the_named_file() {
    let project = project("output");
    let run = project.run(&["--format", "json", "--output", "report.json"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.is_empty());
    let document: Value = serde_json::from_str(&project.read("report.json")).unwrap();
    assert_eq!(document["diagnostics"][0]["code"], "U001");
}

fn text<'a>(value: &'a Value, pointer: &str) -> &'a str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| panic!("{pointer} must be a non-empty string in {value}"))
}

#[test]
fn sarif_has_the_fields_github_requires() {
    let project = project("sarif");
    let run = project.run(&["--format", "sarif"]);
    assert_eq!(run.code, 1);
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(text(&sarif, "/version"), "2.1.0");
    assert!(text(&sarif, "/$schema").ends_with("sarif-2.1.0.json"));
    let run0 = &sarif["runs"][0];
    assert_eq!(text(run0, "/tool/driver/name"), "racecheck");
    assert_eq!(
        text(run0, "/tool/driver/semanticVersion"),
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(text(run0, "/columnKind"), "unicodeCodePoints");
    assert!(text(run0, "/tool/driver/informationUri").starts_with("https://docs.rs/"));
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    for rule in rules {
        for pointer in [
            "/id",
            "/name",
            "/shortDescription/text",
            "/fullDescription/text",
            "/help/text",
            "/help/markdown",
        ] {
            text(rule, pointer);
        }
        assert!(text(rule, "/fullDescription/text").chars().count() <= 1024);
        let help = text(rule, "/help/text");
        assert!(
            !help.contains("```") && !help.contains("## "),
            "plain text: {help}"
        );
        let code = text(rule, "/id").to_ascii_lowercase();
        assert!(
            text(rule, "/helpUri").starts_with("https://docs.rs/racecheck-analyzer/")
                && text(rule, "/helpUri").contains(&format!("/rules/{code}_")),
            "{rule}"
        );
        assert!(["note", "warning", "error"].contains(&text(rule, "/defaultConfiguration/level")));
    }
    let results = run0["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    let result = &results[0];
    let index = result["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], result["ruleId"]);
    assert_eq!(text(result, "/ruleId"), "U001");
    assert_eq!(text(result, "/level"), "warning");
    text(result, "/message/text");
    let location = &result["locations"][0]["physicalLocation"];
    assert_eq!(text(location, "/artifactLocation/uri"), "src/main.rs");
    assert_eq!(text(location, "/artifactLocation/uriBaseId"), "%SRCROOT%");
    let region = &location["region"];
    assert_eq!(region["startLine"], 2);
    assert_eq!(
        region["endColumn"].as_u64().unwrap(),
        region["startColumn"].as_u64().unwrap() + 4,
        "end exclusive"
    );
    assert_eq!(text(result, "/partialFingerprints/racecheck~1v1").len(), 16);
    assert!(result["partialFingerprints"]
        .get("primaryLocationLineHash")
        .is_none());
    let root = text(run0, "/originalUriBaseIds/%SRCROOT%/uri");
    assert!(
        root.starts_with("file:///") && root.ends_with('/'),
        "{root}"
    );
    assert_eq!(run0["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn rustc_json_lines_parse_as_cargo_messages() {
    let project = project("rustc-json");
    for args in [
        &["--format", "rustc-json"][..],
        &[
            "--message-format=json",
            "--workspace",
            "--all-targets",
            "--keep-going",
        ],
    ] {
        let run = project.run(args);
        assert_eq!(run.code, 1, "{run:?}");
        let messages: Vec<Message> = Message::parse_stream(run.stdout.as_bytes())
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(messages.len(), 2, "{}", run.stdout);
        let Message::CompilerMessage(message) = &messages[0] else {
            panic!("a compiler-message first: {:?}", messages[0]);
        };
        assert_eq!(message.target.name, "demo");
        assert!(message.package_id.repr.contains("demo"));
        let diagnostic = &message.message;
        assert_eq!(diagnostic.code.as_ref().unwrap().code, "racecheck::U001");
        assert_eq!(
            diagnostic.level,
            cargo_metadata::diagnostic::DiagnosticLevel::Warning
        );
        let span = &diagnostic.spans[0];
        assert!(span.is_primary);
        assert_eq!(span.file_name, "src/main.rs");
        assert_eq!(
            span.text[0].text,
            project.read("src/main.rs").lines().nth(1).unwrap()
        );
        assert_eq!(span.text[0].highlight_start, span.column_start);
        assert_eq!(span.text[0].highlight_end, span.column_end);
        assert!(diagnostic
            .children
            .iter()
            .any(|c| c.level == cargo_metadata::diagnostic::DiagnosticLevel::Help));
        assert!(diagnostic
            .rendered
            .as_ref()
            .unwrap()
            .starts_with("warning[U001]"));
        assert!(matches!(messages[1], Message::BuildFinished(ref f) if !f.success));
    }
}

#[test]
fn rustc_json_renders_ansi_when_asked() {
    let project = project("rustc-json-ansi");
    let run = project.run(&["--message-format", "json-diagnostic-rendered-ansi"]);
    let first: Value = serde_json::from_str(run.stdout.lines().next().unwrap()).unwrap();
    assert!(text(&first, "/message/rendered").contains("\u{1b}["));
}

#[test]
fn rustc_json_outside_a_workspace_prints_bare_diagnostics() {
    let project = Project::empty("rustc-json-bare");
    project.write("a.rs", format!("fn a() {{}} {UNKNOWN_ALLOW}\n"));
    let run = project.run(&["a.rs", "--format", "rustc-json"]);
    let lines: Vec<Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["$message_type"], "diagnostic");
    assert_eq!(lines[0]["code"]["code"], "racecheck::U001");
    assert_eq!(
        lines[1],
        serde_json::json!({"reason": "build-finished", "success": false})
    );
}

#[test]
fn github_annotations_are_escaped() {
    let project = Project::empty("github");
    project.write(
        "odd, name: 100%/a.rs",
        format!("fn a() {{}} {UNKNOWN_ALLOW}\n"),
    );
    let run = project.run(&["--format", "github", "."]);
    assert_eq!(run.code, 1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{}", run.stdout);
    let column = "fn a() {} // racecheck: allow(".chars().count() + 1;
    let expected = format!(
        "::warning file=odd%2C name%3A 100%25/a.rs,line=1,endLine=1,col={column},endColumn={},title=U001 unused-allow::\
         unknown rule code `Z999` in allow comment%0Ahelp: known codes: ",
        column + 4
    );
    assert!(lines[0].starts_with(&expected), "{}\n{expected}", lines[0]);
}

#[test]
fn paths_are_relative_to_the_repository_when_the_crate_is_in_a_subfolder() {
    let repository = Project::empty("repo-subfolder");
    std::fs::create_dir_all(repository.path(".git")).unwrap();
    repository.write(
        "crates/demo/Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    );
    repository.write(
        "crates/demo/src/main.rs",
        format!("fn main() {{\n    let x = 1; {UNKNOWN_ALLOW}\n    drop(x);\n}}\n"),
    );
    let in_crate = |format: &str| {
        repository.run_command(
            std::process::Command::new(crate::binary())
                .current_dir(repository.path("crates/demo"))
                .args(["--format", format]),
        )
    };
    let sarif: Value = serde_json::from_str(&in_crate("sarif").stdout).unwrap();
    let run0 = &sarif["runs"][0];
    let location = &run0["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(
        text(location, "/artifactLocation/uri"),
        "crates/demo/src/main.rs"
    );
    let root = text(run0, "/originalUriBaseIds/%SRCROOT%/uri");
    assert!(root.ends_with("repo-subfolder/"), "{root}");
    let github = in_crate("github");
    assert!(
        github
            .stdout
            .starts_with("::warning file=crates/demo/src/main.rs,"),
        "{}",
        github.stdout
    );
    // The human output still names files relative to the workspace.
    assert!(in_crate("human").stdout.contains("--> src/main.rs:2:"));
}

#[test]
fn sarif_code_flows_follow_a_lock_cycle() {
    let project = Project::cargo(
        "sarif-d001",
        &std::fs::read_to_string(crate::fixtures_dir().join("d001_three_way.rs")).unwrap(),
    );
    let run = project.run(&["--format", "sarif", "--select", "D001"]);
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "D001");
    let related = result["relatedLocations"].as_array().unwrap();
    assert_eq!(
        related.len(),
        5,
        "each edge's two acquisitions, but the primary span"
    );
    for (i, location) in related.iter().enumerate() {
        assert_eq!(location["id"], i + 1);
        assert!(
            text(result, "/message/text").contains(&format!("]({})", i + 1)),
            "linked from the message"
        );
    }
    let flows = result["codeFlows"][0]["threadFlows"].as_array().unwrap();
    assert_eq!(
        flows.len(),
        3,
        "one thread flow per edge of the three-way cycle"
    );
    let orders: Vec<u64> = flows
        .iter()
        .flat_map(|f| f["locations"].as_array().unwrap())
        .map(|l| l["executionOrder"].as_u64().unwrap())
        .collect();
    assert_eq!(orders, [1, 2, 3, 4, 5, 6], "unique across the code flow");
    let threads: Vec<&str> = flows.iter().map(|f| text(f, "/message/text")).collect();
    for thread in ["receive", "transform", "persist"] {
        assert!(
            threads.iter().any(|t| t.contains(&format!("`{thread}`"))),
            "{threads:?}"
        );
    }
}

#[test]
fn sarif_of_every_fixture_follows_the_sarif_schema() {
    let run = crate::run(
        std::process::Command::new(crate::binary())
            .current_dir(crate::workspace_root())
            .args(["fixtures/src/bin", "--format", "sarif"]),
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let log: Value = serde_json::from_str(&run.stdout).unwrap();
    assert!(log["runs"][0]["results"]
        .as_array()
        .is_some_and(|results| results.iter().any(|r| r.get("codeFlows").is_some())));
    let violations = crate::sarif_schema::violations(&log);
    assert!(violations.is_empty(), "{}", violations.join("\n"));
    // The check has teeth: a log without its runs, or with a misspelt field, breaks it.
    assert!(!crate::sarif_schema::violations(&serde_json::json!({"version": "2.1.0"})).is_empty());
    let mut misspelt = log.clone();
    misspelt["runs"][0]["results"][0]["ruleID"] = "D001".into();
    assert!(!crate::sarif_schema::violations(&misspelt).is_empty());
}
