//! Where the function bodies of a file are, found in its tokens before it is parsed.
//!
//! An item list (a file, an inline module, an impl or trait block) is cut into items by their
//! leading words, after attributes, visibility and qualifiers (`pub(crate) const unsafe
//! extern "C"`): a function's body is its first brace group outside angle brackets (`-> Foo<{ N }>`
//! is no body); a module, impl or trait is an item list in turn; `static`, `const`, `use` and
//! `type` end at their `;`; anything else (a struct, an enum, a foreign block, a macro
//! invocation) at its first brace group or `;`. A list that does not cut into items this way is
//! left as it is, and whatever the cut, the parse of the result checks it (see `parse.rs`).
use super::Taker;
use crate::frontend::span::SpanConverter;
use proc_macro2::{Delimiter, Group, Spacing, Span, TokenStream, TokenTree};

/// `stream` (an item list of the file `converter` converts) with the bodies of its functions,
/// and of the functions of its modules, impl and trait blocks, offered to `taker`. In a file or
/// a module (`free`: its functions are free functions), a function is offered whole first, and
/// so is a struct with named fields: a run of items taken whole leaves one marker item in their
/// place (see `Taker::marker`).
pub(crate) fn take_bodies(
    stream: TokenStream,
    taker: &mut Taker<'_>,
    converter: &SpanConverter<'_>,
    free: bool,
) -> TokenStream {
    let tokens: Vec<TokenTree> = stream.into_iter().collect();
    let Some(found) = bodies_of(&tokens) else {
        return tokens.into_iter().collect();
    };
    let mut out = Vec::with_capacity(tokens.len());
    let mut tokens = tokens.into_iter();
    let mut next = 0;
    // The run of items taken whole: its first index, its length, where it starts.
    let mut run: Option<(u32, u32, Span)> = None;
    for item in found {
        if item.start > next {
            close_run(&mut run, taker, &mut out);
        }
        out.extend(tokens.by_ref().take(item.start - next));
        let mut head: Vec<TokenTree> = tokens.by_ref().take(item.end - item.start).collect();
        next = item.end + 1;
        // `bodies_of` ends each item at a brace group.
        let group = match tokens.next() {
            Some(TokenTree::Group(group)) => group,
            other => {
                close_run(&mut run, taker, &mut out);
                out.append(&mut head);
                out.extend(other);
                continue;
            }
        };
        let group = match item.role {
            Role::FnBody | Role::Struct if free => {
                let span = head.first().map_or(group.span(), TokenTree::span);
                let word = item.word - item.start;
                let taken = if item.role == Role::Struct {
                    taker.take_struct(head, word, group, converter)
                } else {
                    taker.take_fn(head, word, group, converter)
                };
                match taken {
                    Ok(index) => {
                        let (_, count, _) = run.get_or_insert((index, 0, span));
                        *count += 1;
                        continue;
                    }
                    Err((given, group)) => {
                        head = given;
                        group
                    }
                }
            }
            _ => group,
        };
        close_run(&mut run, taker, &mut out);
        out.append(&mut head);
        out.push(TokenTree::Group(match item.role {
            Role::Struct => group,
            Role::FnBody => {
                let bytes = converter.bytes(group.span());
                taker.take(group, bytes)
            }
            Role::Items { module } => {
                let span = group.span();
                let items = group.stream();
                drop(group);
                let mut group = Group::new(
                    Delimiter::Brace,
                    take_bodies(items, taker, converter, module),
                );
                group.set_span(span);
                group
            }
        }));
    }
    close_run(&mut run, taker, &mut out);
    out.extend(tokens);
    out.into_iter().collect()
}

/// `stream` (the items or impl items an expansion produced) with the body of each of its
/// functions, and of the functions of its module, impl and trait blocks, given to `defer`,
/// which returns what stands in its place. A list that does not cut into items is left as it
/// is.
pub(crate) fn defer_expanded_bodies(
    stream: TokenStream,
    defer: &mut dyn FnMut(Group) -> Group,
) -> TokenStream {
    let mut tokens: Vec<TokenTree> = stream.into_iter().collect();
    let Some(found) = bodies_of(&tokens) else {
        return tokens.into_iter().collect();
    };
    for item in found {
        // `bodies_of` ends each item at a brace group.
        let TokenTree::Group(group) = &tokens[item.end] else {
            continue;
        };
        let replaced = match item.role {
            Role::FnBody => defer(group.clone()),
            Role::Items { .. } => {
                let mut items = Group::new(
                    Delimiter::Brace,
                    defer_expanded_bodies(group.stream(), defer),
                );
                items.set_span(group.span());
                items
            }
            Role::Struct => continue,
        };
        tokens[item.end] = TokenTree::Group(replaced);
    }
    tokens.into_iter().collect()
}

