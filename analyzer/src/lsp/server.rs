//! The server loop: initialize, analyze the workspace, then answer the client until `shutdown`.
//! Open, change (full text) and save re-analyze the edited file's crate and publish the
//! diagnostics of its files; hover and code actions read the last analysis. An edit of a cargo
//! manifest or of racecheck's configuration (told by a watcher the server registers when the
//! client can, else seen at the next save) loads the workspace again, open buffers kept.
use super::convert::{self, Encoding, Text};
use super::session::{Session, Shape};
use super::{hover, quick_fix};
use crate::diagnostic::{Diagnostic, InputError, Severity, Span};
use crate::driver::catalog;
use crate::driver::config::CONFIG_FILE_NAME;
use crate::driver::error::Fatal;
use crate::rules;
use gen_lsp_types::{
    CodeActionKind, CodeActionOptions, CodeActionParams, CodeDescription,
    DiagnosticRelatedInformation, DiagnosticSeverity, DidChangeTextDocumentParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DidSaveTextDocumentParams, HoverParams,
    InitializeParams, Location, PublishDiagnosticsParams, SaveOptions, ServerCapabilities,
    ServerInfo, TextDocumentContentChangeEvent, TextDocumentSyncKind, TextDocumentSyncOptions, Uri,
    WorkspaceFolders,
};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Serves one client over `connection` until it shuts down or goes away. `cwd` is the root when
/// the client names none.
pub fn serve(connection: &Connection, cwd: &Path) -> Result<(), Fatal> {
    let protocol = |e: lsp_server::ProtocolError| Fatal::new(format!("LSP: {e}"));
    let (id, params) = match connection.initialize_start() {
        Ok(start) => start,
        // The client went away before initializing: nothing was asked, so nothing failed.
        Err(e) if e.channel_is_disconnected() => return Ok(()),
        Err(e) => return Err(protocol(e)),
    };
    let watches =
        params["capabilities"]["workspace"]["didChangeWatchedFiles"]["dynamicRegistration"] == true;
    let params: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let encoding = Encoding::negotiate(
        params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_deref())
            .unwrap_or_default(),
    );
    let root = workspace_root(&params).unwrap_or_else(|| cwd.to_path_buf());
    let result = serde_json::json!({
        "capabilities": capabilities(encoding),
        "serverInfo": ServerInfo { name: "racecheck".into(), version: Some(env!("CARGO_PKG_VERSION").into()) },
    });
    connection.initialize_finish(id, result).map_err(protocol)?;

    let session = Session::load(&root);
    let mut server = Server {
        connection,
        encoding,
        shape: Shape::of(&root, session.as_ref().ok()),
        root,
        session,
        published: BTreeSet::new(),
    };
    if watches {
        server.watch_manifests();
    }
    server.refresh();
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request).map_err(protocol)? {
                    return Ok(());
                }
                server.answer(request);
            }
            Message::Notification(notification) if notification.method == "exit" => {
                return Ok(());
            }
            Message::Notification(notification) => server.notified(notification),
            Message::Response(_) => {}
        }
    }
    Ok(())
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::Full),
                save: Some(
                    SaveOptions {
                        include_text: Some(true),
                    }
                    .into(),
                ),
                ..TextDocumentSyncOptions::default()
            }
            .into(),
        ),
        hover_provider: Some(true.into()),
        code_action_provider: Some(
            CodeActionOptions {
                code_action_kinds: Some(vec![CodeActionKind::QuickFix]),
                ..CodeActionOptions::default()
            }
            .into(),
        ),
        ..ServerCapabilities::default()
    }
}

#[allow(deprecated)] // `rootUri` and `rootPath` are what older clients send.
fn workspace_root(params: &InitializeParams) -> Option<PathBuf> {
    let folder = params
        .workspace_folders_initialize_params
        .workspace_folders
        .as_ref()
        .and_then(|folders| match folders {
            WorkspaceFolders::WorkspaceFolderList(list) => list.first(),
            WorkspaceFolders::Null => None,
        })
        .map(|f| &f.uri);
    folder.or(params.root_uri.as_ref()).and_then(convert::path)
}

struct Server<'a> {
    connection: &'a Connection,
    encoding: Encoding,
    root: PathBuf,
    /// The manifests and configuration the session was loaded from, to tell when they change.
    shape: Shape,
    /// The workspace, or why it could not be read (reported, then every request gets nothing).
    session: Result<Session, Fatal>,
    /// Files that were last sent a non-empty list, which a later analysis may have to clear.
    published: BTreeSet<PathBuf>,
}

