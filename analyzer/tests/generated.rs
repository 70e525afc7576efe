//! Property tests over generated programs: whatever mix of locks, threads, events, queues,
//! branches, loops, closures and calls a program has, and however its tokens are shuffled, the
//! analysis returns (no panic, no abort), and everything it reports points into the input.
use proptest::prelude::*;
use racecheck_analyzer::diagnostic::{SourceFile, Span};
use racecheck_analyzer::{analyze, Analysis};
use std::path::PathBuf;
use std::sync::Arc;

/// One statement of a generated function body.
fn statement() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        (0..3u8).prop_map(|l| format!("let _g{l} = L{l}.acquire();")),
        (0..3u8).prop_map(|l| format!("drop(_g{l});")),
        (0..4u8).prop_map(|f| format!("f{f}();")),
        (0..4u8).prop_map(|f| format!("f{f}().clone().clone();")),
        Just("E.set();".to_owned()),
        Just("E.wait();".to_owned()),
        Just("Q.put(1);".to_owned()),
        Just("let _ = Q.get();".to_owned()),
        Just("Q.task_done();".to_owned()),
        Just("Q.join();".to_owned()),
        Just("return;".to_owned()),
    ];
    leaf.prop_recursive(4, 24, 3, |inner| {
        let body = prop::collection::vec(inner, 0..4).prop_map(|stmts| stmts.join(" "));
        prop_oneof![
            (body.clone(), body.clone())
                .prop_map(|(a, b)| format!("if X > 1 {{ {a} }} else {{ {b} }}")),
            (body.clone(), body.clone())
                .prop_map(|(a, b)| format!("match X {{ 0 => {{ {a} }} _ => {{ {b} }} }}")),
            body.clone().prop_map(|a| format!("loop {{ {a} break; }}")),
            body.clone()
                .prop_map(|a| format!("for _i in 0..3 {{ {a} }}")),
            body.clone().prop_map(|a| format!(
                "let t = Thread::spawn(move || {{ {a} }}); t.join().unwrap();"
            )),
            body.clone()
                .prop_map(|a| format!("let _t = Thread::spawn(|| {{ {a} }});")),
            body.clone()
                .prop_map(|a| format!("let c = || {{ {a} }}; c();")),
            body.prop_map(|a| format!("{{ {a} }}")),
        ]
    })
}

/// A program: four functions calling each other (recursion included) and `main`.
fn program() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::collection::vec(statement(), 0..4), 5).prop_map(|bodies| {
        let mut text = String::from(
            "use racecheck::{Event, Lock, Queue, Thread};\n\
             static L0: Lock<u32> = Lock::new(0);\nstatic L1: Lock<u32> = Lock::new(0);\n\
             static L2: Lock<u32> = Lock::new(0);\nstatic E: Event = Event::new();\n\
             static Q: Queue<u32> = Queue::new();\nconst X: u32 = 2;\n",
        );
        for (i, body) in bodies.iter().enumerate() {
            let name = if i == 4 {
                "main".to_owned()
            } else {
                format!("f{i}")
            };
            text += &format!("fn {name}() {{\n    {}\n}}\n", body.join("\n    "));
        }
        text
    })
}

fn file(text: String) -> SourceFile {
    SourceFile {
        path: PathBuf::from("src/main.rs"),
        text: Arc::from(text),
    }
}

fn assert_points_into(span: &Span, text: &str) {
    assert!(
        span.byte_start <= span.byte_end && span.byte_end <= text.len(),
        "{span:?}"
    );
    assert!(
        span.line_start >= 1 && span.line_start <= span.line_end,
        "{span:?}"
    );
    assert!(
        span.line_end as usize <= text.lines().count().max(1),
        "{span:?}"
    );
}

fn assert_sound(analysis: &Analysis, text: &str) {
    for d in &analysis.diagnostics {
        assert_points_into(&d.primary, text);
        d.secondary
            .iter()
            .for_each(|l| assert_points_into(&l.span, text));
    }
    for e in &analysis.errors {
        if let Some(span) = &e.span {
            assert_points_into(span, text);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn generated_programs_are_analyzed_without_error(text in program()) {
        let analysis = analyze(&[file(text.clone())]);
        prop_assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
        assert_sound(&analysis, &text);
    }

    #[test]
    fn shuffled_tokens_end_in_findings_or_input_errors(
        text in program(),
        cuts in prop::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..4),
    ) {
        // Swap byte ranges at char boundaries: unbalanced brackets, half literals, stray tokens.
        let mut text = text;
        for (a, b) in cuts {
            let (a, b) = (a.index(text.len()), b.index(text.len()));
            let (from, to) = (a.min(b), a.max(b));
            if text.is_char_boundary(from) && text.is_char_boundary(to) {
                let moved: String = text[from..to].to_owned();
                text.replace_range(from..to, "");
                text.insert_str(0, &moved);
            }
        }
        let analysis = analyze(&[file(text.clone())]);
        assert_sound(&analysis, &text);
    }
}