fn close_run(run: &mut Option<(u32, u32, Span)>, taker: &Taker<'_>, out: &mut Vec<TokenTree>) {
    if let Some((first, count, span)) = run.take() {
        out.extend(taker.marker(first, count, span));
    }
}

/// What a brace group of an item list is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    FnBody,
    /// The fields of a struct.
    Struct,
    /// The items of a module (`module`), impl or trait.
    Items {
        module: bool,
    },
}

/// How an item ends, told by its leading word.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Fn,
    /// A struct: ends as [`Kind::Braced`] does.
    Struct,
    /// A module (`module`), impl or trait.
    Items {
        module: bool,
    },
    /// At its `;`.
    Semi,
    /// At its first brace group outside angle brackets, or its `;`.
    Braced,
}

/// An item of a list that ends at a function body or an item list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Found {
    /// Its first token (of its attributes, if any).
    start: usize,
    /// The word that tells its kind.
    word: usize,
    /// The brace group it ends at.
    end: usize,
    role: Role,
}

/// The function bodies, struct fields and item lists among the brace groups of an item list, in
/// order; `None` when the list does not cut into items.
fn bodies_of(tokens: &[TokenTree]) -> Option<Vec<Found>> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < tokens.len() {
        let start = at;
        at = after_attributes(tokens, at);
        let (kind, word) = kind_at(tokens, at)?;
        let end = end_of(tokens, word + 1, kind != Kind::Semi)?;
        let braced =
            matches!(&tokens[end], TokenTree::Group(g) if g.delimiter() == Delimiter::Brace);
        let role = match kind {
            Kind::Fn if braced => Some(Role::FnBody),
            Kind::Struct if braced => Some(Role::Struct),
            Kind::Items { module } if braced => Some(Role::Items { module }),
            _ => None,
        };
        if let Some(role) = role {
            found.push(Found {
                start,
                word,
                end,
                role,
            });
        }
        at = end + 1;
    }
    Some(found)
}

/// The index past the attributes (`#[…]`, `#![…]`) starting at `at`.
fn after_attributes(tokens: &[TokenTree], mut at: usize) -> usize {
    loop {
        let mut next = at;
        if !is_punct(tokens.get(next), '#') {
            return at;
        }
        next += 1;
        if is_punct(tokens.get(next), '!') {
            next += 1;
        }
        match tokens.get(next) {
            Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Bracket => at = next + 1,
            _ => return at,
        }
    }
}

/// The kind of the item whose visibility and qualifiers start at `at`, and the index of the
/// word that tells it.
fn kind_at(tokens: &[TokenTree], mut at: usize) -> Option<(Kind, usize)> {
    loop {
        let word = match tokens.get(at)? {
            TokenTree::Ident(word) => word.to_string(),
            // A macro invocation by a path from the root (`::m! { … }`).
            token if is_punct(Some(token), ':') => return Some((Kind::Braced, at)),
            _ => return None,
        };
        let next = tokens.get(at + 1);
        let next_is = |words: &[&str]| matches!(next, Some(TokenTree::Ident(next)) if words.iter().any(|w| next == w));
        let qualifier = match word.as_str() {
            "fn" => return Some((Kind::Fn, at)),
            "mod" => return Some((Kind::Items { module: true }, at)),
            "struct" => return Some((Kind::Struct, at)),
            "impl" | "trait" => return Some((Kind::Items { module: false }, at)),
            "static" | "use" | "type" => return Some((Kind::Semi, at)),
            "const" if !next_is(&["fn", "unsafe", "async", "extern", "safe"]) => {
                return Some((Kind::Semi, at))
            }
            "extern" if next_is(&["crate"]) => return Some((Kind::Semi, at)),
            "extern" => {
                let abi = usize::from(matches!(next, Some(TokenTree::Literal(_))));
                if !matches!(tokens.get(at + 1 + abi), Some(TokenTree::Ident(_))) {
                    // A foreign block.
                    return Some((Kind::Braced, at));
                }
                1 + abi
            }
            "pub" => {
                let restricted = matches!(next, Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis);
                1 + usize::from(restricted)
            }
            "const" | "default" | "async" | "unsafe" | "safe" | "auto"
                if matches!(next, Some(TokenTree::Ident(_))) =>
            {
                1
            }
            _ => return Some((Kind::Braced, at)),
        };
        at += qualifier;
    }
}

