//! The `racecheck::explore::harness::Target` an expansion passes: where the explored function
//! lives, read from cargo's build-time variables, so the harness can print a replay command that
//! runs just that binary or test.

use proc_macro2::TokenStream;
use quote::quote;

/// The `Target` expression for the function at `path` (a `&'static str` expression).
pub(crate) fn target_expr(path: TokenStream) -> TokenStream {
    quote! {
        ::racecheck::explore::harness::Target {
            package: ::core::env!("CARGO_PKG_NAME"),
            crate_name: ::core::env!("CARGO_CRATE_NAME"),
            file: ::core::file!(),
            bin: ::core::option_env!("CARGO_BIN_NAME"),
            target_tmpdir: ::core::option_env!("CARGO_TARGET_TMPDIR"),
            path: #path,
        }
    }
}
