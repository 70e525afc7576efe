//! What both attributes require of the function they mark: a plain, synchronous, non-generic
//! function without parameters, since the explorer calls its body again for every schedule.

use proc_macro2::TokenStream;
use syn::spanned::Spanned;
use syn::{Item, ItemFn};

use crate::explore_args::Errors;

/// Parses the marked item as a function and checks its shape; `attribute` names the attribute in
/// messages (`#[racecheck::test]`).
pub(crate) fn parse_fn(attribute: &str, item: TokenStream) -> syn::Result<ItemFn> {
    let function = match syn::parse2::<Item>(item)? {
        Item::Fn(function) => function,
        other => {
            return Err(syn::Error::new(
                other.span(),
                format!("`{attribute}` applies to a function"),
            ))
        }
    };
    let sig = &function.sig;
    let mut errors = Errors::default();
    if let Some(asyncness) = &sig.asyncness {
        errors.push(syn::Error::new(
            asyncness.span(),
            format!(
                "`{attribute}` does not support `async fn`: racecheck schedules its own threads"
            ),
        ));
    }
    if let Some(constness) = &sig.constness {
        errors.push(syn::Error::new(
            constness.span(),
            format!("`{attribute}` does not support `const fn`"),
        ));
    }
    if let Some(unsafety) = &sig.unsafety {
        errors.push(syn::Error::new(
            unsafety.span(),
            format!("`{attribute}` does not support `unsafe fn`"),
        ));
    }
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        errors.push(syn::Error::new(
            sig.generics.span(),
            format!("`{attribute}` does not support generic functions"),
        ));
    }
    if !sig.inputs.is_empty() || sig.variadic.is_some() {
        errors.push(syn::Error::new(
            sig.inputs.span(),
            format!("`{attribute}` functions take no parameters"),
        ));
    }
    errors.finish(function)
}
