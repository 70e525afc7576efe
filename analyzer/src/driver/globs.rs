//! Path patterns of the configuration (`exclude`, `per-file-ignores`), with gitignore semantics
//! relative to the directory of the configuration file: `generated/`, `tests/**`, `*_bench.rs`.
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use std::path::{Path, PathBuf};

/// A set of gitignore-style patterns anchored at `base`.
#[derive(Debug, Clone)]
pub struct PathPatterns {
    base: PathBuf,
    matcher: Gitignore,
}

impl PathPatterns {
    /// Patterns that match nothing.
    pub fn empty() -> Self {
        PathPatterns {
            base: PathBuf::new(),
            matcher: Gitignore::empty(),
        }
    }

    /// Compiles `patterns` anchored at `base`; the error names the offending pattern.
    pub fn new<'a>(
        base: &Path,
        patterns: impl IntoIterator<Item = &'a str>,
    ) -> Result<Self, (String, String)> {
        let mut builder = GitignoreBuilder::new(base);
        for pattern in patterns {
            builder
                .add_line(None, pattern)
                .map_err(|e| (pattern.to_owned(), e.to_string()))?;
        }
        let matcher = builder
            .build()
            .map_err(|e| (String::new(), e.to_string()))?;
        Ok(PathPatterns {
            base: base.to_path_buf(),
            matcher,
        })
    }

    /// Whether the file at the absolute path `file` (or one of its folders) matches.
    pub fn matches(&self, file: &Path) -> bool {
        self.matches_entry(file, false)
    }

    /// Whether the file or folder at the absolute path `path` (or one of its folders) matches.
    pub fn matches_entry(&self, path: &Path, is_dir: bool) -> bool {
        match path.strip_prefix(&self.base) {
            Ok(relative) if !self.matcher.is_empty() => self
                .matcher
                .matched_path_or_any_parents(relative, is_dir)
                .is_ignore(),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_files_and_folders_under_the_base_only() {
        let base = Path::new("/ws");
        let patterns =
            PathPatterns::new(base, ["generated/", "*_bench.rs", "/src/only.rs"]).unwrap();
        assert!(patterns.matches(Path::new("/ws/generated/a.rs")));
        assert!(patterns.matches(Path::new("/ws/x/generated/deep/a.rs")));
        assert!(patterns.matches(Path::new("/ws/src/x_bench.rs")));
        assert!(patterns.matches(Path::new("/ws/src/only.rs")));
        assert!(!patterns.matches(Path::new("/ws/lib/src/only.rs")));
        assert!(!patterns.matches(Path::new("/ws/src/lib.rs")));
        assert!(!patterns.matches(Path::new("/elsewhere/generated/a.rs")));
        assert!(patterns.matches_entry(Path::new("/ws/generated"), true));
        assert!(!patterns.matches_entry(Path::new("/ws/generated"), false));
        assert!(!PathPatterns::empty().matches(Path::new("/ws/a.rs")));
    }
}
