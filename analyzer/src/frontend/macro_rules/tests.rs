use super::budget::Fuel;
use super::definition::read;
use super::matcher::{match_rule, Input};
use super::transcribe::transcribe;
use super::walk::{lone_invocation, to_the_end};
use crate::analysis::analyze;
use crate::analysis::tests::{at, file, found};
use crate::diagnostic::SourceFile;
use proc_macro2::{Span, TokenStream, TokenTree};
use syn::parse::Parser;

/// The expansion of `invocation` (the tokens between its brackets) by the macro `definition`,
/// as text; `None` when no rule matches or the transcription is refused.
fn expand(definition: &str, invocation: &str) -> Option<String> {
    let item: syn::ItemMacro = syn::parse_str(definition).expect("a macro_rules! item");
    let def = read(&item).expect("a definition rustc accepts");
    let tokens: Vec<TokenTree> = invocation
        .parse::<TokenStream>()
        .expect("tokens")
        .into_iter()
        .collect();
    let mut fuel = Fuel::for_source(0);
    let mut input = Input::new(&tokens);
    for rule in &def.rules {
        if let Some(bindings) = match_rule(&rule.matcher, &mut input, &mut fuel).expect("fuel") {
            let transcription = transcribe(&rule.transcriber, &bindings, Span::call_site())?;
            let (size, nesting) = size_and_nesting(&transcription.tokens);
            assert_eq!((transcription.size, transcription.nesting), (size, nesting));
            return Some(transcription.tokens.to_string());
        }
    }
    None
}

/// How many tokens a stream holds, counting inside groups, and how deeply its groups nest.
fn size_and_nesting(stream: &TokenStream) -> (usize, usize) {
    stream
        .clone()
        .into_iter()
        .fold((0, 0), |(size, nesting), tree| match tree {
            TokenTree::Group(group) => {
                let (inner, deeper) = size_and_nesting(&group.stream());
                (size + 1 + inner, nesting.max(deeper + 1))
            }
            _ => (size + 1, nesting),
        })
}

#[test]
fn a_transcription_counts_its_tokens_and_nesting_as_it_writes_them() {
    // Groups of the macro's text and groups of the invocation, nested in each other.
    let def = "macro_rules! nest {
        ($($t:tt)*) => { [($($t)*) { x }] $($t)* };
    }";
    assert_eq!(
        expand(def, "a [b (c {d})] e").as_deref(),
        Some("[(a [b (c { d })] e) { x }] a [b (c { d })] e")
    );
    assert_eq!(expand(def, "").as_deref(), Some("[() { x }]"));
}

#[test]
fn an_expansion_that_is_one_invocation_is_the_item_syn_would_read() {
    let item = |text: &str| {
        let tokens: TokenStream = text.parse().expect("tokens");
        let by_syn = to_the_end::<syn::Item>.parse2(tokens.clone());
        (lone_invocation(&tokens), by_syn)
    };
    for text in [
        "next! { a [b] (c); d }",
        "next!(a, b);",
        "next![x] ;",
        "r#next!{}",
    ] {
        let (Some(lone), Ok(by_syn)) = item(text) else {
            panic!("{text}");
        };
        assert_eq!(
            [&lone],
            by_syn.iter().collect::<Vec<_>>().as_slice(),
            "{text}"
        );
        // The same spans too: findings inside point where syn's tree would.
        let (syn::Item::Macro(lone), syn::Item::Macro(by_syn)) = (&lone, &by_syn[0]) else {
            panic!("{text}");
        };
        let spans = |m: &syn::ItemMacro| {
            format!(
                "{:?} {:?} {:?} {:?}",
                m.mac.path.segments[0].ident.span(),
                m.mac.bang_token.span,
                m.mac.delimiter.span().join(),
                m.semi_token.map(|s| s.span)
            )
        };
        assert_eq!(spans(lone), spans(by_syn), "{text}");
    }
    // Anything else is left to syn.
    for text in [
        "next!(a)",
        "next! {} ;",
        "next! {} other! {}",
        "a::next! {}",
        "#[cfg(x)] next! {}",
        "pub next! {}",
        "fn! {}",
        "macro_rules! next {}",
        "next",
    ] {
        assert!(item(text).0.is_none(), "{text}");
    }
}

