//! Loading the corpus as `cargo racecheck check FOLDER` sees it: every `.rs` file under the folder.

use std::path::Path;
use std::sync::Arc;

use racecheck_analyzer::diagnostic::SourceFile;
use rayon::prelude::*;

/// The corpus in memory, with its size.
pub struct Corpus {
    pub files: Vec<SourceFile>,
    pub lines: usize,
    pub bytes: usize,
}

/// Reads every `.rs` file under `folder`, in parallel; the walk honours ignore files as the CLI's
/// does. A file that cannot be read as UTF-8 is left out (and said so on stderr), as the CLI
/// reports it and goes on.
pub fn load(folder: &Path) -> Corpus {
    let mut paths: Vec<_> = ignore::WalkBuilder::new(folder)
        .build()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_some_and(|kind| kind.is_file()))
        .map(ignore::DirEntry::into_path)
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .collect();
    paths.sort();
    let files: Vec<SourceFile> = paths
        .into_par_iter()
        .filter_map(|path| match std::fs::read_to_string(&path) {
            Ok(text) => Some(SourceFile {
                path,
                text: Arc::from(text),
            }),
            Err(error) => {
                eprintln!("skipped {}: {error}", path.display());
                None
            }
        })
        .collect();
    Corpus {
        lines: files.iter().map(|file| file.text.lines().count()).sum(),
        bytes: files.iter().map(|file| file.text.len()).sum(),
        files,
    }
}
