//! The arguments of `#[racecheck::test(...)]`, parsed into the `Config` expression they stand for.

use proc_macro2::{Literal, TokenStream};
use quote::{quote, ToTokens};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::spanned::Spanned;
use syn::{Expr, ExprLit, Lit, Meta, MetaNameValue, Token};

const KEYS: &str = "`schedules`, `strategy`, `depth`, `seed`, `max_steps`";

/// The exploration strategy an attribute names.
#[derive(Debug, PartialEq, Eq)]
enum StrategyArg {
    Portfolio,
    Random,
    Pct,
    Targeted,
}

/// The exploration settings written in the attribute; `None` keeps `Config::default()`'s value.
#[derive(Debug, Default)]
pub(crate) struct ExploreArgs {
    schedules: Option<usize>,
    strategy: Option<StrategyArg>,
    depth: Option<usize>,
    seed: Option<u64>,
    max_steps: Option<usize>,
}

impl ExploreArgs {
    /// Parses `key = value, …`, reporting every bad argument at once, each at its own span.
    pub(crate) fn parse(args: TokenStream) -> syn::Result<Self> {
        let metas = Punctuated::<Meta, Token![,]>::parse_terminated.parse2(args)?;
        let mut parsed = ExploreArgs::default();
        let mut depth_span = None;
        let mut errors = Errors::default();
        for meta in metas {
            let Meta::NameValue(MetaNameValue { path, value, .. }) = meta else {
                errors.push(syn::Error::new(
                    meta.span(),
                    format!("expected `key = value`, where key is one of {KEYS}"),
                ));
                continue;
            };
            let Some(key) = path.get_ident().map(ToString::to_string) else {
                errors.push(unknown_key(&path));
                continue;
            };
            let outcome = match key.as_str() {
                "schedules" => positive(&key, &value).map(|n| set(&mut parsed.schedules, n)),
                "max_steps" => positive(&key, &value).map(|n| set(&mut parsed.max_steps, n)),
                "depth" => positive(&key, &value).map(|n| {
                    depth_span = Some(path.span());
                    set(&mut parsed.depth, n)
                }),
                "seed" => integer::<u64>(&key, &value).map(|n| set(&mut parsed.seed, n)),
                "strategy" => strategy(&value).map(|s| set(&mut parsed.strategy, s)),
                _ => Err(unknown_key(&path)),
            };
            match outcome {
                Ok(true) => {}
                Ok(false) => errors.push(syn::Error::new(
                    path.span(),
                    format!("`{key}` is given more than once"),
                )),
                Err(error) => errors.push(error),
            }
        }
        if let Some(span) = depth_span {
            if parsed.strategy != Some(StrategyArg::Pct) {
                errors.push(syn::Error::new(
                    span,
                    "`depth` applies only to `strategy = \"pct\"`",
                ));
            }
        }
        errors.finish(parsed)
    }