impl Server<'_> {
    fn send(&self, message: impl Into<Message>) {
        // A closed channel means the client went away; the loop ends on its own then.
        let _ = self.connection.sender.send(message.into());
    }

    fn answer(&mut self, request: Request) {
        let response = match request.method.as_str() {
            "textDocument/hover" => self.handle(&request, |server, params: HoverParams| {
                server
                    .ready()
                    .and_then(|session| hover::hover(session, server.encoding, &params))
            }),
            "textDocument/codeAction" => {
                self.handle(&request, |server, params: CodeActionParams| {
                    server
                        .ready()
                        .and_then(|session| quick_fix::actions(session, server.encoding, &params))
                })
            }
            method => Response::new_err(
                request.id.clone(),
                ErrorCode::MethodNotFound as i32,
                format!("racecheck does not handle `{method}`"),
            ),
        };
        self.send(response);
    }

    /// Runs `handler` on the request's params; params that do not parse are an error reply.
    fn handle<P: DeserializeOwned, R: serde::Serialize>(
        &self,
        request: &Request,
        handler: impl FnOnce(&Self, P) -> Option<R>,
    ) -> Response {
        match serde_json::from_value::<P>(request.params.clone()) {
            Ok(params) => Response::new_ok(request.id.clone(), handler(self, params)),
            Err(e) => Response::new_err(
                request.id.clone(),
                ErrorCode::InvalidParams as i32,
                format!("invalid params for `{}`: {e}", request.method),
            ),
        }
    }

    fn ready(&self) -> Option<&Session> {
        self.session.as_ref().ok()
    }

    /// Asks the client to tell the server of edits to manifests and configuration files, which
    /// an editor does not open as Rust documents (its answer needs no reply).
    fn watch_manifests(&self) {
        let watchers: Vec<Value> = ["**/Cargo.toml", &format!("**/{CONFIG_FILE_NAME}")]
            .iter()
            .map(|glob| serde_json::json!({"globPattern": glob}))
            .collect();
        self.send(Request::new(
            RequestId::from("racecheck/watch-manifests".to_owned()),
            "client/registerCapability".into(),
            serde_json::json!({"registrations": [{
                "id": "racecheck/watch-manifests",
                "method": "workspace/didChangeWatchedFiles",
                "registerOptions": {"watchers": watchers},
            }]}),
        ));
    }

    /// Loads the workspace again if a manifest or configuration file changed since it was
    /// loaded, keeping the open buffers' texts, and publishes what that changes.
    fn reload_if_reshaped(&mut self) {
        let shape = Shape::of(&self.root, self.session.as_ref().ok());
        if shape == self.shape {
            return;
        }
        let open = self
            .session
            .as_ref()
            .map(Session::open_buffers)
            .unwrap_or_default();
        self.session = Session::load(&self.root);
        if let Ok(session) = &mut self.session {
            for (location, text) in open {
                session.set_text(&location, &text, true);
            }
        }
        self.shape = Shape::of(&self.root, self.session.as_ref().ok());
        self.refresh();
        // Files that left the workspace keep no findings of the old one.
        let gone: Vec<PathBuf> = self
            .published
            .iter()
            .filter(|location| {
                self.session
                    .as_ref()
                    .map_or(true, |s| s.file(location).is_none())
            })
            .cloned()
            .collect();
        for location in gone {
            self.published.remove(&location);
            self.publish(&location, Vec::new());
        }
    }

    fn publish(&self, location: &Path, diagnostics: Vec<gen_lsp_types::Diagnostic>) {
        let params = PublishDiagnosticsParams {
            uri: convert::uri(location),
            version: None,
            diagnostics,
        };
        self.send(Notification::new(
            "textDocument/publishDiagnostics".into(),
            params,
        ));
    }

    fn notified(&mut self, notification: Notification) {
        match notification.method.as_str() {
            "workspace/didChangeWatchedFiles" => return self.reload_if_reshaped(),
            // Clients that cannot watch files: a save is when a manifest edit is looked for.
            "textDocument/didSave" => self.reload_if_reshaped(),
            _ => {}
        }
        let changed = match notification.method.as_str() {
            "textDocument/didOpen" => parse(notification.params)
                .map(|p: DidOpenTextDocumentParams| (p.text_document.uri, Some(p.text_document.text), true)),
            "textDocument/didChange" => parse(notification.params).map(|p: DidChangeTextDocumentParams| {
                let text = p.content_changes.into_iter().last().map(|change| match change {
                    TextDocumentContentChangeEvent::TextDocumentContentChangeWholeDocument(c) => c.text,
                    TextDocumentContentChangeEvent::TextDocumentContentChangePartial(c) => c.text,
                });
                (p.text_document.text_document_identifier.uri, text, true)
            }),
            "textDocument/didSave" => parse(notification.params)
                .map(|p: DidSaveTextDocumentParams| (p.text_document.uri, p.text, true)),
            "textDocument/didClose" => parse(notification.params)
                .map(|p: DidCloseTextDocumentParams| (p.text_document.uri, None, false)),
            _ => None,
        };
        let Some((uri, text, open)) = changed else {
            return;
        };
        let Some(location) = convert::path(&uri) else {
            return;
        };
        // Without the text (a close, a save that does not send it), the disk's is the truth.
        let text = text.or_else(|| std::fs::read_to_string(&location).ok());
        let Ok(session) = &mut self.session else {
            return;
        };
        if let Some(text) = text {
            if session.set_text(&location, text.as_str(), open) {
                self.refresh();
            }
        }
    }

    /// Analyzes what changed and publishes the diagnostics of every file of those crates.
    fn refresh(&mut self) {
        let session = match &mut self.session {
            Ok(session) => session,
            Err(fatal) => {
                let message = format!("racecheck cannot analyze this workspace: {fatal}");
                self.send(Notification::new(
                    "window/showMessage".into(),
                    serde_json::json!({"type": 1, "message": message}),
                ));
                return;
            }
        };
        let analyzed = session.refresh();
        let session = &*session;
        let touched: BTreeSet<&PathBuf> = analyzed.iter().flatten().collect();
        let mut publications = Vec::new();
        for location in touched {
            let diagnostics = file_diagnostics(session, location, self.encoding);
            let open = session.file(location).is_some_and(|f| f.open);
            publications.push((location.clone(), diagnostics, open));
        }
        // An open file always gets a fresh list; others only a change from what they were sent.
        for (location, diagnostics, open) in publications {
            let had_some = self.published.remove(&location);
            if !diagnostics.is_empty() {
                self.published.insert(location.clone());
            }
            if open || had_some || !diagnostics.is_empty() {
                self.publish(&location, diagnostics);
            }
        }
    }
}

