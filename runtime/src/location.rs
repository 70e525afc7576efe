//! Source locations, the coordinates every event carries.

/// A place in the user's source: what every event carries, and what the analyzer reports.
///
/// ```
/// let (here, line) = (racecheck::SourceLocation::caller(), line!());
/// assert_eq!(here.line, line);
/// assert!(here.to_string().ends_with(&format!(":{}:{}", here.line, here.column)));
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct SourceLocation {
    /// The file, as the compiler names it (relative to the package root for local crates).
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub column: u32,
}

impl SourceLocation {
    /// The location of the caller of a `#[track_caller]` function.
    ///
    /// ```
    /// #[track_caller]
    /// fn where_called() -> racecheck::SourceLocation {
    ///     racecheck::SourceLocation::caller()
    /// }
    /// assert_eq!(where_called().line, line!());
    /// ```
    #[track_caller]
    pub fn caller() -> Self {
        let l = std::panic::Location::caller();
        SourceLocation {
            file: l.file().to_string(),
            line: l.line(),
            column: l.column(),
        }
    }
}

impl std::fmt::Display for SourceLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}