#[test]
fn every_fragment_specifier_matches_what_rustc_would() {
    let def = "macro_rules! all {
        ($e:expr; $t:ty; $p:path; $l:literal; $n:literal; $pat:pat; $b:block; $s:stmt; $i:item;
         $lt:lifetime; $v:vis; $m:meta; $id:ident; $tt:tt; $op:tt) => {
            $e | $t | $p | $l | $n | $pat | $b | $s | $i | $lt | $v | $m | $id | $tt | $op
        };
    }";
    let call = "a + b * 2; Vec<(u8, &'static str)>; crate::x::Y<T>; \"s\"; -3; Some(1) | None; \
                { f() }; let x = 1; fn g() {}; 'a; pub(crate); derive(Debug); name; [x, y]; =>";
    assert_eq!(
        expand(def, call).as_deref(),
        Some(
            "a + b * 2 | Vec < (u8 , &'static str) > | crate :: x :: Y < T > | \"s\" | - 3 | \
             Some (1) | None | { f () } | let x = 1 | fn g () { } | 'a | pub (crate) | \
             derive (Debug) | name | [x , y] | =>"
        )
    );
}

#[test]
fn repetitions_nest_take_separators_and_count_rounds() {
    let def = "macro_rules! table {
        ($($name:ident => [$($lock:ident),*]);+ $(;)?) => {
            $( fn $name() { $( $lock.acquire(); )* } )+
        };
    }";
    assert_eq!(
        expand(def, "first => [A, B]; second => []; third => [C];").as_deref(),
        Some(
            "fn first () { A . acquire () ; B . acquire () ; } fn second () { } \
             fn third () { C . acquire () ; }"
        )
    );
    // `+` wants one round at least; `?` at most one.
    assert_eq!(expand(def, ""), None);
    assert_eq!(expand(def, "a => []; ;"), None);
}

#[test]
fn rules_are_tried_in_order_and_a_call_no_rule_matches_is_refused() {
    let def = "macro_rules! pick {
        (one $x:ident) => { first($x) };
        ($x:ident $(, $rest:expr)?) => { second($x $(, $rest)?) };
    }";
    assert_eq!(expand(def, "one a").as_deref(), Some("first (a)"));
    assert_eq!(
        expand(def, "a, 1 + 2").as_deref(),
        Some("second (a , 1 + 2)")
    );
    assert_eq!(expand(def, "a, b, c"), None);
    assert_eq!(expand(def, "1"), None);
}

#[test]
fn a_fragment_read_by_one_rule_reads_alike_for_the_next() {
    // Each rule reads a syntax fragment at the start: the type `Vec<u8>` is no expression.
    let def = "macro_rules! kinds {
        ($t:ty; one) => { one };
        ($e:expr; two) => { two };
        ($t:ty; $($rest:tt)*) => { three $t };
    }";
    assert_eq!(
        expand(def, "Vec<u8>; two").as_deref(),
        Some("three Vec < u8 >")
    );
    assert_eq!(expand(def, "a; two").as_deref(), Some("two"));
    assert_eq!(expand(def, "a; one").as_deref(), Some("one"));
    assert_eq!(expand(def, "[a; 2]; x").as_deref(), Some("three [a ; 2]"));
}

#[test]
fn transcriptions_rustc_refuses_are_refused() {
    // `$a` and `$b` repeat a different number of times.
    let unequal = "macro_rules! zip { ($($a:ident)* ; $($b:ident)*) => { $(($a, $b))* }; }";
    assert_eq!(expand(unequal, "x y ; z").as_deref(), None);
    assert_eq!(
        expand(unequal, "x y ; z w").as_deref(),
        Some("(x , z) (y , w)")
    );
    // A variable still repeating where it is used.
    let flat = "macro_rules! flat { ($($a:ident)*) => { $a }; }";
    assert_eq!(expand(flat, "x y"), None);
    // `$crate` is this crate; an unknown variable is written as it stands.
    let paths = "macro_rules! paths { () => { $crate::f($unknown) }; }";
    assert_eq!(expand(paths, "").as_deref(), Some("crate :: f ($ unknown)"));
}

