//! `#[racecheck::test]` and `#[racecheck::main]`. SKELETON: pass-through until the exploration work.
use proc_macro::TokenStream;

#[proc_macro_attribute]
pub fn test(_args: TokenStream, item: TokenStream) -> TokenStream {
    let item = proc_macro2::TokenStream::from(item);
    quote::quote!(#[test] #item).into()
}

#[proc_macro_attribute]
pub fn main(_args: TokenStream, item: TokenStream) -> TokenStream {
    item
}
