//! The one error that stops a run early: a usage, configuration or tool-file IO problem. It maps
//! to exit code 2. Problems with the *analyzed* files are not fatal: they are `InputError`s,
//! reported beside the findings.
use std::fmt;
use std::io;
use std::path::Path;

/// A problem that ends the run with exit code 2 before (or instead of) a report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fatal {
    message: String,
}

impl Fatal {
    pub fn new(message: impl Into<String>) -> Self {
        Fatal {
            message: message.into(),
        }
    }

    /// A file the tool itself needs (config, baseline, output) could not be read or written.
    pub fn io(action: &str, path: &Path, error: &io::Error) -> Self {
        Fatal::new(format!("cannot {action} `{}`: {error}", path.display()))
    }

    /// A report or baseline the user asked to write over a file of the project's own: a Rust
    /// source or a cargo manifest or lockfile (`--output src/main.rs` by a slip of the hand).
    pub fn refuse_overwrite(path: &Path) -> Result<(), Self> {
        let source = path.extension().is_some_and(|e| e == "rs")
            || path
                .file_name()
                .is_some_and(|n| n == "Cargo.toml" || n == "Cargo.lock");
        if source && path.exists() {
            return Err(Fatal::new(format!(
                "refusing to write over `{}`: it is a source file of the project; give the \
                 report another name",
                path.display()
            )));
        }
        Ok(())
    }

    /// A problem at a known place of a configuration file: `file:line:col: message`.
    pub fn at(path: &Path, line_col: Option<(u32, u32)>, message: impl fmt::Display) -> Self {
        match line_col {
            Some((line, col)) => Fatal::new(format!("{}:{line}:{col}: {message}", path.display())),
            None => Fatal::new(format!("{}: {message}", path.display())),
        }
    }
}

impl fmt::Display for Fatal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Fatal {}
