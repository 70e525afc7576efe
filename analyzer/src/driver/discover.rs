//! Which files a run analyzes, and loading them. Folders are walked with the `ignore` crate:
//! `.gitignore` is honoured (in and out of git repositories), hidden entries and build folders
//! (see [`is_build_dir`]) are skipped, symbolic links are followed (a loop is an input error), and the result is sorted
//! so that runs are deterministic. Nothing here stops the run: every problem with an input
//! becomes an [`InputError`] and the other files go on.
use super::globs::PathPatterns;
use super::workspace::source_roots;
use crate::diagnostic::{InputError, SourceFile};
use cargo_metadata::Package;
use ignore::WalkBuilder;
use rayon::prelude::*;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

/// A file to analyze.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Candidate {
    /// The path diagnostics print: relative to the run's root when inside it.
    pub display: PathBuf,
    /// Where it is (absolute).
    pub location: PathBuf,
}

/// The files found, and the inputs that could not be walked.
#[derive(Debug, Default)]
pub struct Found {
    pub files: Vec<Candidate>,
    pub errors: Vec<InputError>,
}

/// How files are found: paths relative to `cwd`, printed relative to `root`.
pub struct Finder<'a> {
    pub cwd: &'a Path,
    pub root: &'a Path,
    /// Walked files matching these are left out. Explicitly named files never are, nor the files of
    /// an explicitly named folder that is itself excluded: what the user names is analyzed, as
    /// ruff does without `--force-exclude`.
    pub exclude: &'a PathPatterns,
}

impl Finder<'_> {
    /// The files named by `paths`, and the `.rs` files under the folders among them.
    pub fn paths(&self, paths: &[PathBuf]) -> Found {
        let mut found = Found::default();
        let mut folders = Vec::new();
        for path in paths {
            match std::fs::metadata(self.cwd.join(path)) {
                Ok(meta) if meta.is_dir() => folders.push(path.clone()),
                Ok(meta) if meta.is_file() => found.files.push(self.candidate(path)),
                Ok(_) => found
                    .errors
                    .push(error(self.display(path), "not a regular file or folder")),
                Err(e) => found.errors.push(error(self.display(path), e)),
            }
        }
        let named_excluded: Vec<PathBuf> = folders
            .iter()
            .map(|folder| normalize(&self.cwd.join(folder)))
            .filter(|folder| self.exclude.matches_entry(folder, true))
            .collect();
        self.walk(&folders, named_excluded, &mut found);
        found.finish()
    }

    /// The sources of `members`: every `.rs` file under the folders of their targets.
    pub fn workspace(&self, members: &[&Package]) -> Found {
        let mut found = Found::default();
        let mut folders = Vec::new();
        for package in members {
            let (package_folders, files) = source_roots(package);
            folders.extend(package_folders);
            found.files.extend(files.iter().map(|f| self.candidate(f)));
        }
        self.walk(&folders, Vec::new(), &mut found);
        found.finish()
    }

    /// Walks `folders` for `.rs` files; the exclusions do not apply under `unexcluded`.
    fn walk(&self, folders: &[PathBuf], unexcluded: Vec<PathBuf>, found: &mut Found) {
        let Some((first, rest)) = folders.split_first() else {
            return;
        };
        let mut builder = WalkBuilder::new(self.cwd.join(first));
        for folder in rest {
            builder.add(self.cwd.join(folder));
        }
        let exclude = self.exclude.clone();
        builder
            .follow_links(true)
            .hidden(true)
            .require_git(false)
            .sort_by_file_name(Ord::cmp)
            .filter_entry(move |entry| {
                let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
                let is_build_dir = is_dir && entry.depth() > 0 && is_build_dir(entry.path());
                let path = normalize(entry.path());
                !is_build_dir
                    && (unexcluded.iter().any(|root| path.starts_with(root))
                        || !exclude.matches_entry(entry.path(), is_dir))
            });
        for result in builder.build() {
            match result {
                Ok(entry) => {
                    let is_rust_file = entry.file_type().is_some_and(|t| t.is_file())
                        && entry.path().extension().is_some_and(|e| e == "rs");
                    if is_rust_file {
                        found.files.push(self.candidate(entry.path()));
                    }
                }
                Err(e) => {
                    let path =
                        walk_error_path(&e).map_or_else(|| first.clone(), |p| self.display(p));
                    found.errors.push(error(path, e));
                }
            }
        }
    }

    fn candidate(&self, path: &Path) -> Candidate {
        Candidate {
            display: self.display(path),
            location: normalize(&self.cwd.join(path)),
        }
    }

    /// `path` (relative to the cwd, or absolute) as diagnostics print it: relative to the root
    /// when inside it, else as given.
    pub fn display(&self, path: &Path) -> PathBuf {
        let absolute = normalize(&self.cwd.join(path));
        match absolute.strip_prefix(self.root) {
            Ok(relative) if !relative.as_os_str().is_empty() => relative.to_path_buf(),
            _ => path.to_path_buf(),
        }
    }
}

