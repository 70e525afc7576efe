//! Hostile inputs, generated at sizes that run in seconds: deep nesting, long chains, huge
//! files. Each run ends with a clear message where the input cannot be analyzed, bounded work
//! where it can, and the findings of every other file intact.
use crate::Project;

/// Two threads taking `A` and `B` in opposite orders: a D001 in a file of its own.
const ABBA: &str = "use racecheck::{Lock, Thread};\n\
static A: Lock<u32> = Lock::new(0);\n\
static B: Lock<u32> = Lock::new(0);\n\
fn main() {\n\
    let t = Thread::spawn(|| { let _a = A.acquire(); let _b = B.acquire(); });\n\
    let _b = B.acquire();\n\
    let _a = A.acquire();\n\
    t.join().unwrap();\n\
}\n";

/// A project with the ABBA program in `src/bin/abba.rs` and `hostile` in `src/bin/hostile.rs`.
fn project(name: &str, hostile: &str) -> Project {
    let project = Project::empty(name);
    project.write("src/bin/abba.rs", ABBA);
    project.write("src/bin/hostile.rs", hostile);
    project
}

fn assert_abba_found(run: &crate::Run) {
    assert!(
        run.stdout.contains("error[D001]") && run.stdout.contains("src/bin/abba.rs"),
        "{run:?}"
    );
}

/// `fn main` with `body`, in a file that uses racecheck's locks `A` and `B`.
fn program(body: &str) -> String {
    format!(
        "use racecheck::Lock;\nstatic A: Lock<u32> = Lock::new(0);\nstatic B: Lock<u32> = Lock::new(0);\n\
         fn main() {{\n    let x = 1;\n{body}\n}}\n"
    )
}

#[test]
fn nesting_too_deep_to_parse_is_an_input_error_at_its_place() {
    let ifs = format!("{}{}", "if x > 0 { ".repeat(20_000), "} ".repeat(20_000));
    let matches = format!(
        "{}A.acquire(){};",
        "match x { _ => ".repeat(10_000),
        " }".repeat(10_000)
    );
    for (case, body) in [("ifs", ifs), ("matches", matches)] {
        let project = project(case, &program(&body));
        let run = project.run(&[".", "--color", "never"]);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stdout
                .contains("error: not analyzed: nesting deeper than 2000 levels")
                && run.stdout.contains("--> src/bin/hostile.rs:6:"),
            "{case}: {}",
            run.stdout
        );
        assert_abba_found(&run);
        // The error names its place; it does not quote its line of 200 KB.
        assert!(
            run.stdout.len() < 10_000,
            "{case}: {} bytes",
            run.stdout.len()
        );
    }
}

/// A file of at least `size` bytes in a modelled crate: thousands of functions written by
/// `function` (numbered), with `broken` among them if given, around the two that `main` runs on
/// two threads, which take `A` and `B` in opposite orders. Its analysis must find that D001 (at
/// `forward`'s `let _b`), report `broken`'s error at `broken_at` (line, column) and nothing
/// else, and peak within 20 times the file's size plus 64 MiB.
fn assert_large_file_analyzed(
    size: usize,
    function: impl Fn(usize) -> String,
    broken: Option<(&str, (usize, usize))>,
) {
    let mut text = program(
        "    let t = racecheck::Thread::spawn(forward);\n    backward();\n    t.join().unwrap();",
    );
    let mut n = 0;
    while text.len() < size {
        if n == 30_000 {
            text += "fn forward() {\n    let _a = A.acquire();\n    let _b = B.acquire();\n}\n";
        }
        if let Some((broken, _)) = broken.filter(|_| n == 20_000) {
            text += broken;
        }
        text += &function(n);
        n += 1;
    }
    text += "fn backward() {\n    let _b = B.acquire();\n    let _a = A.acquire();\n}\n";
    let size = text.len() as u64;
    let project = project("huge", &text);
    let (run, peak_kib) = crate::bad_input::run_measured(&project, &[".", "--color", "never"]);
    assert_eq!(run.code, if broken.is_some() { 2 } else { 1 }, "{run:?}");
    assert_abba_found(&run);
    let line = text
        .lines()
        .position(|line| line == "fn forward() {")
        .expect("the planted function")
        + 3;
    assert!(
        run.stdout
            .contains(&format!("--> src/bin/hostile.rs:{line}:")),
        "{}",
        run.stdout
    );
    let output = format!("{}{}", run.stdout, run.stderr);
    match broken {
        Some((_, (line, column))) => {
            let first_line = text.lines().position(|l| l == "fn work20000_broken() {");
            let at = format!(
                "src/bin/hostile.rs:{}:{column}",
                first_line.map_or(0, |l| l + line)
            );
            assert!(
                output.matches("error: cannot parse").count() == 1 && output.contains(&at),
                "expected the one parse error at {at}: {output}"
            );
        }
        None => assert!(!output.contains("error:"), "{output}"),
    }
    let bound_kib = 20 * size / 1024 + (64 << 10);
    assert!(
        peak_kib <= bound_kib,
        "peak {peak_kib} KiB for a file of {size} bytes (bound {bound_kib} KiB)"
    );
}

