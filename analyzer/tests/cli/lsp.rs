//! `cargo racecheck lsp` spoken to over pipes, as an editor does: initialize, the diagnostics of
//! the workspace, didOpen/didChange with unsaved text, a quick fix, a hover, bad messages, and
//! shutdown/exit.
use super::lsp_client::Client;
use super::{binary, Project};
use serde_json::{json, Value};
use std::process::{Command, Stdio};

const ABBA: &str = "use racecheck::{Lock, Thread};

static A: Lock<u32> = Lock::new(0);
static B: Lock<u32> = Lock::new(0);

fn main() {
    let t = Thread::spawn(|| {
        let _b = B.acquire();
        let _a = A.acquire();
    });
    let _a = A.acquire();
    let _b = B.acquire();
    drop(_b);
    drop(_a);
    t.join().unwrap();
}
";

fn uri_of(project: &Project, relative: &str) -> String {
    format!("file://{}", project.path(relative).display())
}

#[test]
fn an_editor_session_over_pipes() {
    let project = Project::cargo("lsp-session", ABBA);
    project.write("src/clean.rs", "");
    let main_uri = uri_of(&project, "src/main.rs");
    let mut client = Client::start(binary(), project.root());

    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": format!("file://{}", project.root().display()), "capabilities": {}}),
    );
    let capabilities = &init["result"]["capabilities"];
    assert_eq!(capabilities["positionEncoding"], "utf-16");
    assert_eq!(capabilities["hoverProvider"], true);
    client.notify("initialized", json!({}));

    // On start: the workspace's finding, with everything an editor shows.
    let diagnostics = client.diagnostics_of(&main_uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let d001 = &diagnostics[0];
    assert_eq!(d001["code"], "D001");
    assert_eq!(d001["source"], "racecheck");
    assert_eq!(d001["severity"], 1);
    let href = d001["codeDescription"]["href"].as_str().unwrap();
    assert!(
        href.contains("d001_lock_order_inversion/constant.LOCK_ORDER_INVERSION.html"),
        "{href}"
    );
    let related = d001["relatedInformation"].as_array().unwrap();
    assert!(
        related.len() >= 2,
        "every secondary span is related information: {related:#?}"
    );
    assert!(related.iter().all(|r| r["location"]["uri"] == main_uri));

    // An unsaved buffer without the inversion: the finding goes away.
    let fixed = ABBA.replace(
        "        let _b = B.acquire();\n        let _a = A.acquire();",
        "        let _a = A.acquire();\n        let _b = B.acquire();",
    );
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main_uri, "languageId": "rust", "version": 1, "text": fixed}}),
    );
    assert_eq!(client.diagnostics_of(&main_uri), Vec::<Value>::new());
    // And back, through a change (the disk still has the fixed text's opposite: it is not read).
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main_uri, "version": 2}, "contentChanges": [{"text": ABBA}]}),
    );
    let diagnostics = client.diagnostics_of(&main_uri);
    assert_eq!(diagnostics.len(), 1);
    let range = diagnostics[0]["range"].clone();

    // The quick fix: an allow comment on its own line above, indented like the finding.
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": main_uri}, "range": range, "context": {"diagnostics": []}}),
    );
    let action = &actions["result"][0];
    assert_eq!(action["kind"], "quickfix");
    let edit = &action["edit"]["changes"][&main_uri][0];
    let line = range["start"]["line"].as_u64().unwrap();
    assert_eq!(
        edit["range"]["start"],
        json!({"line": line, "character": 0})
    );
    assert_eq!(
        edit["newText"],
        "        // racecheck: allow(D001) reason\n"
    );

    // Hover on the inner acquisition of the spawned thread: what is held, and the reversal.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": main_uri}, "position": {"line": 8, "character": 19}}),
    );
    let text = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(text.contains("acquires `A`"), "{text}");
    assert!(text.contains("holding `B`"), "{text}");
    assert!(text.contains("`B` → `A`"), "{text}");
    assert!(text.contains("the opposite order, `A` → `B`"), "{text}");
    let nothing = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": main_uri}, "position": {"line": 0, "character": 0}}),
    );
    assert_eq!(nothing["result"], Value::Null);

    // A buffer refused before parsing (nested too deep): its findings give way to the error.
    let too_deep = format!(
        "{ABBA}\nfn deep() -> u8 {{ {}0{} }}\n",
        "(".repeat(3000),
        ")".repeat(3000)
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": main_uri, "version": 3}, "contentChanges": [{"text": too_deep}]}),
    );
    let diagnostics = client.diagnostics_of(&main_uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let message = diagnostics[0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("nesting deeper than"), "{diagnostics:#?}");

    // Bad input gets errors, and the server keeps serving.
    client.send_raw("{this is not json");
    let parse_error = client.wait_for(|m| m.get("error").is_some());
    assert_eq!(parse_error["error"]["code"], -32700);
    assert_eq!(parse_error["id"], Value::Null);
    let unknown = client.request("textDocument/frobnicate", json!({}));
    assert_eq!(unknown["error"]["code"], -32601);
    let bad_params = client.request("textDocument/hover", json!({"position": "here"}));
    assert_eq!(bad_params["error"]["code"], -32602);

    let shutdown = client.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null);
    client.notify("exit", Value::Null);
    let status = client.server.wait().expect("the server exits");
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_client_gone_before_initialize_ends_the_server_cleanly() {
    let project = Project::empty("lsp-no-client");
    let status = Command::new(binary())
        .arg("lsp")
        .current_dir(project.root())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .expect("run the language server");
    assert!(status.success(), "{status:?}");
}