#[test]
fn definitions_rustc_refuses_are_not_read() {
    for def in [
        "macro_rules! m { ($x) => {}; }",
        "macro_rules! m { ($x:nonsense) => {}; }",
        "macro_rules! m { () {} }",
        "macro_rules! m {}",
    ] {
        let item: syn::ItemMacro = syn::parse_str(def).unwrap();
        assert!(read(&item).is_none(), "{def}");
    }
}

/// Every finding in `files`, after checking that every span of every finding lies inside its
/// file and that no bound cut the expansion.
fn found_inside(files: &[SourceFile]) -> Vec<(String, u32, String)> {
    let analysis = analyze(files);
    assert!(analysis.notes.is_empty(), "{:?}", analysis.notes);
    for d in &analysis.diagnostics {
        let spans = std::iter::once(&d.primary).chain(d.secondary.iter().map(|l| &l.span));
        for span in spans {
            let text = &files.iter().find(|f| f.path == span.file).unwrap().text;
            assert!(
                span.byte_start <= span.byte_end && span.byte_end <= text.len(),
                "{span:?} is outside {}",
                span.file.display()
            );
        }
    }
    found(files)
}

#[test]
fn a_macro_of_a_long_file_reports_at_its_invocation_in_a_short_one() {
    let root = file(
        "src/main.rs",
        "#[macro_use]\nmod macros;\nmod work;\nuse racecheck::{Lock, Thread};\n\
         static A: Lock<u32> = Lock::new(0);\nstatic B: Lock<u32> = Lock::new(0);\n\
         fn main() {\n    let t = Thread::spawn(work::forward);\n    let _b = B.acquire();\n    \
         let _a = A.acquire();\n    drop((_a, _b));\n    t.join().unwrap();\n}\n",
    );
    let padding = "// padding, so the definition lies past the end of work.rs\n".repeat(40);
    let macros = file(
        "src/macros.rs",
        &format!(
            "{padding}macro_rules! both {{\n    ($first:path, $second:path) => {{\n        \
             let _first = $first.acquire();\n        let _second = $second.acquire();\n    }};\n}}\n"
        ),
    );
    let work = file(
        "src/work.rs",
        "pub fn forward() {\n    both!(crate::A, crate::B);\n}\n",
    );
    let analysis = analyze(&[root.clone(), macros.clone(), work.clone()]);
    let [d] = analysis.diagnostics.as_slice() else {
        panic!("{:?}", analysis.diagnostics);
    };
    // Both acquisitions of `forward` are shown at the one invocation.
    let invocation = "both!(crate::A, crate::B)";
    let start = work.text.find(invocation).unwrap();
    let in_work: Vec<_> = d
        .secondary
        .iter()
        .map(|l| &l.span)
        .chain([&d.primary])
        .filter(|s| s.file.to_str() == Some("src/work.rs"))
        .map(|s| (s.byte_start, s.byte_end, s.line_start, s.column_start))
        .collect();
    assert_eq!(
        in_work,
        [(start, start + invocation.len(), 2, 5); 2],
        "{d:?}"
    );
    assert!(
        d.notes
            .iter()
            .any(|n| n.contains("expanded from the macro `both!`")),
        "{:?}",
        d.notes
    );
    assert_eq!(
        found_inside(&[root, macros, work]),
        [at("src/main.rs", 10, "D001")]
    );
}

#[test]
fn exported_macros_are_found_by_path_wherever_they_are_defined() {
    let root = file(
        "src/main.rs",
        "mod work;\nmod macros;\nuse racecheck::{Lock, Thread};\n\
         static A: Lock<u32> = Lock::new(0);\nstatic B: Lock<u32> = Lock::new(0);\n\
         fn main() {\n    let t = Thread::spawn(work::forward);\n    let _b = B.acquire();\n    \
         let _a = crate::take!(A);\n    drop((_a, _b));\n    t.join().unwrap();\n}\n",
    );
    let work = file(
        "src/work.rs",
        "pub fn forward() {\n    let _a = crate::take!(A);\n    let _b = crate::take!(B);\n}\n",
    );
    let macros = file(
        "src/macros.rs",
        "#[macro_export]\nmacro_rules! take {\n    ($l:ident) => { $crate::$l.acquire() };\n}\n",
    );
    assert_eq!(
        found_inside(&[root, work, macros]),
        [at("src/main.rs", 9, "D001")]
    );
}

