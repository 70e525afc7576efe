//! The analysis entry point: source files in, diagnostics and input errors out.
//!
//! Pipeline: every file is parsed in parallel and outlined (its `mod` items; whether it names
//! racecheck); files are grouped into crates; each crate that names racecheck is parsed again on
//! one thread (syntax trees cannot move between threads), indexed, modelled, and checked by the
//! rules. Crates that never name racecheck hold no primitive and cost only their parse.
use crate::diagnostic::{Diagnostic, InputError, SourceFile};
use crate::frontend::crates::{discover_crates, CrateFiles, FileTable};
use crate::frontend::macros::MacroArgs;
use crate::frontend::outline::{outline_file, Outline};
use crate::frontend::span::SpanConverter;
use crate::frontend::{index, pool};
use crate::lock_facts::{self, Acquisition};
use crate::model::interp::model_crate;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Everything one run of the analysis found.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Findings of every rule, before configuration, suppressions and baselines are applied.
    pub diagnostics: Vec<Diagnostic>,
    /// Files that could not be analyzed (or only partly), with where and why.
    pub errors: Vec<InputError>,
    /// Every lock acquisition of the modelled crates, with the locks held there (for editors).
    pub acquisitions: Vec<Acquisition>,
    /// The root file of each file's crate, by path (a crate root maps to itself).
    pub crate_roots: BTreeMap<PathBuf, PathBuf>,
}

/// Analyzes a set of files as crates: crate roots are the files no `mod` item of another file claims.
pub fn analyze(files: &[SourceFile]) -> Analysis {
    pool::analysis_pool().install(|| analyze_on_pool(files))
}

fn analyze_on_pool(files: &[SourceFile]) -> Analysis {
    let results: Vec<Result<Outline, InputError>> = files.par_iter().map(outline_file).collect();
    let mut errors = Vec::new();
    let outlines: Vec<Outline> = results
        .into_iter()
        .map(|r| {
            r.unwrap_or_else(|e| {
                errors.push(e);
                Outline::default()
            })
        })
        .collect();
    let table = FileTable::new(files);
    let crates = discover_crates(&table, &outlines);
    let crate_roots = crates
        .iter()
        .flat_map(|c| {
            let root = &files[c.files[0]].path;
            c.files
                .iter()
                .map(|&f| (files[f].path.clone(), root.clone()))
        })
        .collect();
    let per_crate: Vec<(Vec<Diagnostic>, Vec<Acquisition>)> = crates
        .par_iter()
        .filter(|c| c.files.iter().any(|&f| outlines[f].mentions_racecheck))
        .map(|c| analyze_crate(files, &table, c))
        .collect();
    let (diagnostics, acquisitions): (Vec<_>, Vec<_>) = per_crate.into_iter().unzip();
    let mut diagnostics: Vec<Diagnostic> = diagnostics.into_iter().flatten().collect();
    let acquisitions = acquisitions.into_iter().flatten().collect();
    crate::diagnostic::sort_and_dedup(&mut diagnostics);
    Analysis {
        diagnostics,
        errors,
        acquisitions,
        crate_roots,
    }
}