    /// The `racecheck::explore::Config` these arguments describe.
    pub(crate) fn config_expr(&self) -> TokenStream {
        let mut expr = quote!(::racecheck::explore::Config::default());
        if let Some(n) = self.schedules {
            let n = Literal::usize_unsuffixed(n);
            expr = quote!(#expr.schedules(#n));
        }
        if let Some(strategy) = &self.strategy {
            let strategy = match strategy {
                StrategyArg::Portfolio => quote!(::racecheck::explore::Strategy::Portfolio),
                StrategyArg::Random => quote!(::racecheck::explore::Strategy::Random),
                StrategyArg::Pct => {
                    // Without `depth`, the engine's default: one definition of "pct".
                    let depth = self.depth.map_or_else(
                        || quote!(::racecheck::explore::DEFAULT_PCT_DEPTH),
                        |depth| Literal::usize_unsuffixed(depth).into_token_stream(),
                    );
                    quote!(::racecheck::explore::Strategy::Pct { depth: #depth })
                }
                StrategyArg::Targeted => {
                    quote!(::racecheck::explore::Strategy::Targeted(
                        ::std::vec::Vec::new()
                    ))
                }
            };
            expr = quote!(#expr.strategy(#strategy));
        }
        if let Some(seed) = self.seed {
            let seed = Literal::u64_suffixed(seed);
            expr = quote!(#expr.seed(#seed));
        }
        if let Some(n) = self.max_steps {
            let n = Literal::usize_unsuffixed(n);
            expr = quote!(#expr.max_steps(#n));
        }
        expr
    }
}

/// Stores `value` unless the slot is already taken; `false` means the key was repeated.
fn set<T>(slot: &mut Option<T>, value: T) -> bool {
    slot.replace(value).is_none()
}

fn unknown_key(path: &syn::Path) -> syn::Error {
    let name = quote!(#path).to_string().replace(' ', "");
    syn::Error::new(
        path.span(),
        format!("unknown argument `{name}`; expected one of {KEYS}"),
    )
}

fn integer<N>(key: &str, value: &Expr) -> syn::Result<N>
where
    N: std::str::FromStr,
    N::Err: std::fmt::Display,
{
    match value {
        // syn reads `-1` as one negative literal, which `base10_parse` would call an invalid digit.
        Expr::Lit(ExprLit {
            lit: Lit::Int(int), ..
        }) if !int.base10_digits().starts_with('-') => int.base10_parse::<N>().map_err(|error| {
            syn::Error::new(int.span(), format!("`{key}` is out of range: {error}"))
        }),
        _ => Err(syn::Error::new(
            value.span(),
            format!("`{key}` expects a non-negative integer literal, e.g. `{key} = 100`"),
        )),
    }
}

fn positive(key: &str, value: &Expr) -> syn::Result<usize> {
    let n = integer::<usize>(key, value)?;
    if n == 0 {
        return Err(syn::Error::new(
            value.span(),
            format!("`{key}` must be at least 1"),
        ));
    }
    Ok(n)
}

fn strategy(value: &Expr) -> syn::Result<StrategyArg> {
    const EXPECTED: &str = "`strategy` expects \"portfolio\", \"random\", \"pct\" or \"targeted\"";
    let Expr::Lit(ExprLit {
        lit: Lit::Str(name),
        ..
    }) = value
    else {
        return Err(syn::Error::new(value.span(), EXPECTED));
    };
    match name.value().as_str() {
        "portfolio" => Ok(StrategyArg::Portfolio),
        "random" => Ok(StrategyArg::Random),
        "pct" => Ok(StrategyArg::Pct),
        "targeted" => Ok(StrategyArg::Targeted),
        other => Err(syn::Error::new(
            name.span(),
            format!("unknown strategy \"{other}\"; {EXPECTED}"),
        )),
    }
}

/// Collects every error so one compilation reports all bad arguments.
#[derive(Default)]
pub(crate) struct Errors(Option<syn::Error>);

impl Errors {
    pub(crate) fn push(&mut self, error: syn::Error) {
        match &mut self.0 {
            Some(first) => first.combine(error),
            None => self.0 = Some(error),
        }
    }

    pub(crate) fn finish<T>(self, value: T) -> syn::Result<T> {
        self.0.map_or(Ok(value), Err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(args: TokenStream) -> String {
        ExploreArgs::parse(args)
            .expect("valid arguments")
            .config_expr()
            .to_string()
            .replace(' ', "")
    }

    fn errors(args: TokenStream) -> Vec<String> {
        let error = ExploreArgs::parse(args).expect_err("invalid arguments");
        error.into_iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn no_arguments_keep_the_defaults() {
        assert_eq!(config(quote!()), "::racecheck::explore::Config::default()");
    }

    #[test]
    fn every_argument_becomes_a_builder_call() {
        assert_eq!(
            config(quote!(
                schedules = 500,
                strategy = "pct",
                depth = 2,
                seed = 7,
                max_steps = 1_000
            )),
            "::racecheck::explore::Config::default().schedules(500)\
             .strategy(::racecheck::explore::Strategy::Pct{depth:2}).seed(7u64).max_steps(1000)"
        );
    }

    #[test]
    fn pct_without_depth_uses_the_engine_default_depth() {
        assert!(config(quote!(strategy = "pct"))
            .contains("Pct{depth:::racecheck::explore::DEFAULT_PCT_DEPTH}"));
    }

    #[test]
    fn targeted_starts_with_no_targets() {
        assert!(config(quote!(strategy = "targeted")).contains("Targeted(::std::vec::Vec::new())"));
    }

    #[test]
    fn every_bad_argument_is_reported() {
        let errors = errors(quote!(
            schedules = "many",
            colour = 1,
            seed = 3,
            seed = 4,
            depth = 2
        ));
        assert_eq!(
            errors,
            [
                "`schedules` expects a non-negative integer literal, e.g. `schedules = 100`",
                "unknown argument `colour`; expected one of `schedules`, `strategy`, `depth`, `seed`, `max_steps`",
                "`seed` is given more than once",
                "`depth` applies only to `strategy = \"pct\"`",
            ]
        );
    }

    #[test]
    fn zero_and_negative_counts_are_rejected() {
        assert_eq!(
            errors(quote!(schedules = 0)),
            ["`schedules` must be at least 1"]
        );
        assert_eq!(
            errors(quote!(seed = -1)),
            ["`seed` expects a non-negative integer literal, e.g. `seed = 100`"]
        );
    }

    #[test]
    fn an_unknown_strategy_names_the_choices() {
        assert_eq!(
            errors(quote!(strategy = "dfs")),
            ["unknown strategy \"dfs\"; `strategy` expects \"portfolio\", \"random\", \"pct\" or \"targeted\""]
        );
    }

    #[test]
    fn a_bare_key_asks_for_a_value() {
        assert_eq!(
            errors(quote!(schedules)),
            ["expected `key = value`, where key is one of `schedules`, `strategy`, `depth`, `seed`, `max_steps`"]
        );
    }

    #[test]
    fn out_of_range_integers_are_rejected() {
        assert_eq!(
            errors(quote!(seed = 99999999999999999999999)),
            ["`seed` is out of range: number too large to fit in target type"]
        );
    }
}
