//! The bounds of macro expansion: how deep expansions nest, how many tokens they may produce,
//! and how much matching work they may take. Past a bound an invocation is left unexpanded and
//! the crate's run note says so.
use crate::frontend::outline::MAX_NESTING;
use std::fmt;

/// Expansions nested inside expansions, as rustc's default `recursion_limit` halved.
pub(crate) const DEPTH_LIMIT: usize = 64;

/// The work of one crate's expansions, in tokens: produced (what the expanded code holds) and
/// matched (what trying rules costs); both grow with the crate's size.
#[derive(Debug)]
pub(super) struct Fuel {
    produced: usize,
    produce_limit: usize,
    work: usize,
    work_limit: usize,
}

/// A budget ran out: the expansion under way is abandoned.
#[derive(Debug)]
pub(super) struct Exhausted;

impl Fuel {
    pub(super) fn for_source(source_bytes: usize) -> Self {
        Self {
            produced: 0,
            produce_limit: 100_000 + source_bytes / 2,
            work: 0,
            work_limit: 10_000_000 + source_bytes.saturating_mul(16),
        }
    }

    /// Charges matching work.
    pub(super) fn burn(&mut self, tokens: usize) -> Result<(), Exhausted> {
        self.work = self.work.saturating_add(tokens);
        if self.work > self.work_limit {
            return Err(Exhausted);
        }
        Ok(())
    }

    /// Charges tokens written into the expanded code.
    pub(super) fn produce(&mut self, tokens: usize) -> Result<(), Exhausted> {
        self.produced = self.produced.saturating_add(tokens);
        if self.produced > self.produce_limit {
            return Err(Exhausted);
        }
        Ok(())
    }

    /// The bound that ran out, in words, once one has.
    fn limit(&self) -> Option<Limit> {
        if self.produced > self.produce_limit {
            Some(Limit::Produced(self.produce_limit))
        } else if self.work > self.work_limit {
            Some(Limit::Work(self.work_limit))
        } else {
            None
        }
    }

    /// The cut a run out budget makes, at an invocation of `name`.
    pub(super) fn cut(&self, name: &str) -> Option<ExpansionCut> {
        self.limit().map(|limit| ExpansionCut {
            name: name.to_owned(),
            limit,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Limit {
    Depth(usize),
    Nesting(usize),
    Produced(usize),
    Work(usize),
}

/// Where and why expansion stopped, for the crate's run note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExpansionCut {
    /// The macro whose invocation was left unexpanded first.
    name: String,
    limit: Limit,
}

impl ExpansionCut {
    pub(super) fn depth(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            limit: Limit::Depth(DEPTH_LIMIT),
        }
    }

    pub(super) fn nesting(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            limit: Limit::Nesting(MAX_NESTING),
        }
    }

    /// Whether the two stop expansion for the same reason (the note names the first only).
    pub(super) fn same_kind(&self, other: &Self) -> bool {
        std::mem::discriminant(&self.limit) == std::mem::discriminant(&other.limit)
    }
}

impl fmt::Display for ExpansionCut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.name;
        match self.limit {
            Limit::Depth(n) => write!(
                f,
                "expansions of `{name}!` nested deeper than {n} macro calls were left unexpanded"
            ),
            Limit::Nesting(n) => write!(
                f,
                "an expansion of `{name}!` nesting brackets deeper than {n} levels was left \
                 unexpanded"
            ),
            Limit::Produced(n) => write!(
                f,
                "macro expansion reached its limit of {n} tokens at `{name}!`, and later \
                 invocations were left unexpanded"
            ),
            Limit::Work(n) => write!(
                f,
                "matching macro invocations reached its limit of {n} tokens of work at \
                 `{name}!`, and later invocations were left unexpanded"
            ),
        }
    }
}
