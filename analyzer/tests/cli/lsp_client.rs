//! A minimal LSP client over pipes, shared by the language server's integration test and its
//! latency benchmark: frames requests and notifications, and reads the server's messages on a
//! thread of its own.
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::Duration;

/// How long to wait for a message before calling the server stuck (a guard, not a timing).
const PATIENCE: Duration = Duration::from_secs(120);

pub struct Client {
    pub server: Child,
    input: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    /// Starts `binary lsp` in `root`.
    pub fn start(binary: &str, root: &Path) -> Client {
        let mut server = Command::new(binary)
            .arg("lsp")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the language server");
        let input = server.stdin.take().expect("piped stdin");
        let mut output = BufReader::new(server.stdout.take().expect("piped stdout"));
        let (sender, messages) = mpsc::channel();
        // The reader ends when the server closes its output; nothing waits for it.
        std::thread::spawn(move || {
            while let Some(message) = read_frame(&mut output) {
                if sender.send(message).is_err() {
                    break;
                }
            }
        });
        Client {
            server,
            input,
            messages,
            next_id: 0,
        }
    }

    pub fn send_raw(&mut self, body: &str) {
        write!(self.input, "Content-Length: {}\r\n\r\n{body}", body.len()).expect("write");
        self.input.flush().expect("flush");
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        let body = json!({"jsonrpc": "2.0", "method": method, "params": params});
        self.send_raw(&body.to_string());
    }

    /// Sends a request and returns the response to it.
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        self.send_raw(&body.to_string());
        self.wait_for(|m| m["id"] == id && m.get("method").is_none())
    }

    /// The next message matching `wanted`; others are dropped.
    pub fn wait_for(&self, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            let message = self
                .messages
                .recv_timeout(PATIENCE)
                .expect("the server answers");
            if wanted(&message) {
                return message;
            }
        }
    }

    /// The next diagnostics published for `uri`.
    pub fn diagnostics_of(&self, uri: &str) -> Vec<Value> {
        let message = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"]
            .as_array()
            .expect("a list")
            .clone()
    }
}

fn read_frame(output: &mut impl BufRead) -> Option<Value> {
    let mut length = 0;
    loop {
        let mut line = String::new();
        if output.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(value) = line.strip_prefix("Content-Length: ") {
            length = value.parse().ok()?;
        }
    }
    let mut body = vec![0; length];
    output.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}