impl Found {
    fn finish(mut self) -> Self {
        self.files.sort();
        self.files.dedup_by(|a, b| a.location == b.location);
        self
    }
}

fn error(path: PathBuf, message: impl ToString) -> InputError {
    InputError {
        path,
        span: None,
        message: message.to_string(),
    }
}

/// The path an error of the walker is about, when it names one.
fn walk_error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::Loop { child, .. } => Some(child),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        _ => None,
    }
}

/// Removes `.` and resolves `..` lexically, so that paths compare and strip predictably.
fn normalize(path: &Path) -> PathBuf {
    let mut normal = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !normal.pop() {
                    normal.push("..");
                }
            }
            other => normal.push(other),
        }
    }
    normal
}

/// Reads the candidates in parallel; a file that cannot be read or is not UTF-8 is an input error.
pub fn load(files: &[Candidate]) -> (Vec<(SourceFile, PathBuf)>, Vec<InputError>) {
    let results: Vec<Result<(SourceFile, PathBuf), InputError>> =
        files.par_iter().map(load_one).collect();
    let mut loaded = Vec::with_capacity(results.len());
    let mut errors = Vec::new();
    for result in results {
        match result {
            Ok(file) => loaded.push(file),
            Err(e) => errors.push(e),
        }
    }
    (loaded, errors)
}

fn load_one(candidate: &Candidate) -> Result<(SourceFile, PathBuf), InputError> {
    let bytes = std::fs::read(&candidate.location).map_err(|e| {
        error(
            candidate.display.clone(),
            format_args!("cannot read file: {e}"),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|e| not_utf8(&candidate.display, e))?;
    let file = SourceFile {
        path: candidate.display.clone(),
        text: Arc::from(text),
    };
    Ok((file, candidate.location.clone()))
}

/// An error pointing at the first byte that is not UTF-8.
fn not_utf8(path: &Path, error: std::string::FromUtf8Error) -> InputError {
    let valid = error.utf8_error().valid_up_to();
    let prefix = std::str::from_utf8(&error.as_bytes()[..valid]).expect("valid up to here");
    let line = prefix.matches('\n').count() + 1;
    let column = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    InputError {
        path: path.to_path_buf(),
        span: Some(crate::diagnostic::Span {
            file: path.to_path_buf(),
            byte_start: valid,
            byte_end: valid + 1,
            line_start: to_u32(line),
            column_start: to_u32(column),
            line_end: to_u32(line),
            column_end: to_u32(column + 1),
        }),
        message: format!("file is not valid UTF-8 (invalid byte at line {line}, column {column})"),
    }
}

/// Whether a folder holds build output rather than sources: one that carries the cache-directory
/// tag (cargo writes `CACHEDIR.TAG` into every target directory, custom ones included), or a
/// `target` folder beside a `Cargo.toml` (a target directory cargo has not tagged yet). A module
/// folder that happens to be named `target` (`src/target/`) is source and is read.
fn is_build_dir(folder: &Path) -> bool {
    let beside_a_manifest = || {
        folder
            .parent()
            .is_some_and(|parent| parent.join("Cargo.toml").is_file())
    };
    folder.join("CACHEDIR.TAG").is_file()
        || (folder.file_name().is_some_and(|name| name == "target") && beside_a_manifest())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalize_is_lexical() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), Path::new("/a/c"));
        assert_eq!(normalize(Path::new("../x")), Path::new("../x"));
    }

    #[test]
    fn display_paths_are_relative_to_the_root_when_inside_it() {
        let exclude = PathPatterns::empty();
        let finder = Finder {
            cwd: Path::new("/ws/crates/a"),
            root: Path::new("/ws"),
            exclude: &exclude,
        };
        assert_eq!(
            finder.display(Path::new("./src/lib.rs")),
            Path::new("crates/a/src/lib.rs")
        );
        assert_eq!(finder.display(Path::new("/ws/x.rs")), Path::new("x.rs"));
        assert_eq!(
            finder.display(Path::new("/elsewhere/x.rs")),
            Path::new("/elsewhere/x.rs")
        );
        assert_eq!(
            finder.display(Path::new("../../../y.rs")),
            Path::new("../../../y.rs")
        );
    }

    #[test]
    fn non_utf8_errors_point_at_the_first_bad_byte() {
        let error = String::from_utf8(b"fn a() {}\nlet \xff".to_vec()).unwrap_err();
        let input_error = not_utf8(Path::new("bad.rs"), error);
        let span = input_error.span.unwrap();
        assert_eq!(
            (span.line_start, span.column_start, span.byte_start),
            (2, 5, 14)
        );
        assert!(input_error.message.contains("line 2, column 5"));
    }
}