/// The index of the token that ends an item whose leading word is before `from`: its `;`, or,
/// when `braces` end it, its first brace group outside angle brackets.
fn end_of(tokens: &[TokenTree], from: usize, braces: bool) -> Option<usize> {
    let mut angles = 0usize;
    for (at, token) in tokens.iter().enumerate().skip(from) {
        match token {
            TokenTree::Punct(p) if p.as_char() == ';' => return Some(at),
            TokenTree::Punct(p) if p.as_char() == '<' => angles += 1,
            // Not the `>` of `->`.
            TokenTree::Punct(p) if p.as_char() == '>' && !is_arrow_head(tokens, at) => {
                angles = angles.saturating_sub(1);
            }
            TokenTree::Group(g) if braces && angles == 0 && g.delimiter() == Delimiter::Brace => {
                return Some(at)
            }
            _ => {}
        }
    }
    None
}

fn is_arrow_head(tokens: &[TokenTree], at: usize) -> bool {
    at > 0
        && matches!(&tokens[at - 1], TokenTree::Punct(p) if p.as_char() == '-' && p.spacing() == Spacing::Joint)
}

fn is_punct(token: Option<&TokenTree>, c: char) -> bool {
    matches!(token, Some(TokenTree::Punct(p)) if p.as_char() == c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    /// The text of each function body and item list found in `text`.
    fn found(text: &str) -> Vec<(Role, String)> {
        let tokens: Vec<TokenTree> = TokenStream::from_str(text).unwrap().into_iter().collect();
        bodies_of(&tokens)
            .unwrap()
            .into_iter()
            .map(|found| (found.role, tokens[found.end].to_string()))
            .collect()
    }

    #[test]
    fn bodies_are_found_after_any_signature_and_never_in_other_items() {
        let text = "#![allow(x)]\n#[inline] pub(crate) const unsafe extern \"C\" fn a<T: Fn() -> u8>(x: [u8; { 2 }]) -> Foo<{ N }> where T: Bar<{ 1 }> { body_a() }\n\
                    const C: S = S { c: 1 };\nconst _: () = { fn hidden() {} };\nstatic F: fn() = f;\nuse a::{b, c};\n\
                    struct S { f: fn() }\nstruct T(u8);\nenum E { A }\nextern \"C\" { fn ext(); }\nextern crate core;\n\
                    m! { fn in_macro() {} }\nn!(fn in_macro2() {});\nmacro_rules! r { () => {} }\n\
                    impl<T> Tr for fn(T) where T: Fn(u8) -> u8 { fn m(&self) { body_m() } }\n\
                    trait Tr { fn decl(&self); fn dflt(&self) { body_d() } }\nmod inner { }\n\
                    async fn b() { body_b() }\n";
        let found = found(text);
        let roles: Vec<Role> = found.iter().map(|(role, _)| *role).collect();
        assert_eq!(
            roles,
            [
                Role::FnBody,
                Role::Struct,
                Role::Items { module: false },
                Role::Items { module: false },
                Role::Items { module: true },
                Role::FnBody
            ]
        );
        assert_eq!(found[0].1, "{ body_a () }");
        assert_eq!(found[1].1, "{ f : fn () }");
        assert_eq!(found[5].1, "{ body_b () }");
        assert!(found[2].1.contains("body_m"));
        assert!(found[3].1.contains("body_d"));
    }

    #[test]
    fn a_list_that_does_not_cut_into_items_is_refused() {
        let tokens: Vec<TokenTree> = TokenStream::from_str("fn f() -> u8")
            .unwrap()
            .into_iter()
            .collect();
        assert_eq!(bodies_of(&tokens), None);
    }
}
