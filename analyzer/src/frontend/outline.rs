//! The first pass over every file: parse it, report parse errors, and keep only what the crate
//! structure needs (its out-of-line `mod` declarations) and whether racecheck is named at all.
use super::span::SpanConverter;
use crate::diagnostic::{InputError, SourceFile};

/// An out-of-line `mod name;` item, with where it sits in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModDecl {
    /// The inline modules (`mod a { mod b { … } }`) enclosing the declaration, outermost first.
    pub inline_path: Vec<String>,
    pub name: String,
    /// The value of a `#[path = "…"]` attribute on the item.
    pub path_attr: Option<String>,
}

/// What the rest of the analysis needs to know about one file without its syntax tree.
#[derive(Debug, Clone, Default)]
pub(crate) struct Outline {
    pub parsed: bool,
    pub mods: Vec<ModDecl>,
    /// The file names racecheck somewhere; crates in which no file does hold no primitive and
    /// are not modelled.
    pub mentions_racecheck: bool,
}

/// Parses one file into its outline, or the error that stopped the parse.
pub(crate) fn outline_file(file: &SourceFile) -> Result<Outline, InputError> {
    let result = match syn::parse_file(&file.text) {
        Ok(ast) => {
            let mut mods = Vec::new();
            collect_mods(&ast.items, &mut Vec::new(), &mut mods);
            Ok(Outline {
                parsed: true,
                mods,
                mentions_racecheck: file.text.contains("racecheck"),
            })
        }
        Err(error) => Err(InputError {
            path: file.path.clone(),
            span: Some(SpanConverter::new(file).span(error.span())),
            message: format!("cannot parse: {error}"),
        }),
    };
    // Every span of this file is gone (converted or dropped): let proc-macro2 forget the file.
    proc_macro2::extra::invalidate_current_thread_spans();
    result
}

fn collect_mods(items: &[syn::Item], inline_path: &mut Vec<String>, out: &mut Vec<ModDecl>) {
    for item in items {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        let name = module.ident.to_string();
        match &module.content {
            Some((_, items)) => {
                inline_path.push(name);
                collect_mods(items, inline_path, out);
                inline_path.pop();
            }
            None => out.push(ModDecl {
                inline_path: inline_path.clone(),
                name,
                path_attr: path_attribute(&module.attrs),
            }),
        }
    }
}

/// The string of a `#[path = "…"]` attribute, if the item has one.
pub(crate) fn path_attribute(attrs: &[syn::Attribute]) -> Option<String> {
    attrs.iter().find_map(|attr| match &attr.meta {
        syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match &nv.value {
            syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    })
}
