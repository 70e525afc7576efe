//! Expansion of the crate's own declarative macros, before anything reads the syntax trees.
//!
//! Every `macro_rules!` definition of the crate is read (`definition`), each invocation is
//! resolved to one (`scope`: textual scope, `#[macro_use]` modules, `#[macro_export]` by
//! path), matched rule by rule (`matcher`: every fragment specifier, repetitions with
//! separators and `*`, `+`, `?`, nested) and transcribed (`transcribe`); the result is parsed as
//! the code its place expects (an expression, statements, items, impl items) and replaces the
//! invocation in the tree, whose walk then goes on inside it (`walk`), so macros that invoke
//! macros expand too. The index and the model then read expanded code as if written out.
//!
//! What stays as written: invocations of macros the crate does not define (`vec!`, `println!`
//! and other crates' macros, whose arguments the model reads as expressions), invocations no
//! rule matches or whose expansion does not parse, macros in type or pattern position, and
//! procedural macros and derives. Hygiene is not modelled: a binding made inside an expansion is
//! the same name as the caller's (rustc would keep them apart), which matters only to code that
//! reuses a name the macro binds.
//!
//! Expanded code points at the invocation: tokens of the macro's own text take the span of the
//! whole invocation, its arguments keep theirs (`spans` widens what the rules report
//! accordingly). Expansion is bounded (`budget`): nested expansions, tokens produced, matching
//! work and bracket nesting; what a bound stops is left unexpanded and the crate's run note
//! says so.
mod budget;
mod definition;
mod matcher;
mod scope;
mod spans;
mod transcribe;
mod walk;

pub(crate) use budget::ExpansionCut;

use crate::diagnostic::{SourceFile, Span};
use crate::frontend::bodies::Bodies;
use crate::frontend::crates::FileTable;
use crate::frontend::span::SpanConverter;
use budget::Fuel;
use scope::Scopes;
use std::collections::HashMap;
use walk::Walker;

/// What expanding one crate's macros did.
#[derive(Debug, Default)]
pub(crate) struct Expansion {
    /// The invocations expanded, by where they are written in the user's files: the macro's
    /// name, and where findings inside are shown.
    invocations: HashMap<Span, (String, Span)>,
    /// The bounds that left invocations unexpanded.
    pub cuts: Vec<ExpansionCut>,
}

/// Where an invocation is written.
struct Invocation {
    whole: Span,
    /// Where findings inside it are shown: the whole invocation when it fits on one line, else
    /// its `name!`.
    shown: Span,
}

/// Expands the crate's `macro_rules!` macros in its parsed files, in place. `files[slot]` is
/// the input (of `sources`) whose tree is `asts[slot]`, `files[0]` the crate's root;
/// `converters[slot]` converts its spans. The function bodies of item expansions are held apart
/// in `bodies`.
pub(crate) fn expand_crate(
    sources: &[SourceFile],
    table: &FileTable,
    files: &[usize],
    roots: &[usize],
    asts: &mut [syn::File],
    converters: &[SpanConverter<'_>],
    bodies: &mut Bodies,
) -> Expansion {
    // Most crates define no macro: a look at their text spares walking their trees.
    let texts = || files.iter().map(|&f| &*sources[f].text);
    if !texts().any(|text| text.contains("macro_rules")) {
        return Expansion::default();
    }
    let scopes = Scopes::new(asts);
    if scopes.is_empty() || asts.is_empty() {
        return Expansion::default();
    }
    let source_bytes = texts().map(str::len).sum();
    let mut walker = Walker {
        table,
        files,
        slots: files
            .iter()
            .enumerate()
            .map(|(slot, &f)| (f, slot))
            .collect(),
        roots,
        loaded: vec![false; asts.len()],
        asts,
        converters,
        bodies,
        scopes,
        fuel: Fuel::for_source(source_bytes),
        depth: 0,
        nesting: 0,
        slot: 0,
        inline: Vec::new(),
        out: Expansion::default(),
    };
    // Each crate's macros in its own textual scope: a library's do not leak into the program.
    for &root in roots {
        let mark = walker.scopes.enter();
        walker.load_file(root);
        walker.scopes.leave(mark);
    }
    walker.out
}

#[cfg(test)]
mod tests;
