//! Writing a rule's transcriber out with the fragments an invocation bound.
//!
//! Every token the transcriber itself holds takes the invocation's span, so that whatever the
//! model reports inside the expansion points at the invocation in the user's file (never into
//! the macro's definition, which may be in another file); the bound fragments keep their own
//! spans, which are the invocation's arguments.
use super::definition::{Repetition, Transcriber};
use super::matcher::{Binding, Bindings};
use proc_macro2::{Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};

/// The expansion, or nothing where rustc would refuse it (a repetition whose variables repeat
/// unequally or not at all, a variable used at a depth it does not repeat to).
pub(super) fn transcribe(
    transcriber: &[Transcriber],
    bindings: &Bindings,
    span: Span,
) -> Option<TokenStream> {
    let mut writer = Writer {
        bindings,
        span,
        rounds: Vec::new(),
    };
    let mut out = Vec::new();
    writer.parts(transcriber, &mut out)?;
    Some(out.into_iter().collect())
}

struct Writer<'b> {
    bindings: &'b Bindings,
    span: Span,
    /// The round of each repetition being written, outermost first.
    rounds: Vec<usize>,
}

impl Writer<'_> {
    fn parts(&mut self, parts: &[Transcriber], out: &mut Vec<TokenTree>) -> Option<()> {
        for part in parts {
            match part {
                Transcriber::Token(token) => out.push(self.respanned(token.clone())),
                Transcriber::Group(delimiter, inner) => {
                    let mut inside = Vec::new();
                    self.parts(inner, &mut inside)?;
                    let mut group = Group::new(*delimiter, inside.into_iter().collect());
                    group.set_span(self.span);
                    out.push(TokenTree::Group(group));
                }
                Transcriber::Crate => out.push(TokenTree::Ident(Ident::new("crate", self.span))),
                Transcriber::Var(name) => match self.bindings.get(&name.to_string()) {
                    Some(binding) => match self.current(binding) {
                        Binding::Leaf(tokens) => out.extend(tokens.iter().cloned()),
                        Binding::Seq(_) => return None,
                    },
                    None => {
                        out.push(TokenTree::Punct(Punct::new('$', Spacing::Alone)));
                        out.push(TokenTree::Ident(name.clone()));
                        let n = out.len();
                        for token in &mut out[n - 2..] {
                            token.set_span(self.span);
                        }
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
        let count = self.rounds_of(&rep.body)?;
        for round in 0..count {
            if round > 0 {
                out.extend(rep.separator.iter().map(|t| self.respanned(t.clone())));
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
    fn rounds_of(&self, body: &[Transcriber]) -> Option<usize> {
        let mut names = Vec::new();
        Transcriber::names(body, &mut names);
        let mut count = None;
        for name in names {
            let Some(binding) = self.bindings.get(&name) else {
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
                Binding::Leaf(_) => break,
            }
        }
        binding
    }

    fn respanned(&self, mut token: TokenTree) -> TokenTree {
        token.set_span(self.span);
        token
    }
}

/// How many tokens a stream holds, counting inside groups, and how deeply its groups nest;
/// `None` once the count passes `most`.
pub(super) fn measure(stream: &TokenStream, most: usize) -> Option<(usize, usize)> {
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
        if count > most {
            return None;
        }
        if let TokenTree::Group(group) = tree {
            deepest = deepest.max(depth + 1);
            stack.push((group.stream().into_iter(), depth + 1));
        }
    }
    Some((count, deepest))
}