/// An eight-line function taking both locks, which `main` does not call.
fn locking_function(n: usize) -> String {
    format!(
        "fn work{n}(n: u32) -> u32 {{\n    let a = A.acquire();\n    let total = *a + n;\n    drop(a);\n    \
         let b = B.acquire();\n    let more = *b + total;\n    drop(b);\n    more * 2\n}}\n"
    )
}

#[test]
fn a_file_over_four_megabytes_in_a_modelled_crate_is_analyzed_in_bounded_memory() {
    // The bodies the model does not walk wait as text (see `frontend::bodies`).
    assert_large_file_analyzed(5 << 20, locking_function, None);
}

#[test]
fn a_large_file_of_small_functions_is_analyzed_in_bounded_memory() {
    // Many functions for their size: what each keeps until the model walks it (its signature,
    // its place in the index) sets the peak.
    assert_large_file_analyzed(
        5 << 20,
        |n| {
            format!("fn work{n}(n: u32) -> u32 {{\n    let a = n + 1;\n    let b = a * 2;\n    b - n\n}}\n")
        },
        None,
    );
}

#[test]
fn a_file_of_one_long_line_is_analyzed() {
    // Generated code on one line: each position converts without a scan of the line
    // (`span::LineStarts` knows which lines are ASCII); 100,000 functions once took 5 s.
    let line: String = (0..100_000)
        .map(|i| format!("pub fn f{i}() {{}} "))
        .collect();
    let project = project("one-line", &format!("{line}\nfn main() {{}}\n"));
    let run = project.run(&[".", "--color", "never"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_abba_found(&run);
}

#[test]
fn a_large_file_of_structs_is_analyzed_in_bounded_memory() {
    // Generated bindings: structs the model reads only when code uses them.
    assert_large_file_analyzed(
        5 << 20,
        |n| format!("pub struct S{n} {{\n    pub a: u32,\n    pub b: Option<Vec<u8>>,\n}}\n"),
        None,
    );
}

#[test]
fn a_large_file_that_does_not_parse_is_analyzed_but_for_its_broken_item() {
    // Too large to parse whole: its items are parsed one by one, the broken one reported.
    assert_large_file_analyzed(
        5 << 20,
        locking_function,
        Some(("fn work20000_broken() {\n    let x = ;\n}\n", (2, 13))),
    );
}

#[test]
fn a_crate_of_many_files_is_analyzed_within_the_bound_of_its_largest() {
    // What a modelled crate holds for each of its files until its model ends (the functions
    // and structs waiting for the model, their places in the index) sets the peak: the bound
    // follows the largest file, not the crate.
    let files = 120;
    let project = Project::empty("many-files");
    project.write("src/bin/abba.rs", ABBA);
    let mods: String = (0..files).map(|m| format!("pub mod m{m};\n")).collect();
    project.write("src/lib.rs", format!("use std::sync::Mutex;\n{mods}"));
    let mut largest = 0;
    for m in 0..files {
        let mut text =
            "use std::sync::Mutex;\n\nstatic LOCK: Mutex<u32> = Mutex::new(0);\n\n".to_owned();
        let mut n = 0;
        while text.len() < 24 << 10 {
            text += &if n % 2 == 0 {
                format!("/// A record.\npub struct S{n} {{\n    pub a: u32,\n    pub b: Option<Vec<u8>>,\n}}\n\n")
            } else {
                format!(
                    "fn work{n}(n: u32) -> u32 {{\n    let a = LOCK.lock().unwrap();\n    let total = *a + n;\n    \
                     drop(a);\n    total * 2\n}}\n\n"
                )
            };
            n += 1;
        }
        largest = largest.max(text.len() as u64);
        project.write(&format!("src/m{m}.rs"), text);
    }
    let (run, peak_kib) = crate::bad_input::run_measured(&project, &[".", "--color", "never"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_abba_found(&run);
    let bound_kib = 20 * largest / 1024 + (64 << 10);
    assert!(
        peak_kib <= bound_kib,
        "peak {peak_kib} KiB for {files} files of at most {largest} bytes (bound {bound_kib} KiB)"
    );
}

#[test]
fn long_chains_are_modelled_to_their_end() {
    // Each ends in an ABBA of its own with the acquisition of `B` past the chain, so the
    // finding shows the chain was walked through.
    let else_ifs = (0..3_000)
        .map(|i| format!("if x == {i} {{ let _g = A.acquire(); }}"))
        .collect::<Vec<_>>()
        .join(" else ");
    let clones = format!(
        "let g = A.acquire();\n    let _h = g{};",
        ".clone()".repeat(1_500)
    );
    let nested = format!(
        "{}x{};",
        "match x { _ => ".repeat(1_500),
        " }".repeat(1_500)
    );
    for (case, body) in [
        ("else-ifs", else_ifs),
        ("clones", clones),
        ("matches", nested),
    ] {
        let text = program(&format!(
            "{body}\n    let t = racecheck::Thread::spawn(|| {{ let _b = B.acquire(); let _a = A.acquire(); }});\n    \
             let _a = A.acquire();\n    let _b = B.acquire();\n    drop(_b);\n    drop(_a);\n    t.join().unwrap();"
        ));
        let project = project(case, &text);
        let run = project.run(&[".", "--color", "never"]);
        assert_eq!(run.code, 1, "{case}: {run:?}");
        assert!(
            run.stdout.contains("src/bin/hostile.rs"),
            "{case}: {}",
            run.stdout
        );
        assert_abba_found(&run);
    }
}

/// A thread takes `B` then `A` while `main` holds `A` across a chain of `calls` functions, the
/// last of which takes `B`: an ABBA as deep as the chain.
fn call_chain(calls: usize) -> String {
    let mut text = String::from(
        "use racecheck::{Lock, Thread};\nstatic A: Lock<u32> = Lock::new(0);\nstatic B: Lock<u32> = Lock::new(0);\n\
         fn main() {\n    let t = Thread::spawn(other);\n    let a = A.acquire();\n    f0();\n    drop(a);\n    t.join().unwrap();\n}\n\
         fn other() {\n    let _b = B.acquire();\n    let _a = A.acquire();\n}\n",
    );
    for i in 0..calls {
        text += &format!("fn f{i}() {{ f{}(); }}\n", i + 1);
    }
    text += &format!("fn f{calls}() {{ let _b = B.acquire(); }}\n");
    text
}

#[test]
fn a_lock_held_across_a_chain_of_32_calls_is_found() {
    let project = project("chain-32", &call_chain(32));
    let run = project.run(&[".", "--color", "never"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains("error[D001]") && run.stdout.contains("src/bin/hostile.rs"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("cut short"), "{}", run.stdout);
}

#[test]
fn a_chain_deeper_than_the_model_follows_is_told_in_every_format() {
    let project = project("chain-100", &call_chain(100));
    assert_cut_told_in_every_format(&project, "calls nested deeper than 64 were not followed");
}

#[test]
fn macros_that_expand_exponentially_stop_at_their_budget_and_say_so() {
    // `boom!` doubles the invocations at every level and `grow!` its own arguments: without a
    // bound, 2^64 of either.
    let hostile = "use racecheck::Lock;\nstatic A: Lock<u32> = Lock::new(0);\n\
                   macro_rules! boom { () => { boom!(); boom!(); }; }\n\
                   macro_rules! grow { ($($t:tt)*) => { grow!($($t)* $($t)*) }; }\n\
                   fn main() {\n    boom!();\n    grow!(x);\n    let _a = A.acquire();\n}\n";
    for (case, text) in [
        ("boom", hostile.replace("    grow!(x);\n", "")),
        ("grow", hostile.replace("    boom!();\n", "")),
    ] {
        let project = project(case, &text);
        let run = project.run(&[".", "--color", "never"]);
        assert!(
            run.stdout.contains("macro expansion reached its limit of")
                && run.stdout.contains(&format!("tokens at `{case}!`")),
            "{case}: {}",
            run.stdout
        );
        assert_abba_found(&run);
    }
    let project = project("boom", &hostile.replace("    grow!(x);\n", ""));
    assert_cut_told_in_every_format(&project, "macro expansion reached its limit of");
}

#[test]
fn an_import_naming_itself_many_times_is_resolved_in_one_pass() {
    // Each `use` leads back to the same name and its six imports: followed path by path to the
    // import depth bound, 6^24 lookups (found by fuzzing: a duplicated line of a real file).
    let imports = "use crate::Direction;\n".repeat(6);
    let hostile = format!(
        "use racecheck::Lock;\n{imports}static A: Lock<u32> = Lock::new(0);\n\
         fn main() {{\n    let _d = Direction::Incoming;\n    let _a = A.acquire();\n    let _b = A.acquire();\n}}\n"
    );
    let project = project("self-import", &hostile);
    let run = project.run(&[".", "--color", "never"]);
    assert!(
        run.stdout.contains("error[D002]") && run.stdout.contains("src/bin/hostile.rs:12"),
        "{run:?}"
    );
    assert_abba_found(&run);
}

/// The run note of a model cut short, naming `cut`, in the human, JSON, SARIF, rustc-json and
/// GitHub formats.
fn assert_cut_told_in_every_format(project: &Project, cut: &str) {
    let human = project.run(&[".", "--color", "never"]);
    assert!(
        human.stdout.contains(
            "note: src/bin/hostile.rs: the model of the crate rooted here was cut short ("
        ) && human.stdout.contains(cut)
            && human.stdout.contains("D004, D005, D006 and L001"),
        "{}",
        human.stdout
    );
    assert_abba_found(&human);
    let json: serde_json::Value =
        serde_json::from_str(&project.run(&[".", "--format", "json"]).stdout).unwrap();
    assert_eq!(json["notes"][0]["path"], "src/bin/hostile.rs", "{json}");
    assert!(json["notes"][0]["message"].as_str().unwrap().contains(cut));
    let sarif: serde_json::Value =
        serde_json::from_str(&project.run(&[".", "--format", "sarif"]).stdout).unwrap();
    let notifications = &sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    assert!(
        notifications
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["level"] == "note" && n["message"]["text"].as_str().unwrap().contains(cut)),
        "{notifications}"
    );
    let rustc = project.run(&[".", "--format", "rustc-json"]).stdout;
    let warning = rustc
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .find(|m| m["message"].as_str().is_some_and(|t| t.contains(cut)))
        .expect("a message for the cut");
    assert_eq!(warning["level"], "warning");
    assert_eq!(warning["spans"][0]["file_name"], "src/bin/hostile.rs");
    assert_eq!(warning["spans"][0]["line_start"], 1);
    let github = project.run(&[".", "--format", "github"]).stdout;
    assert!(
        github
            .lines()
            .any(|l| l.starts_with("::notice file=src/bin/hostile.rs,") && l.contains(cut)),
        "{github}"
    );
}

#[test]
fn threads_nesting_hundreds_of_locks_are_modelled_in_bounded_memory() {
    // 30 threads each nest the same 400 locks, in orders rotated apart: every acquisition
    // records the locks held, quadratic in the nesting, until the crate's bound on them.
    let (locks, threads) = (400, 30);
    let mut text = "use racecheck::{Lock, Thread};\n".to_owned();
    for l in 0..locks {
        text += &format!("static L{l}: Lock<i32> = Lock::new(0);\n");
    }
    for t in 0..threads {
        text += &format!("fn nest{t}() {{\n");
        for i in 0..locks {
            text += &format!("    let _g{i} = L{}.acquire();\n", (t * 7 + i) % locks);
        }
        text += "}\n";
    }
    text += "fn main() {\n";
    for t in 0..threads {
        text += &format!("    let t{t} = Thread::new(nest{t}).start();\n");
    }
    for t in 0..threads {
        text += &format!("    t{t}.join().unwrap();\n");
    }
    text += "}\n";
    let size = text.len() as u64;
    let project = project("nested-locks", &text);
    let (run, peak_kib) = crate::bad_input::run_measured(&project, &[".", "--color", "never"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_abba_found(&run);
    assert!(run.stdout.contains("locks held at them"), "{}", run.stdout);
    let bound_kib = 20 * size / 1024 + (256 << 10);
    assert!(
        peak_kib <= bound_kib,
        "peak {peak_kib} KiB (bound {bound_kib} KiB)"
    );
}