#[test]
fn items_statements_and_methods_made_by_macros_are_code_like_any_other() {
    let text = "use racecheck::{Lock, Thread};\n\
        macro_rules! locks { ($($name:ident),*) => { $(static $name: Lock<u32> = Lock::new(0);)* }; }\n\
        locks!(A, B);\n\
        struct Bank;\n\
        macro_rules! taker { ($method:ident, $lock:ident) => { fn $method(&self) { let _g = $lock.acquire(); self.then(); } }; }\n\
        impl Bank {\n    taker!(via_a, A);\n    fn then(&self) {\n        let _b = B.acquire();\n    }\n}\n\
        fn main() {\n    macro_rules! backward { () => { let _b = B.acquire(); let _a = A.acquire(); }; }\n    \
        let t = Thread::spawn(|| Bank.via_a());\n    backward!();\n    t.join().unwrap();\n}\n";
    // `backward!`'s guards are the block's: still held at the join.
    assert_eq!(
        found_inside(&[file("src/main.rs", text)]),
        [at("src/main.rs", 9, "D001"), at("src/main.rs", 16, "D003")]
    );
}

#[test]
fn expanded_function_bodies_are_read_when_walked_and_those_calling_the_crates_macros_expanded() {
    // `plain!`'s body is held apart as tokens until the model walks `backward`; `worker!`'s
    // calls `take!`, so it stays in the tree, where the walk expands it.
    let text = "use racecheck::{Lock, Thread};\n\
        static A: Lock<u32> = Lock::new(0);\nstatic B: Lock<u32> = Lock::new(0);\n\
        macro_rules! take { ($l:ident) => { $l.acquire() }; }\n\
        macro_rules! worker { ($name:ident, $a:ident, $b:ident) => { fn $name() { let _x = take!($a); let _y = take!($b); } }; }\n\
        macro_rules! plain { ($name:ident, $a:ident, $b:ident) => { fn $name() { let _x = $a.acquire(); let _y = $b.acquire(); } }; }\n\
        worker!(forward, A, B);\n\
        plain!(backward, B, A);\n\
        fn main() {\n    let t = Thread::spawn(forward);\n    backward();\n    t.join().unwrap();\n}\n";
    assert_eq!(
        found_inside(&[file("src/main.rs", text)]),
        [at("src/main.rs", 7, "D001")]
    );
}

#[test]
fn a_later_definition_shadows_an_earlier_one_from_where_it_stands() {
    let text = "use racecheck::{Lock, Thread};\nstatic A: Lock<u32> = Lock::new(0);\nstatic B: Lock<u32> = Lock::new(0);\n\
        macro_rules! second { () => { B.acquire() }; }\n\
        fn forward() {\n    let _a = A.acquire();\n    let _b = second!();\n}\n\
        macro_rules! second { () => { () }; }\n\
        fn main() {\n    let t = Thread::spawn(forward);\n    let _b = B.acquire();\n    let _a = A.acquire();\n    let _none = second!();\n    drop((_a, _b));\n    t.join().unwrap();\n}\n";
    assert_eq!(
        found_inside(&[file("src/main.rs", text)]),
        [at("src/main.rs", 7, "D001")]
    );
}

#[test]
fn a_path_through_another_crate_is_that_crates_macro_and_one_through_a_module_the_crates_own() {
    // `log::debug!` in the crate's own `debug!` is the `log` crate's: read as the crate's, it
    // expanded into itself to the depth bound and cut the model short. `util::take!` names the
    // macro the crate's module `util` re-exports.
    let text = "use racecheck::Lock;\nstatic A: Lock<u32> = Lock::new(0);\n\
        macro_rules! debug { ($($t:tt)*) => { log::debug!($($t)*) }; }\n\
        mod util {\n    macro_rules! take { ($l:ident) => { $crate::$l.acquire() }; }\n    pub(crate) use take;\n}\n\
        fn main() {\n    let _a = util::take!(A);\n    debug!(\"held {}\", 1);\n    let _b = util::take!(A);\n}\n";
    assert_eq!(
        found_inside(&[file("src/main.rs", text)]),
        [at("src/main.rs", 11, "D002")]
    );
}
