declare_rule! {
    /// ## What it does
    /// Reports a `// racecheck: allow(CODE)` comment that silences no diagnostic.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides the next real finding on that line, and tells readers about a
    /// problem that is no longer there (ruff's unused-noqa, RUF100).
    ///
    /// ## Example
    /// ```rust,ignore
    /// let g = a.acquire(); // racecheck: allow(D001) fixed long ago
    /// ```
    /// Use instead: delete the comment.
    pub U001, UNUSED_ALLOW, "unused-allow", Warning, "an allow comment that silences nothing"
}
