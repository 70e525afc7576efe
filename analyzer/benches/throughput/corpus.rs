//! Loading the corpus exactly as `cargo racecheck check FOLDER` does, through the driver's own
//! discovery: every `.rs` file under the folder (ignore files honoured, `target/` and hidden
//! entries skipped), read in parallel.

use std::path::Path;

use racecheck_analyzer::diagnostic::SourceFile;
use racecheck_analyzer::driver::discover::{self, Finder};
use racecheck_analyzer::driver::globs::PathPatterns;

/// The corpus in memory, with its size.
pub struct Corpus {
    pub files: Vec<SourceFile>,
    pub lines: usize,
    pub bytes: usize,
}

/// Loads the files under `folder`. Inputs the driver cannot load (unreadable, not UTF-8) are
/// left out and counted on stderr, as the CLI reports them and goes on.
pub fn load(folder: &Path) -> Corpus {
    let cwd = std::env::current_dir().expect("a working directory");
    let exclude = PathPatterns::empty();
    let finder = Finder {
        cwd: &cwd,
        root: &cwd,
        exclude: &exclude,
    };
    let found = finder.paths(&[folder.to_path_buf()]);
    let (loaded, load_errors) = discover::load(&found.files);
    let skipped = found.errors.len() + load_errors.len();
    if skipped > 0 {
        eprintln!("{skipped} inputs of the corpus could not be loaded");
    }
    let files: Vec<SourceFile> = loaded.into_iter().map(|(file, _location)| file).collect();
    Corpus {
        lines: files.iter().map(|file| file.text.lines().count()).sum(),
        bytes: files.iter().map(|file| file.text.len()).sum(),
        files,
    }
}