/// Models one crate and runs the rules over it, all on the calling (big-stack) thread.
fn analyze_crate(
    files: &[SourceFile],
    table: &FileTable,
    krate: &CrateFiles,
) -> (Vec<Diagnostic>, Vec<Acquisition>) {
    let found = {
        // Every file parsed in the first pass; one that no longer does is left out.
        let (slots, asts): (Vec<usize>, Vec<syn::File>) = krate
            .files
            .iter()
            .filter_map(|&f| syn::parse_file(&files[f].text).ok().map(|ast| (f, ast)))
            .unzip();
        let index = index::build(table, &slots, &asts);
        let macros = MacroArgs::collect(&asts);
        let converters: Vec<SpanConverter<'_>> = slots
            .iter()
            .map(|&f| SpanConverter::new(&files[f]))
            .collect();
        let model = model_crate(&index, &macros, &converters);
        (
            crate::rules::check_model(&model),
            lock_facts::acquisitions(&model),
        )
    };
    // The crate's syntax trees are gone: let proc-macro2 forget its files.
    proc_macro2::extra::invalidate_current_thread_spans();
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::Arc;

    fn file(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from(path),
            text: Arc::from(text),
        }
    }

    /// `(file, line, code)` of every diagnostic.
    fn found(files: &[SourceFile]) -> Vec<(String, u32, String)> {
        let analysis = analyze(files);
        assert!(analysis.errors.is_empty(), "{:?}", analysis.errors);
        analysis
            .diagnostics
            .iter()
            .map(|d| {
                (
                    d.primary.file.display().to_string(),
                    d.primary.line_start,
                    d.code.clone(),
                )
            })
            .collect()
    }

    fn at(file: &str, line: u32, code: &str) -> (String, u32, String) {
        (file.to_owned(), line, code.to_owned())
    }

    #[test]
    fn deep_nesting_neither_overflows_nor_fails() {
        let depth = 10_000;
        let parens = format!("{}1{}", "(".repeat(depth), ")".repeat(depth));
        let blocks = format!("{}L.acquire();{}", "{".repeat(depth), "}".repeat(depth));
        let text = format!(
            "use racecheck::Lock;\nstatic L: Lock = Lock::new(());\nfn main() {{\n let x = {parens};\n {blocks}\n}}\n"
        );
        assert!(found(&[file("src/main.rs", &text)]).is_empty());
    }

    #[test]
    fn a_parse_error_is_reported_and_the_other_files_are_analyzed() {
        let broken = file("src/bin/broken.rs", "fn main() {\n    let = ;\n}\n");
        let racy = file(
            "src/bin/racy.rs",
            "use racecheck::Thread;\nfn main() {\n    let _t = Thread::spawn(|| ());\n}\n",
        );
        let analysis = analyze(&[broken, racy]);
        assert_eq!(analysis.errors.len(), 1);
        let error = &analysis.errors[0];
        assert_eq!(error.path, PathBuf::from("src/bin/broken.rs"));
        assert_eq!(error.span.as_ref().map(|s| s.line_start), Some(2));
        let codes: Vec<_> = analysis
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(codes, ["L001"]);
    }

    #[test]
    fn one_lock_across_modules_files_aliases_and_globs() {
        let main = file(
            "src/main.rs",
            "mod locks;\nmod bank;\n#[path = \"work/jobs.rs\"]\nmod jobs;\nuse racecheck::Thread;\n\
             fn main() {\n    let t = Thread::new(jobs::forward).start();\n    bank::backward();\n    t.join().unwrap();\n}\n",
        );
        let locks = file(
            "src/locks.rs",
            "use racecheck::*;\npub static A: Lock = Lock::new(());\npub static B: Lock = Lock::new(());\n",
        );
        let bank = file(
            "src/bank/mod.rs",
            "mod teller;\npub fn backward() { teller::backward() }\n",
        );
        let teller = file(
            "src/bank/teller.rs",
            "use crate::locks::{A, B as Second};\npub fn backward() {\n    let _b = Second.acquire();\n    let _a = A.acquire();\n}\n",
        );
        let jobs = file(
            "src/work/jobs.rs",
            "use super::locks;\npub fn forward() {\n    let _a = locks::A.acquire();\n    let _b = self::super::locks::B.acquire();\n}\n",
        );
        assert_eq!(
            found(&[main, locks, bank, teller, jobs]),
            [at("src/bank/teller.rs", 4, "D001")],
            "the inner acquisition that comes first in file order is the primary span"
        );
    }

    #[test]
    fn renamed_crate_and_types_are_recognized() {
        let text =
            "use racecheck as rc;\nuse rc::Lock as Mutex;\nstatic M: Mutex<u32> = Mutex::new(0);\n\
                    fn main() {\n    let _g = M.acquire();\n    let _h = M.acquire();\n}\n";
        assert_eq!(
            found(&[file("src/main.rs", text)]),
            [at("src/main.rs", 6, "D002")]
        );
    }

    #[test]
    fn a_library_without_main_or_tests_is_walked_from_its_public_functions() {
        let text = "use racecheck::Lock;\npub struct Counter { hits: Lock<u64> }\n\
                    impl Counter {\n    pub fn bump(&self) {\n        let _g = self.hits.acquire();\n        self.log();\n    }\n\
                    fn log(&self) {\n        let _again = self.hits.acquire();\n    }\n}\n";
        assert_eq!(
            found(&[file("src/lib.rs", text)]),
            [at("src/lib.rs", 9, "D002")]
        );
    }

    #[test]
    fn unusual_syntax_goes_through_without_findings() {
        let text = r#"
use racecheck::{Lock, Thread, Shared, Queue};
use std::collections::HashMap;
macro_rules! twice { ($e:expr) => { $e; $e } }
static L: Lock<HashMap<u8, u8>> = Lock::new(HashMap::new());
static S: Shared<i64> = Shared::new(0);
const N: usize = usize::MAX;
struct Wrapper<const K: usize>([u8; K]);
union U { a: u32, b: f32 }
trait T { fn f(&self) -> u8 { 0 } }
impl<const K: usize> T for Wrapper<K> {}
async fn later() -> u8 { 1 }
fn recursive(n: u64) -> u64 { if n == 0 { 0 } else { recursive(n - 1) } }
fn main() {
    let q: Queue<u8> = Queue::new();
    let Some(x) = Some(1u8) else { return };
    let _ = twice!(x);
    let _u = U { a: 1 };
    let _w = Wrapper::<3>([0; 3]).f();
    let _fut = later();
    let _r = recursive(1_000_000);
    for i in (0..N).rev().step_by(2).take(1) { let _ = i; }
    for i in i64::MIN..i64::MAX { let _ = i; break; }
    let closure = |a: u8, (b, c): (u8, u8)| -> u8 { a + b + c };
    let _ = closure(1, (2, 3));
    let g = L.acquire();
    let _len = g.len();
    drop(g);
    S.set(5);
    let label = 'outer: loop { loop { break 'outer 7; } };
    let _ = match label { 0..=3 => 'a', n if n > 5 => 'b', _ => 'c' };
    let t = Thread::spawn(move || { q.put(1); unsafe { std::hint::unreachable_unchecked() } });
    t.join().ok();
    let _ = try_it();
}
fn try_it() -> Option<u8> { let v: Vec<u8> = vec![]; Some(*v.first()?) }
"#;
        assert!(found(&[file("src/main.rs", text)]).is_empty());
    }

    #[test]
    fn a_wait_names_the_signal_that_only_comes_after_it() {
        let text = "use racecheck::{Event, Thread};\nstatic LATE: Event = Event::new();\n\
                    fn main() {\n    LATE.wait();\n    let t = Thread::spawn(|| LATE.set());\n    t.join().unwrap();\n}\n";
        let analysis = analyze(&[file("src/main.rs", text)]);
        let [d] = analysis.diagnostics.as_slice() else {
            panic!("{:?}", analysis.diagnostics);
        };
        let labels: Vec<(u32, &str)> = d
            .secondary
            .iter()
            .map(|l| (l.span.line_start, l.message.as_str()))
            .collect();
        assert_eq!(
            (d.code.as_str(), labels),
            (
                "D005",
                vec![(5, "thread `t` (spawned at src/main.rs:5) signals it here, only after the wait returns")]
            )
        );
    }

    #[test]
    fn crates_without_racecheck_are_not_modelled() {
        // The same shape with std's Mutex: no racecheck primitive, so nothing to report.
        let text = "use std::sync::Mutex;\nstatic M: Mutex<u32> = Mutex::new(0);\n\
                    fn main() {\n    let _g = M.lock();\n    let _h = M.lock();\n}\n";
        assert!(found(&[file("src/main.rs", text)]).is_empty());
    }
}