fn parse<P: DeserializeOwned>(params: Value) -> Option<P> {
    serde_json::from_value(params).ok()
}

/// The LSP diagnostics of one file: its findings and its input errors, from every crate it is in.
fn file_diagnostics(
    session: &Session,
    location: &Path,
    encoding: Encoding,
) -> Vec<gen_lsp_types::Diagnostic> {
    let findings = session
        .diagnostics_of(location)
        .into_iter()
        .filter_map(|d| to_lsp(session, d, encoding));
    let errors = session
        .errors_of(location)
        .into_iter()
        .filter_map(|e| error_to_lsp(session, e, encoding));
    findings.chain(errors).collect()
}

/// The range of a span in the negotiated encoding, and the URI of its file.
pub fn locate(session: &Session, span: &Span, encoding: Encoding) -> Option<Location> {
    let location = session.location_of(&span.file);
    let file = session.file(&location)?;
    let text = Text {
        text: &file.text,
        lines: file.lines(),
        encoding,
    };
    Some(Location {
        uri: convert::uri(&location),
        range: text.range(span.byte_start..span.byte_end),
    })
}

pub fn to_lsp(
    session: &Session,
    diagnostic: &Diagnostic,
    encoding: Encoding,
) -> Option<gen_lsp_types::Diagnostic> {
    let primary = locate(session, &diagnostic.primary, encoding)?;
    let related = std::iter::once((&diagnostic.primary, &diagnostic.primary_label))
        .filter(|(_, label)| !label.is_empty())
        .chain(diagnostic.secondary.iter().map(|l| (&l.span, &l.message)))
        .filter_map(|(span, label)| {
            Some(DiagnosticRelatedInformation {
                location: locate(session, span, encoding)?,
                message: label.clone(),
            })
        })
        .collect::<Vec<_>>();
    let mut message = diagnostic.message.clone();
    for note in &diagnostic.notes {
        message += &format!("\nnote: {note}");
    }
    if let Some(help) = &diagnostic.help {
        message += &format!("\nhelp: {help}");
    }
    let code_description = rules::by_code(&diagnostic.code).map(|rule| CodeDescription {
        href: Uri(catalog::doc_url(rule)),
    });
    Some(gen_lsp_types::Diagnostic {
        range: primary.range,
        severity: Some(severity(diagnostic.severity)),
        code: Some(diagnostic.code.clone().into()),
        code_description,
        source: Some("racecheck".into()),
        message: message.into(),
        related_information: (!related.is_empty()).then_some(related),
        data: Some(serde_json::json!({"fingerprint": diagnostic.fingerprint})),
        ..gen_lsp_types::Diagnostic::default()
    })
}

fn error_to_lsp(
    session: &Session,
    error: &InputError,
    encoding: Encoding,
) -> Option<gen_lsp_types::Diagnostic> {
    let range = match &error.span {
        Some(span) => locate(session, span, encoding)?.range,
        None => gen_lsp_types::Range::default(),
    };
    Some(gen_lsp_types::Diagnostic {
        range,
        severity: Some(DiagnosticSeverity::Error),
        source: Some("racecheck".into()),
        message: error.message.clone().into(),
        ..gen_lsp_types::Diagnostic::default()
    })
}

fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::Error,
        Severity::Warning => DiagnosticSeverity::Warning,
        Severity::Note => DiagnosticSeverity::Information,
    }
}
