//! Where findings in expanded code are shown: at the invocation.
//!
//! Tokens of a macro's own text carry the span of the whole invocation, its arguments their
//! own, so a span the model builds from the first and last tokens of expanded code reaches the
//! start or the end of the invocation exactly when some of it comes from the macro's text. Such a
//! span becomes the invocation (the innermost one, then outward: the whole of it on one line,
//! the `name!` of one written over several); a span that lies in the arguments alone is the
//! user's code and stays as it is.
use super::Expansion;
use crate::diagnostic::{Diagnostic, Span};
use crate::lock_facts::Acquisition;
use std::collections::BTreeSet;

impl Expansion {
    /// Widens the spans of findings in expanded code to their invocations, with a note naming
    /// the macros.
    pub(crate) fn locate(&self, diagnostics: &mut [Diagnostic]) {
        if self.invocations.is_empty() {
            return;
        }
        for diagnostic in diagnostics {
            let mut macros = BTreeSet::new();
            let spans = std::iter::once(&mut diagnostic.primary)
                .chain(diagnostic.secondary.iter_mut().map(|l| &mut l.span))
                .chain(
                    diagnostic
                        .flows
                        .iter_mut()
                        .flat_map(|f| f.steps.iter_mut().map(|s| &mut s.span)),
                );
            for span in spans {
                macros.extend(self.widen(span));
            }
            if !macros.is_empty() {
                let names: Vec<String> = macros.iter().map(|m| format!("`{m}!`")).collect();
                let macros = if names.len() == 1 { "macro" } else { "macros" };
                diagnostic.notes.push(format!(
                    "this is code expanded from the {macros} {} of this crate, shown at the invocation",
                    names.join(", ")
                ));
            }
        }
    }

    /// The same for the acquisitions an editor shows.
    pub(crate) fn locate_acquisitions(&self, acquisitions: &mut [Acquisition]) {
        if self.invocations.is_empty() {
            return;
        }
        for acquisition in acquisitions {
            self.widen(&mut acquisition.span);
            for (_, span) in &mut acquisition.held {
                self.widen(span);
            }
        }
    }

    /// Widens one span; the macros whose invocations it became.
    fn widen(&self, span: &mut Span) -> Vec<&str> {
        let mut around: Vec<(&Span, &(String, Span))> = self
            .invocations
            .iter()
            .filter(|(at, _)| {
                at.file == span.file
                    && at.byte_start <= span.byte_start
                    && span.byte_end <= at.byte_end
            })
            .collect();
        around.sort_by_key(|(at, _)| at.byte_end - at.byte_start);
        let mut macros = Vec::new();
        for (at, (name, shown)) in around {
            if span.byte_start == at.byte_start || span.byte_end == at.byte_end {
                span.clone_from(shown);
                macros.push(name.as_str());
            }
        }
        macros
    }
}
