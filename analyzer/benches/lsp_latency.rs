//! How long an editor waits for diagnostics after an edit: `cargo racecheck lsp`'s server,
//! in-process over an in-memory connection, on a copy of the fixtures workspace (every fixture
//! program, one crate each). Each round opens nothing new: it sends a `didChange` with the whole
//! text of one fixture (a comment line added or removed, so the text differs every time) and
//! times until the `publishDiagnostics` for that file arrives. Prints the median and the 95th
//! percentile, and the time of the first analysis of the whole workspace.
//!
//! `cargo bench -p racecheck-analyzer --bench lsp_latency [ROUNDS]` (default 200).
use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The fixtures edited in turn: an inversion through struct fields, an event never set, the largest.
const EDITED: [&str; 3] = [
    "d001_bank_fields.rs",
    "d005_event_never_set.rs",
    "seed_event_worker.rs",
];

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(200);
    let workspace = copy_fixtures();
    let (client, server) = Connection::memory();
    let root = workspace.clone();
    let server_thread = std::thread::spawn(move || racecheck_analyzer::lsp::serve(&server, &root));

    let started = Instant::now();
    request(
        &client,
        1,
        "initialize",
        json!({"processId": null, "rootUri": uri(&workspace), "capabilities": {}}),
    );
    notify(&client, "initialized", json!({}));
    // Requests are answered in order: this one's answer comes after the first analysis.
    request(
        &client,
        2,
        "textDocument/hover",
        json!({"textDocument": {"uri": "file:///none.rs"}, "position": {"line": 0, "character": 0}}),
    );
    let first_analysis = started.elapsed();

    let files: Vec<(String, String)> = EDITED
        .iter()
        .filter_map(|name| {
            let path = workspace.join("src/bin").join(name);
            Some((uri(&path), std::fs::read_to_string(&path).ok()?))
        })
        .collect();
    assert!(!files.is_empty(), "the fixtures to edit are missing");
    for (uri, text) in &files {
        notify(
            &client,
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "rust", "version": 0, "text": text}}),
        );
        wait_for_diagnostics(&client, uri);
    }

    let mut samples = Vec::with_capacity(rounds);
    for round in 0..rounds {
        let (uri, text) = &files[round % files.len()];
        let edited = if round % 2 == 0 {
            format!("{text}// edit {round}\n")
        } else {
            text.clone()
        };
        let sent = Instant::now();
        notify(
            &client,
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": round + 1}, "contentChanges": [{"text": edited}]}),
        );
        wait_for_diagnostics(&client, uri);
        samples.push(sent.elapsed());
    }

    request(&client, 3, "shutdown", Value::Null);
    notify(&client, "exit", Value::Null);
    server_thread
        .join()
        .expect("the server thread")
        .expect("the server ends cleanly");
    let _ = std::fs::remove_dir_all(&workspace);

    samples.sort();
    let percentile = |p: usize| samples[(samples.len() * p / 100).min(samples.len() - 1)];
    let fixtures =
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/src/bin"))
            .map_or(0, |d| d.count());
    println!("lsp latency, fixtures workspace ({fixtures} files), {rounds} edits:");
    println!("  first analysis of the workspace  {}", ms(first_analysis));
    println!("  edit -> diagnostics, median      {}", ms(percentile(50)));
    println!("  edit -> diagnostics, p95         {}", ms(percentile(95)));
    println!(
        "  edit -> diagnostics, max         {}",
        ms(*samples.last().unwrap())
    );
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1e3)
}

/// A cargo package holding a copy of every fixture program, in a temporary folder.
fn copy_fixtures() -> PathBuf {
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures/src");
    let workspace =
        std::env::temp_dir().join(format!("racecheck-lsp-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&workspace);
    copy_tree(&source, &workspace.join("src"));
    std::fs::write(
        workspace.join("Cargo.toml"),
        "[package]\nname = \"fixtures-copy\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[workspace]\n",
    )
    .expect("write Cargo.toml");
    workspace
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create a folder");
    for entry in std::fs::read_dir(from).expect("read the fixtures") {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("a file type").is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).expect("copy a fixture");
        }
    }
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

fn notify(client: &Connection, method: &str, params: Value) {
    let message = Notification::new(method.into(), params);
    client
        .sender
        .send(message.into())
        .expect("the server listens");
}

/// Sends a request and waits for its response, skipping what comes before it.
fn request(client: &Connection, id: i32, method: &str, params: Value) {
    let message = Request::new(RequestId::from(id), method.into(), params);
    client
        .sender
        .send(message.into())
        .expect("the server listens");
    for message in &client.receiver {
        if matches!(&message, Message::Response(r) if r.id == RequestId::from(id)) {
            return;
        }
    }
    panic!("the server stopped before answering `{method}`");
}

fn wait_for_diagnostics(client: &Connection, uri: &str) {
    for message in &client.receiver {
        if let Message::Notification(n) = message {
            if n.method == "textDocument/publishDiagnostics" && n.params["uri"] == uri {
                return;
            }
        }
    }
    panic!("the server stopped before publishing for {uri}");
}
