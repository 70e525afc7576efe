//! Writing a rule's transcriber out with the fragments an invocation bound.
//!
//! Every token the transcriber itself holds takes the invocation's span, so that whatever the
//! model reports inside the expansion points at the invocation in the user's file (never into
//! the macro's definition, which may be in another file); the bound fragments keep their own
//! spans, which are the invocation's arguments.
use super::definition::{Repetition, Transcriber};
use super::matcher::{Binding, Bindings};
use proc_macro2::{Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use std::rc::Rc;

/// A transcription: its tokens, how many there are counting inside groups, and how deeply its
/// groups nest.
pub(super) struct Transcription {
    pub tokens: TokenStream,
    pub size: usize,
    pub nesting: usize,
}

/// The expansion, or nothing where rustc would refuse it (a repetition whose variables repeat
/// unequally or not at all, a variable used at a depth it does not repeat to).
pub(super) fn transcribe(
    transcriber: &[Transcriber],
    bindings: &Bindings,
    span: Span,
) -> Option<Transcription> {
    let mut writer = Writer {
        bindings,
        span,
        rounds: Vec::new(),
        size: 0,
        depth: 0,
        nesting: 0,
    };
    let mut out = Vec::new();
    writer.parts(transcriber, &mut out)?;
    Some(Transcription {
        tokens: out.into_iter().collect(),
        size: writer.size,
        nesting: writer.nesting,
    })
}

struct Writer<'b> {
    bindings: &'b Bindings,
    span: Span,
    /// The round of each repetition being written, outermost first.
    rounds: Vec<usize>,
    /// Tokens written so far, counting inside groups: counted as they are written, since
    /// counting a finished stream means copying each of its groups.
    size: usize,
    /// The groups around the token being written, and the deepest nesting written.
    depth: usize,
    nesting: usize,
}

impl Writer<'_> {
    fn parts(&mut self, parts: &[Transcriber], out: &mut Vec<TokenTree>) -> Option<()> {
        for part in parts {
            match part {
                Transcriber::Token(token) => self.own(out, token.clone()),
                Transcriber::Group(delimiter, inner) => {
                    let mut inside = Vec::new();
                    self.depth += 1;
                    self.nesting = self.nesting.max(self.depth);
                    let written = self.parts(inner, &mut inside);
                    self.depth -= 1;
                    written?;
                    let group = Group::new(*delimiter, inside.into_iter().collect());
                    self.own(out, TokenTree::Group(group));
                }
                Transcriber::Crate => {
                    self.own(out, TokenTree::Ident(Ident::new("crate", self.span)))
                }
                Transcriber::Var(name, key) => match self.bindings.get(key) {
                    Some(binding) => {
                        let tokens = self.current(binding).tokens()?;
                        for token in tokens {
                            self.bound(token);
                        }
                        out.extend(tokens.iter().cloned());
                    }
                    None => {
                        self.own(out, TokenTree::Punct(Punct::new('$', Spacing::Alone)));
                        self.own(out, TokenTree::Ident(name.clone()));
                    }
                },
                Transcriber::Repeat(rep) => self.repetition(rep, out)?,
            }
        }
        Some(())
    }

    fn repetition(
        &mut self,
        rep: &Repetition<Transcriber>,
        out: &mut Vec<TokenTree>,
    ) -> Option<()> {
        let count = self.rounds_of(&rep.names)?;
        for round in 0..count {
            if round > 0 {
                for token in &rep.separator {
                    self.own(out, token.clone());
                }
            }
            self.rounds.push(round);
            let written = self.parts(&rep.body, out);
            self.rounds.pop();
            written?;
        }
        Some(())
    }

    /// How many rounds a repetition writes: the one count of the variables in it that still
    /// repeat at this depth.
    fn rounds_of(&self, names: &[Rc<str>]) -> Option<usize> {
        let mut count = None;
        for name in names {
            let Some(binding) = self.bindings.get(name) else {
                continue;
            };
            if let Binding::Seq(rounds) = self.current(binding) {
                match count {
                    None => count = Some(rounds.len()),
                    Some(n) if n != rounds.len() => return None,
                    Some(_) => {}
                }
            }
        }
        count
    }

    /// A binding at the rounds being written (a variable bound outside a repetition is the
    /// same in every round).
    fn current<'b>(&self, mut binding: &'b Binding) -> &'b Binding {
        for &round in &self.rounds {
            match binding {
                Binding::Seq(rounds) => match rounds.get(round) {
                    Some(inner) => binding = inner,
                    None => return binding,
                },
                Binding::One(_) | Binding::Leaf(_) => break,
            }
        }
        binding
    }

    /// Writes a token of the macro's own text, at the invocation's span (a group's contents
    /// are counted as they are written).
    fn own(&mut self, out: &mut Vec<TokenTree>, mut token: TokenTree) {
        token.set_span(self.span);
        self.size += 1;
        out.push(token);
    }

    /// Counts a token of the invocation written out for a fragment, with its group's contents.
    fn bound(&mut self, token: &TokenTree) {
        self.size += 1;
        if let TokenTree::Group(group) = token {
            let (size, nesting) = measure(&group.stream());
            self.size += size;
            self.nesting = self.nesting.max(self.depth + 1 + nesting);
        }
    }
}

/// How many tokens a stream holds, counting inside groups, and how deeply its groups nest.
fn measure(stream: &TokenStream) -> (usize, usize) {
    let mut count = 0;
    let mut deepest = 0;
    let mut stack = vec![(stream.clone().into_iter(), 0)];
    while let Some((trees, depth)) = stack.last_mut() {
        let depth = *depth;
        let Some(tree) = trees.next() else {
            stack.pop();
            continue;
        };
        count += 1;
        if let TokenTree::Group(group) = tree {
            deepest = deepest.max(depth + 1);
            stack.push((group.stream().into_iter(), depth + 1));
        }
    }
    (count, deepest)
}
