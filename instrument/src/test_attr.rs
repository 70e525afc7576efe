//! `#[racecheck::test]`: a `#[test]` whose body runs under the explorer.

use proc_macro2::TokenStream;
use quote::quote;
use syn::ItemFn;

use crate::explore_args::ExploreArgs;
use crate::fn_shape;
use crate::target::target_expr;

const ATTRIBUTE: &str = "#[racecheck::test]";

pub(crate) fn expand(args: TokenStream, item: TokenStream) -> TokenStream {
    match validate(args, item.clone()) {
        Ok((args, function)) => explored_test(&args, function),
        Err(errors) => {
            let errors = errors.into_compile_error();
            // Keep the item so the only errors shown are ours, not "cannot find function" ones.
            quote!(#errors #item)
        }
    }
}

/// Checks the arguments and the function together, so one build reports the mistakes of both.
fn validate(args: TokenStream, item: TokenStream) -> syn::Result<(ExploreArgs, ItemFn)> {
    match (
        ExploreArgs::parse(args),
        fn_shape::parse_fn(ATTRIBUTE, item),
    ) {
        (Ok(args), Ok(function)) => Ok((args, function)),
        (Err(mut error), Err(other)) => {
            error.combine(other);
            Err(error)
        }
        (Err(error), Ok(_)) | (Ok(_), Err(error)) => Err(error),
    }
}

/// The original body becomes a nested function that the harness calls once per schedule; the
/// outer function is the `#[test]` and keeps the user's other attributes (`#[should_panic]`,
/// `#[ignore]`, docs …).
fn explored_test(args: &ExploreArgs, function: ItemFn) -> TokenStream {
    let ItemFn {
        attrs,
        vis,
        sig,
        block,
    } = function;
    let name = &sig.ident;
    let output = &sig.output;
    let config = args.config_expr();
    let target = target_expr(quote!(::core::concat!(
        ::core::module_path!(),
        "::",
        ::core::stringify!(#name)
    )));
    quote! {
        #[test]
        #(#attrs)*
        #vis fn #name() {
            fn __racecheck_test_body() #output #block
            // In a child started by `racecheck::Process` (this test run again), runs its
            // function and exits.
            ::racecheck::child_main();
            ::racecheck::explore::harness::run_test(
                #target,
                #config,
                || ::racecheck::explore::harness::check_outcome(__racecheck_test_body()),
            );
        }
    }
}
