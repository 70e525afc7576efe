//! Hover on a lock acquisition: the lock, the thread that takes it, the locks already held there,
//! and the lock order those make across the crate — with every place the opposite order is taken,
//! which is how a lock-order inversion looks from one of its acquisitions.
use super::convert::{self, Encoding, Text};
use super::session::Session;
use crate::diagnostic::Span;
use crate::lock_facts::Acquisition;
use gen_lsp_types::{Hover, HoverParams, MarkupContent, MarkupKind};
use std::fmt::Write;

/// At most this many places are listed for one order.
const MAX_PLACES: usize = 5;

pub fn hover(session: &Session, encoding: Encoding, params: &HoverParams) -> Option<Hover> {
    let at = &params.text_document_position_params;
    let location = convert::path(&at.text_document.uri)?;
    let file = session.file(&location)?;
    let text = Text {
        text: &file.text,
        lines: file.lines(),
        encoding,
    };
    let offset = text.offset(at.position);
    let acquisitions = &session.crates_of(&location).next()?.acquisitions;
    let here: Vec<&Acquisition> = acquisitions
        .iter()
        .filter(|a| {
            a.span.file == file.display && a.span.byte_start <= offset && offset <= a.span.byte_end
        })
        .collect();
    let first = here.first()?;
    Some(Hover {
        contents: MarkupContent {
            kind: MarkupKind::Markdown,
            value: describe(&here, acquisitions),
        }
        .into(),
        range: Some(text.range(first.span.byte_start..first.span.byte_end)),
    })
}

/// The hover text for the acquisitions at one place (one per thread that runs it).
fn describe(here: &[&Acquisition], all: &[Acquisition]) -> String {
    let mut out = format!("**racecheck**: acquires `{}`", here[0].lock);
    for acquisition in here {
        let _ = write!(out, "\n\n*in thread `{}`*: ", acquisition.thread);
        if acquisition.held.is_empty() {
            out += "no other lock is held here.";
            continue;
        }
        out += "holding ";
        let held: Vec<String> = acquisition
            .held
            .iter()
            .map(|(lock, span)| format!("`{lock}` (taken at {})", place(span)))
            .collect();
        out += &held.join(", ");
        let _ = write!(out, "\n\nlock order here: ");
        let chain: Vec<String> = acquisition
            .held
            .iter()
            .map(|(lock, _)| format!("`{lock}`"))
            .chain(std::iter::once(format!("`{}`", acquisition.lock)))
            .collect();
        out += &chain.join(" → ");
        for (held, _) in &acquisition.held {
            let reversed = opposite_order(all, &acquisition.lock, held);
            if !reversed.is_empty() {
                let _ = write!(
                    out,
                    "\n\n⚠ the opposite order, `{}` → `{held}`, is taken at {}",
                    acquisition.lock,
                    reversed.join(", ")
                );
            }
        }
    }
    out
}

/// Where `second` is acquired while `first` is held.
fn opposite_order(all: &[Acquisition], first: &str, second: &str) -> Vec<String> {
    let mut places: Vec<String> = all
        .iter()
        .filter(|a| a.lock == second && a.held.iter().any(|(h, _)| h == first))
        .map(|a| format!("{} (thread `{}`)", place(&a.span), a.thread))
        .collect();
    places.dedup();
    if places.len() > MAX_PLACES {
        let more = places.len() - MAX_PLACES;
        places.truncate(MAX_PLACES);
        places.push(format!("and {more} more"));
    }
    places
}

fn place(span: &Span) -> String {
    format!(
        "{}:{}:{}",
        crate::driver::source_map::portable(&span.file),
        span.line_start,
        span.column_start
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn span(line: u32) -> Span {
        Span {
            file: PathBuf::from("src/main.rs"),
            byte_start: 0,
            byte_end: 1,
            line_start: line,
            column_start: 5,
            line_end: line,
            column_end: 6,
        }
    }

    fn acquisition(lock: &str, thread: &str, line: u32, held: &[(&str, u32)]) -> Acquisition {
        Acquisition {
            span: span(line),
            lock: lock.into(),
            thread: thread.into(),
            held: held.iter().map(|&(l, at)| (l.into(), span(at))).collect(),
        }
    }

    #[test]
    fn the_hover_names_held_locks_the_order_and_its_reversal() {
        let all = vec![
            acquisition("A", "main", 3, &[]),
            acquisition("B", "main", 4, &[("A", 3)]),
            acquisition("B", "worker", 9, &[]),
            acquisition("A", "worker", 10, &[("B", 9)]),
        ];
        let text = describe(&[&all[1]], &all);
        assert_eq!(
            text,
            "**racecheck**: acquires `B`\n\n*in thread `main`*: holding `A` (taken at src/main.rs:3:5)\
             \n\nlock order here: `A` → `B`\
             \n\n⚠ the opposite order, `B` → `A`, is taken at src/main.rs:10:5 (thread `worker`)"
        );
        let first = describe(&[&all[0]], &all);
        assert!(first.ends_with("no other lock is held here."), "{first}");
    }
}