/// A library whose lock order is inverted only by the program that links it.
const LINKED_LIB: &str = "use std::sync::Mutex;

pub struct Store {
    a: Mutex<u32>,
    b: Mutex<u32>,
}

impl Store {
    pub fn new() -> Self {
        Store { a: Mutex::new(0), b: Mutex::new(0) }
    }

    pub fn ab(&self) {
        let _a = self.a.lock().unwrap();
        let _b = self.b.lock().unwrap();
    }

    pub fn ba(&self) {
        let _b = self.b.lock().unwrap();
        let _a = self.a.lock().unwrap();
    }
}
";

/// The program: it runs `ab` and `ba` at once, and holds an `if let` scrutinee's guard into
/// the `else` arm only under edition 2021's rules (a double lock there; none in 2024).
const LINKING_MAIN: &str = "use demo::Store;
use std::sync::{Arc, Mutex};

static M: Mutex<Vec<u32>> = Mutex::new(Vec::new());

fn fill() {
    if let Some(x) = M.lock().unwrap().first() {
        println!(\"{x}\");
    } else {
        M.lock().unwrap().push(1);
    }
}

fn main() {
    fill();
    let store = Arc::new(Store::new());
    let other = Arc::clone(&store);
    let t = std::thread::spawn(move || other.ab());
    store.ba();
    t.join().unwrap();
}
";

/// `(file, line, code)` of each finding `check --message-format=short` prints.
fn cli_findings(project: &Project) -> Vec<(String, u64, String)> {
    let run = project.run(&["--message-format=short"]);
    run.stdout
        .lines()
        .filter_map(|line| {
            let (file, rest) = line.split_once(':')?;
            let (line_no, rest) = rest.split_once(':')?;
            let code = rest.split_once('[')?.1.split_once(']')?.0;
            Some((file.to_owned(), line_no.parse().ok()?, code.to_owned()))
        })
        .collect()
}

#[test]
fn the_editor_links_programs_to_their_library_and_reads_the_manifest_edition() {
    let project = Project::cargo("lsp-linked", LINKING_MAIN);
    project.write(
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[workspace]\n",
    );
    project.write("src/lib.rs", LINKED_LIB);
    let expected = cli_findings(&project);
    assert_eq!(
        expected,
        [("src/lib.rs".to_owned(), 15, "D001".to_owned())],
        "the command line's findings"
    );

    let mut client = Client::start(binary(), project.root());
    client.request(
        "initialize",
        json!({"processId": null, "rootUri": format!("file://{}", project.root().display()), "capabilities": {}}),
    );
    client.notify("initialized", json!({}));
    let lib = client.diagnostics_of(&uri_of(&project, "src/lib.rs"));
    let found: Vec<(String, u64, String)> = lib
        .iter()
        .map(|d| {
            (
                "src/lib.rs".to_owned(),
                d["range"]["start"]["line"].as_u64().unwrap() + 1,
                d["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(found, expected, "{lib:#?}");
    // The program's own file: nothing (edition 2024 ends the scrutinee's guard before `else`).
    // An unsaved newline makes the server analyze it again and publish its (empty) list.
    let main_uri = uri_of(&project, "src/main.rs");
    let edited = format!("{LINKING_MAIN}\n");
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": main_uri, "languageId": "rust", "version": 1, "text": edited}}),
    );
    assert_eq!(client.diagnostics_of(&main_uri), Vec::<Value>::new());

    // The manifest edited to edition 2021, as a watcher tells it: the workspace is read again,
    // the unsaved buffer kept, and the `else` arm's second lock is a double lock now.
    project.write(
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    );
    client.notify(
        "workspace/didChangeWatchedFiles",
        json!({"changes": [{"uri": uri_of(&project, "Cargo.toml"), "type": 2}]}),
    );
    let codes = |diagnostics: Vec<Value>| -> Vec<String> {
        diagnostics
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(codes(client.diagnostics_of(&main_uri)), ["D002"]);
    // A configuration file added, seen at the next save by a client that watches nothing.
    project.write("racecheck.toml", "ignore = [\"D002\"]\n");
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": main_uri}, "text": edited}),
    );
    assert_eq!(client.diagnostics_of(&main_uri), Vec::<Value>::new());
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.server.wait().expect("the server exits").success());
}

#[test]
fn a_client_that_watches_files_is_asked_to_watch_the_manifests() {
    let project = Project::cargo("lsp-watch", ABBA);
    let mut client = Client::start(binary(), project.root());
    client.request(
        "initialize",
        json!({
            "processId": null,
            "rootUri": format!("file://{}", project.root().display()),
            "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": true}}},
        }),
    );
    client.notify("initialized", json!({}));
    let register = client.wait_for(|m| m["method"] == "client/registerCapability");
    let registration = &register["params"]["registrations"][0];
    assert_eq!(registration["method"], "workspace/didChangeWatchedFiles");
    let globs: Vec<&str> = registration["registerOptions"]["watchers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["globPattern"].as_str().unwrap())
        .collect();
    assert_eq!(globs, ["**/Cargo.toml", "**/racecheck.toml"]);
    client.request("shutdown", Value::Null);
    client.notify("exit", Value::Null);
    assert!(client.server.wait().expect("the server exits").success());
}
