//! `#[racecheck::main]`: a binary's `main` that runs normally, or under the explorer when the
//! environment asks for it.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::ItemFn;

use crate::fn_shape;
use crate::target::target_expr;

const ATTRIBUTE: &str = "#[racecheck::main]";

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    match validate(args, item.clone()) {
        Ok(function) => explorable_main(function),
        Err(errors) => {
            let errors = errors.into_compile_error();
            // Keep the item so no "`main` function not found" follows our errors.
            quote!(#errors #item)
        }
    }
}

/// Checks the (absent) arguments and the function together, reporting both kinds of mistake.
fn validate(args: TokenStream, item: TokenStream) -> syn::Result<ItemFn> {
    let args_error = (!args.is_empty()).then(|| {
        syn::Error::new(
            args.span(),
            "`#[racecheck::main]` takes no arguments; set RACECHECK_SCHEDULES, RACECHECK_SEED or \
             RACECHECK_STRATEGY in the environment instead",
        )
    });
    let function = fn_shape::parse_fn(ATTRIBUTE, item).and_then(|function| {
        if function.sig.ident == "main" {
            Ok(function)
        } else {
            Err(syn::Error::new(
                function.sig.ident.span(),
                "`#[racecheck::main]` applies to `fn main`; use `#[racecheck::test]` for tests",
            ))
        }
    });
    match (args_error, function) {
        (None, function) => function,
        (Some(mut error), Err(other)) => {
            error.combine(other);
            Err(error)
        }
        (Some(error), Ok(_)) => Err(error),
    }
}

/// `main`'s body becomes a nested function: called once directly, or handed to the harness, which
/// explores it and never returns.
fn explorable_main(function: ItemFn) -> TokenStream {
    let ItemFn {
        attrs,
        vis,
        sig,
        block,
    } = function;
    let output = &sig.output;
    let target = target_expr(quote!(::core::module_path!()));
    quote! {
        #(#attrs)*
        #vis fn main() #output {
            fn __racecheck_main_body() #output #block
            // In a child started by `racecheck::Process`, runs its function and exits.
            ::racecheck::child_main();
            if ::racecheck::explore::harness::exploration_requested() {
                ::racecheck::explore::harness::run_main(
                    #target,
                    || ::racecheck::explore::harness::check_outcome(__racecheck_main_body()),
                );
            }
            __racecheck_main_body()
        }
    }
}
