//! `cargo racecheck lsp`: a language server over stdio. It analyzes the workspace when the client
//! connects and a file's crate whenever the file is opened, changed or saved (unsaved buffers
//! override the disk), and publishes the findings as diagnostics (severity, code, a link to the
//! rule's documentation, every secondary span as related information). A quick fix inserts an
//! allow comment above a finding; hovering a lock acquisition shows the locks held there and the
//! lock order they make. Positions are UTF-16 unless the client offers UTF-8 or UTF-32.
mod convert;
mod hover;
mod quick_fix;
mod server;
mod session;
mod transport;

use crate::driver::error::Fatal;
pub use server::serve;

/// Serves the client on stdin/stdout; `cwd` is the root when the client names none.
pub fn run_stdio(cwd: &std::path::Path) -> Result<(), Fatal> {
    let (connection, io_threads) = transport::stdio();
    // After an error the reader may still wait on stdin: leave it to the process's exit.
    serve(&connection, cwd)?;
    drop(connection);
    io_threads
        .join()
        .map_err(|e| Fatal::new(format!("LSP: {e}")))
}
