//! The analysis entry point: source files in, diagnostics and input errors out.
//!
//! Pipeline: every file is outlined by a lexical scan, in parallel (its `mod` items; whether it
//! names racecheck or another synchronization crate or module (`std::sync`, parking_lot…);
//! whether it is small and shallow enough to parse); files are grouped into crates; each crate
//! is parsed once. A crate that names one is parsed (its function bodies apart, each parsed when
//! the model first walks it), indexed, modelled and checked by the rules on one thread (syntax
//! trees cannot move between threads), and its trees are dropped before the thread takes the
//! next crate. Crates that never name one
//! hold no primitive: their files are parsed in parallel only to report what does not parse.
use crate::diagnostic::{Diagnostic, Edition, InputError, RunNote, SourceFile};
use crate::frontend::bodies::Bodies;
use crate::frontend::compact::KeptItems;
use crate::frontend::crates::{discover_crates, link_libraries, CrateFiles, FileTable};
use crate::frontend::macro_rules::expand_crate;
use crate::frontend::macros::MacroArgs;
use crate::frontend::outline::{outline_file, Outline};
use crate::frontend::parse::{self, check_parses, ModelledFile, MAX_WHOLE_BYTES};
use crate::frontend::span::{LineStarts, SpanConverter};
use crate::frontend::{index, pool};
use crate::lock_facts::{self, Acquisition};
use crate::model::interp::model_crate;
use crate::model::Cut;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

/// Everything one run of the analysis found.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Findings of every rule, before configuration, suppressions and baselines are applied.
    pub diagnostics: Vec<Diagnostic>,
    /// Files that could not be analyzed (or only partly), with where and why.
    pub errors: Vec<InputError>,
    /// Crates whose model a bound cut short, each with what it cut.
    pub notes: Vec<RunNote>,
    /// Every lock acquisition of the modelled crates, with the locks held there (for editors).
    pub acquisitions: Vec<Acquisition>,
    /// The root file of each file's crate, by path (a crate root maps to itself).
    pub crate_roots: BTreeMap<PathBuf, PathBuf>,
}

/// The rules that report an absence, which stay quiet on a crate whose model was cut short.
const QUIET_WHEN_CUT: &str = "D004, D005, D006 and L001";

/// What the build system tells of the crates' root files (by path, as in the files given).
#[derive(Debug, Default, Clone)]
pub struct Targets {
    /// The edition of each root; a crate whose root has none is read in edition 2021's rules.
    pub editions: BTreeMap<PathBuf, Edition>,
    /// The crate name of each library's root: the programs of its package link it.
    pub libraries: BTreeMap<PathBuf, String>,
}

/// Analyzes a set of files as crates: crate roots are the files no `mod` item of another file
/// claims. Every crate is read in edition 2021's rules, and links no library.
pub fn analyze(files: &[SourceFile]) -> Analysis {
    analyze_targets(files, &Targets::default())
}

/// [`analyze`], each crate in the edition `targets` gives its root file, each program linking
/// its package's library.
pub fn analyze_targets(files: &[SourceFile], targets: &Targets) -> Analysis {
    pool::analysis_pool().install(|| analyze_on_pool(files, targets))
}

fn analyze_on_pool(files: &[SourceFile], targets: &Targets) -> Analysis {
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
    let mut crates = discover_crates(&table, &outlines);
    let crate_roots = crates
        .iter()
        .flat_map(|c| {
            let root = &files[c.files[0]].path;
            c.files
                .iter()
                .map(|&f| (files[f].path.clone(), root.clone()))
        })
        .collect();
    link_libraries(&mut crates, files, &table, &targets.libraries);
    // The biggest crates first, so that no big one is left to run alone at the end; and one
    // crate per task: rayon would otherwise hand a thread a run of crates as one task, which
    // no idle thread can take a crate from (on the corpus, one thread ran alone for 25 of 35 s).
    crates.sort_by_cached_key(|c| {
        std::cmp::Reverse(c.files.iter().map(|&f| files[f].text.len()).sum::<usize>())
    });
    // A module file several crates include is parsed by each; its bodies are checked once.
    let parsed_apart: Vec<AtomicBool> = files.iter().map(|_| AtomicBool::new(false)).collect();
    let results: Vec<CrateResult> = crates
        .par_iter()
        .with_max_len(1)
        .map(|c| {
            if c.files.iter().any(|&f| outlines[f].mentions_sync) {
                let edition = targets
                    .editions
                    .get(&files[c.files[0]].path)
                    .copied()
                    .unwrap_or_default();
                analyze_crate(files, &table, &outlines, &parsed_apart, c, edition)
            } else {
                parse_crate(files, &outlines, c)
            }
        })
        .collect();
    let mut diagnostics = Vec::new();
    let mut notes = Vec::new();
    let mut acquisitions = Vec::new();
    for result in results {
        diagnostics.extend(result.diagnostics);
        errors.extend(result.errors);
        notes.extend(result.note);
        acquisitions.extend(result.acquisitions);
    }
    crate::diagnostic::sort_and_dedup(&mut diagnostics);
    errors.sort_by(|a, b| (&a.path, &a.span).cmp(&(&b.path, &b.span)));
    // A library's file is parsed by the library and by each program linking it.
    errors.dedup();
    notes.sort_by(|a, b| a.path.cmp(&b.path));
    Analysis {
        diagnostics,
        errors,
        notes,
        acquisitions,
        crate_roots,
    }
}

/// What one crate gave.
#[derive(Default)]
struct CrateResult {
    diagnostics: Vec<Diagnostic>,
    errors: Vec<InputError>,
    /// What cut its model short, if anything did.
    note: Option<RunNote>,
    acquisitions: Vec<Acquisition>,
}

/// A crate that is not modelled: its files are parsed, in parallel and piece by piece, for their
/// errors alone.
fn parse_crate(files: &[SourceFile], outlines: &[Outline], krate: &CrateFiles) -> CrateResult {
    let errors = krate
        .files
        .par_iter()
        .filter_map(|&f| check_parses(&files[f], &outlines[f].piece_ends))
        .collect();
    CrateResult {
        errors,
        ..CrateResult::default()
    }
}

/// Parses, models and checks one crate, all on the calling (big-stack) thread. Files are parsed
/// with their function bodies taken out (each checked as it is taken, and parsed again when the
/// model first walks it); a file that does not parse so is parsed whole (or item by item), which
/// says where and keeps the items that parse. `parsed_apart`: per file of the run, whether it parsed with its bodies taken out
/// in some crate (its bodies are then taken unchecked). Should a body the model walks not parse
/// after all, its file is then parsed whole and the crate modelled again.
fn analyze_crate(
    files: &[SourceFile],
    table: &FileTable,
    outlines: &[Outline],
    parsed_apart: &[AtomicBool],
    krate: &CrateFiles,
    edition: Edition,
) -> CrateResult {
    let mut whole = HashSet::new();
    loop {
        let parsed = parse_for_model(files, outlines, parsed_apart, krate, &whole);
        let (result, not_parsing) = model_parsed(files, table, krate, edition, parsed);
        // The crate's syntax trees are gone: let proc-macro2 forget its files.
        proc_macro2::extra::invalidate_current_thread_spans();
        // Files parsed whole (or item by item) keep no body that does not parse.
        if not_parsing.iter().all(|f| whole.contains(f)) {
            return result;
        }
        whole.extend(not_parsing);
    }
}

/// A crate's files, parsed for its model.
#[derive(Default)]
struct ParsedCrate {
    /// The files parsed (by index in the run's files), in the crate's order: the root first,
    /// unless it did not parse.
    slots: Vec<usize>,
    asts: Vec<syn::File>,
    lines: Vec<LineStarts>,
    kept: KeptItems,
    bodies: Bodies,
    errors: Vec<InputError>,
}

/// Parses every file of a crate, each tree compacted before the next file is parsed: with their
/// function bodies taken out (see `frontend::bodies`; a file that parses so is marked in
/// `parsed_apart`), but the files of `whole` and those that do not parse so. Those are parsed
/// whole (or, over `MAX_WHOLE_BYTES`, item by item, one item's tree alive at a time): one that
/// does not parse is reported at its first error, and keeps its items that parse on their own
/// (with their bodies).
fn parse_for_model(
    files: &[SourceFile],
    outlines: &[Outline],
    parsed_apart: &[AtomicBool],
    krate: &CrateFiles,
    whole: &HashSet<usize>,
) -> ParsedCrate {
    let macro_names: HashSet<&str> = krate
        .files
        .iter()
        .flat_map(|&f| outlines[f].macro_names.iter().map(String::as_str))
        .collect();
    let mut parsed = ParsedCrate::default();
    for &f in &krate.files {
        let file = &files[f];
        let lines = LineStarts::of(&file.text);
        let converter = SpanConverter::new(file, &lines);
        let slot = parsed.slots.len();
        let ends = parse::lexed_piece_ends(&outlines[f].piece_ends, file.text.len());
        let input = ModelledFile {
            file,
            converter: &converter,
            ends: &ends,
            doc_markers: &outlines[f].doc_markers,
        };
        let parses = parsed_apart[f].load(Ordering::Relaxed);
        let mut taker = parsed.bodies.taker(slot, &file.text, &macro_names, parses);
        let taken = (!whole.contains(&f))
            .then(|| parse::parse_taking_bodies(&input, &mut taker, &mut parsed.kept))
            .flatten();
        let ast = match taken {
            Some(ast) => {
                parsed_apart[f].store(true, Ordering::Relaxed);
                Some(ast)
            }
            None if file.text.len() > MAX_WHOLE_BYTES => {
                // Too large to parse whole: its items are parsed one by one.
                taker.give_back();
                let mut taker = parsed.bodies.taker(slot, &file.text, &macro_names, false);
                let (ast, error) = parse::parse_item_by_item(&input, &mut taker, &mut parsed.kept);
                parsed.errors.extend(error);
                Some(ast)
            }
            None => {
                taker.give_back();
                let (ast, error) = parse::parse_file(file);
                parsed.errors.extend(error);
                // Each tree loses what nothing reads before the next file is parsed.
                ast.map(|mut ast| {
                    parsed.kept.compact_file(&mut ast);
                    ast
                })
            }
        };
        if let Some(ast) = ast {
            parsed.slots.push(f);
            parsed.asts.push(ast);
            parsed.lines.push(lines);
        }
    }
    parsed
}

/// Models and checks a parsed crate (a crate whose root is left out is not modelled), then, its
/// trees dropped, gives the files (by index in the run's files) that hold a body that does not
/// parse.
fn model_parsed(
    files: &[SourceFile],
    table: &FileTable,
    krate: &CrateFiles,
    edition: Edition,
    parsed: ParsedCrate,
) -> (CrateResult, Vec<usize>) {
    let ParsedCrate {
        slots,
        mut asts,
        lines,
        kept,
        mut bodies,
        errors,
    } = parsed;
    let mut result = CrateResult {
        errors,
        ..CrateResult::default()
    };
    if slots.first() == krate.files.first() {
        let converters: Vec<SpanConverter<'_>> = slots
            .iter()
            .zip(&lines)
            .map(|(&f, lines)| SpanConverter::new(&files[f], lines))
            .collect();
        let source_bytes = slots.iter().map(|&f| files[f].text.len()).sum();
        let externs: Vec<(&str, usize)> = krate
            .externs
            .iter()
            .filter_map(|(name, at)| {
                let slot = slots.iter().position(|&f| f == krate.files[*at])?;
                Some((name.as_str(), slot))
            })
            .collect();
        let roots: Vec<usize> = std::iter::once(0)
            .chain(externs.iter().map(|&(_, slot)| slot))
            .collect();
        let expansion = expand_crate(
            files,
            table,
            &slots,
            &roots,
            &mut asts,
            &converters,
            &mut bodies,
        );
        let index = index::build(table, &slots, &externs, &asts, &kept, &bodies);
        let macros = MacroArgs::collect(&asts, &bodies);
        let mut model = model_crate(&index, &macros, &converters, source_bytes, edition);
        model
            .cuts
            .extend(expansion.cuts.iter().cloned().map(Cut::Expansion));
        // Rules that report an absence are quiet for a model cut short, not for a bound a
        // rule's own search reached.
        let model_cut = model.truncated();
        let (diagnostics, rule_cuts) = crate::rules::check_model(&model);
        result.diagnostics = diagnostics;
        model.cuts.extend(rule_cuts);
        expansion.locate(&mut result.diagnostics);
        result.acquisitions = lock_facts::acquisitions(&model);
        expansion.locate_acquisitions(&mut result.acquisitions);
        if model.truncated() {
            let cuts = describe(&model.cuts);
            for diagnostic in &mut result.diagnostics {
                diagnostic.notes.push(format!(
                    "the model of this crate was cut short ({cuts}): other findings may be missing"
                ));
            }
            result.note = Some(RunNote {
                path: files[slots[0]].path.clone(),
                message: if model_cut {
                    format!(
                        "the model of the crate rooted here was cut short ({cuts}): findings past \
                         the cut are missing, and {QUIET_WHEN_CUT} (rules that report an absence) \
                         are not checked for it"
                    )
                } else {
                    format!(
                        "the analysis of the crate rooted here was cut short ({cuts}): findings \
                         past the cut are missing"
                    )
                },
            });
        }
    }
    drop(asts);
    let not_parsing = bodies.slots_not_parsing();
    (
        result,
        not_parsing.into_iter().map(|slot| slots[slot]).collect(),
    )
}

/// The bounds that cut a model short, in words.
fn describe(cuts: &[Cut]) -> String {
    cuts.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::frontend::outline::MAX_NESTING;
    use std::path::PathBuf;
    use std::sync::Arc;

    pub(crate) fn file(path: &str, text: &str) -> SourceFile {
        SourceFile {
            path: PathBuf::from(path),
            text: Arc::from(text),
        }
    }

    /// `(file, line, code)` of every diagnostic.
    pub(crate) fn found(files: &[SourceFile]) -> Vec<(String, u32, String)> {
        found_with(files, &Targets::default())
    }

    fn found_with(files: &[SourceFile], targets: &Targets) -> Vec<(String, u32, String)> {
        let analysis = analyze_targets(files, targets);
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

    pub(crate) fn at(file: &str, line: u32, code: &str) -> (String, u32, String) {
        (file.to_owned(), line, code.to_owned())
    }

    /// `src/lib.rs` of `text(false)` finds `expected`, and its clean twin `text(true)` nothing.
    fn found_unless(text: impl Fn(bool) -> String, expected: &[(String, u32, String)]) {
        assert_eq!(found(&[file("src/lib.rs", &text(false))]), expected);
        assert_eq!(found(&[file("src/lib.rs", &text(true))]), []);
    }

    /// [`found_unless`] where the clean twin drops `text`'s first guard `g` (`first` is
    /// `drop(g);`) and the case keeps it (`let _ = &g;`).
    fn found_unless_dropped(text: impl Fn(&str) -> String, expected: &[(String, u32, String)]) {
        found_unless(
            |clean| text(if clean { "drop(g);" } else { "let _ = &g;" }),
            expected,
        );
    }

    #[test]
    fn nesting_up_to_the_limit_neither_overflows_nor_fails() {
        // Inside `main`, after a `let x =` or a `.`: three levels below the limit.
        let depth = MAX_NESTING - 3;
        let parens = format!("{}1{}", "(".repeat(depth), ")".repeat(depth));
        let blocks = format!("{}L.acquire();{}", "{".repeat(depth), "}".repeat(depth));
        let nots = format!("{}true", "!".repeat(depth));
        let text = format!(
            "use racecheck::Lock;\nstatic L: Lock = Lock::new(());\nfn main() {{\n let x = {parens};\n {blocks}\n let y = {nots};\n}}\n"
        );
        assert!(found(&[file("src/main.rs", &text)]).is_empty());
    }

    /// A file beside a bad one, whose L001 shows the bad one did not stop the run.
    fn unjoined_thread_neighbour() -> SourceFile {
        file(
            "src/bin/racy.rs",
            "use racecheck::Thread;\nfn main() {\n    let _t = Thread::spawn(|| ());\n}\n",
        )
    }

    fn codes(analysis: &Analysis) -> Vec<&str> {
        analysis
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect()
    }

    #[test]
    fn a_file_nested_past_the_limit_is_an_input_error_and_the_others_are_analyzed() {
        let depth = MAX_NESTING + 1;
        let ifs = format!("{}{}", "if x { ".repeat(depth), "} ".repeat(depth));
        let deep = file(
            "src/bin/deep.rs",
            &format!("use racecheck::Lock;\nfn main() {{\n    let x = true;\n    {ifs}\n}}\n"),
        );
        let racy = unjoined_thread_neighbour();
        let analysis = analyze(&[deep, racy]);
        assert_eq!(analysis.errors.len(), 1);
        let error = &analysis.errors[0];
        assert_eq!(error.path, PathBuf::from("src/bin/deep.rs"));
        assert!(
            error.message.contains("nesting deeper than"),
            "{}",
            error.message
        );
        let span = error.span.as_ref().expect("the error has a position");
        assert_eq!(span.line_start, 4);
        assert_eq!(codes(&analysis), ["L001"]);
    }

    #[test]
    fn a_parse_error_is_reported_and_the_other_files_are_analyzed() {
        let broken = file("src/bin/broken.rs", "fn main() {\n    let = ;\n}\n");
        let racy = unjoined_thread_neighbour();
        let analysis = analyze(&[broken, racy]);
        assert_eq!(analysis.errors.len(), 1);
        let error = &analysis.errors[0];
        assert_eq!(error.path, PathBuf::from("src/bin/broken.rs"));
        assert_eq!(error.span.as_ref().map(|s| s.line_start), Some(2));
        assert_eq!(codes(&analysis), ["L001"]);
    }

    #[test]
    fn a_body_that_does_not_parse_is_reported_and_the_rest_of_its_file_modelled() {
        // `broken`'s body does not parse when the model walks it, or, not called, once the
        // model is done: either way its file is parsed whole.
        for call in ["broken();", ""] {
            let text = format!(
                "use racecheck::{{Lock, Thread}};\nstatic A: Lock = Lock::new(());\nstatic B: Lock = Lock::new(());\n\
                 fn broken() {{\n    let = ;\n}}\nfn main() {{\n    {call}\n    \
                 let t = Thread::spawn(|| {{ let _a = A.acquire(); let _b = B.acquire(); }});\n    \
                 let _b = B.acquire();\n    let _a = A.acquire();\n    drop(_a);\n    drop(_b);\n    t.join().unwrap();\n}}\n"
            );
            let analysis = analyze(&[file("src/main.rs", &text)]);
            let [error] = analysis.errors.as_slice() else {
                panic!("{:?}", analysis.errors);
            };
            assert_eq!(error.span.as_ref().map(|s| s.line_start), Some(5));
            assert_eq!(codes(&analysis), ["D001"], "{call}");
        }
    }

    #[test]
    fn elements_of_a_collection_the_model_did_not_see_filled_are_what_its_type_says() {
        // `next` comes from outside (a parameter of a public function): its elements are
        // implementors of `Step`, called while `A` is held; the clean twin drops `A` first. A
        // tree of nodes holding `Vec<Node>` is made lazily, not level after level.
        let text = |first: &str| {
            format!(
                "use std::sync::Mutex;\nstatic A: Mutex<u8> = Mutex::new(0);\npub trait Step {{ fn go(&self); }}\n\
                 pub struct Chain {{ pub next: Vec<Box<dyn Step>>, pub tree: Vec<Node> }}\n\
                 pub struct Node {{ pub children: Vec<Node>, pub lock: Mutex<u8> }}\n\
                 impl Step for Chain {{\n    fn go(&self) {{\n        let g = A.lock().unwrap();\n        {first}\n        \
                 for n in &self.next {{\n            n.go();\n        }}\n        \
                 for t in &self.tree {{\n            let _l = t.lock.lock();\n        }}\n    }}\n}}\n\
                 pub struct Leaf;\nimpl Step for Leaf {{\n    fn go(&self) {{\n        let _a = A.lock().unwrap();\n    }}\n}}\n\
                 pub fn run(c: &Chain) {{\n    c.go();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 21, "D002")]);
    }

    #[test]
    fn trait_objects_in_a_lock_the_model_did_not_see_filled_are_called_through_its_guard() {
        // Listeners registered by the library's users: the model sees none added, the lock's
        // type says what they are. The field's and the static's are called while `A` is held.
        let text = |first: &str| {
            format!(
                "use std::sync::{{Arc, Mutex}};\nstatic A: Mutex<u8> = Mutex::new(0);\n\
                 static HOOKS: Mutex<Vec<Box<dyn Listener + Send>>> = Mutex::new(Vec::new());\n\
                 pub trait Listener {{ fn on(&self); }}\n\
                 pub struct Feed {{ pub listeners: Mutex<Vec<Arc<dyn Listener>>> }}\n\
                 impl Feed {{\n    pub fn publish(&self) {{\n        let g = A.lock().unwrap();\n        {first}\n        \
                 for l in self.listeners.lock().unwrap().iter() {{\n            l.on();\n        }}\n        \
                 for h in HOOKS.lock().unwrap().iter() {{\n            h.on();\n        }}\n    }}\n}}\n\
                 pub struct Audit;\nimpl Listener for Audit {{\n    fn on(&self) {{\n        let _a = A.lock().unwrap();\n    }}\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 21, "D002")]);
    }

    #[test]
    fn what_an_option_field_holds_is_what_its_type_says() {
        let text = |first: &str| {
            format!(
                "use std::sync::{{Arc, Mutex}};\nstatic A: Mutex<u8> = Mutex::new(0);\n\
                 pub trait Listener {{ fn on(&self); }}\n\
                 pub struct Feed {{ pub listener: Option<Box<dyn Listener>>, pub count: Option<Arc<Mutex<u8>>> }}\n\
                 impl Feed {{\n    pub fn publish(&self) {{\n        let g = A.lock().unwrap();\n        {first}\n        \
                 if let Some(l) = &self.listener {{\n            l.on();\n        }}\n    }}\n    \
                 pub fn bump(&self) {{\n        if let Some(c) = &self.count {{\n            let n = c.lock().unwrap();\n            \
                 {first_count}\n            *c.lock().unwrap() += 1;\n        }}\n    }}\n}}\n\
                 pub struct Audit;\nimpl Listener for Audit {{\n    fn on(&self) {{\n        let _a = A.lock().unwrap();\n    }}\n}}\n",
                first_count = first.replace('g', "n")
            )
        };
        found_unless_dropped(
            text,
            &[at("src/lib.rs", 17, "D002"), at("src/lib.rs", 24, "D002")],
        );
    }

    #[test]
    fn a_field_of_a_bounded_type_parameter_holds_implementors_of_the_bound() {
        // `Bus` stays in the tree (an attribute other than docs); `Relay` is taken whole and its
        // generics read with its fields.
        let text = |first: &str| {
            format!(
                "use std::sync::Mutex;\nstatic A: Mutex<u8> = Mutex::new(0);\npub trait Listener {{ fn on(&self); }}\n\
                 #[derive(Default)]\npub struct Bus<L: Listener> {{ pub all: Vec<L> }}\n\
                 /// Relays to one listener.\npub struct Relay<L> where L: Listener {{ pub to: L }}\n\
                 impl<L: Listener> Bus<L> {{\n    pub fn publish(&self, relay: &Relay<L>) {{\n        \
                 let g = A.lock().unwrap();\n        {first}\n        for l in &self.all {{\n            l.on();\n        }}\n        \
                 relay.to.on();\n    }}\n}}\n\
                 pub struct Audit;\nimpl Listener for Audit {{\n    fn on(&self) {{\n        let _a = A.lock().unwrap();\n    }}\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 21, "D002")]);
    }

    #[test]
    fn a_type_parameter_bounded_on_the_impl_holds_implementors_of_the_bound() {
        // The idiomatic shape: no bound on the struct, the bound on the `impl` (as a parameter
        // bound or a where clause, under another name than the struct's), reaching the field
        // and a parameter of the method alike.
        let text = |first: &str| {
            format!(
                "use std::sync::Mutex;\nstatic A: Mutex<u8> = Mutex::new(0);\npub trait Listener {{ fn on(&self); }}\n\
                 #[derive(Default)]\npub struct Bus<K, L> {{ pub all: Vec<L>, pub key: K }}\n\
                 impl<K, T> Bus<K, T> where T: Listener {{\n    pub fn publish(&self, extra: &T) {{\n        \
                 let g = A.lock().unwrap();\n        {first}\n        for l in &self.all {{\n            l.on();\n        }}\n        \
                 extra.on();\n    }}\n}}\n\
                 pub struct Audit;\nimpl Listener for Audit {{\n    fn on(&self) {{\n        let _a = A.lock().unwrap();\n    }}\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 19, "D002")]);
        // Through the method's parameter alone.
        let param_only = |first: &str| {
            text(first).replace("for l in &self.all {\n            l.on();\n        }", "")
        };
        found_unless_dropped(param_only, &[at("src/lib.rs", 17, "D002")]);
    }

    #[test]
    fn locks_in_a_map_keyed_by_a_newtype_id_are_a_family() {
        // The map is built empty and filled through the entry API; rooms are found again with
        // `get(&id).cloned()`: both reach one family's element by a run-time id.
        let text = |first: &str| {
            format!(
                "use std::collections::HashMap;\nuse std::sync::{{Arc, Mutex, RwLock}};\n\
                 #[derive(Clone, Copy, PartialEq, Eq, Hash)]\npub struct RoomId(pub u32);\npub struct Room;\n\
                 pub struct Dir {{ rooms: RwLock<HashMap<RoomId, Arc<Mutex<Room>>>>, audit: Mutex<u32> }}\n\
                 impl Dir {{\n    pub fn new() -> Self {{\n        Dir {{ rooms: RwLock::new(HashMap::new()), audit: Mutex::new(0) }}\n    }}\n    \
                 fn room(&self, id: RoomId) -> Arc<Mutex<Room>> {{\n        \
                 Arc::clone(self.rooms.write().unwrap().entry(id).or_insert_with(|| Arc::new(Mutex::new(Room))))\n    }}\n    \
                 fn post(&self, id: RoomId) {{\n        let room = self.room(id);\n        let g = room.lock().unwrap();\n        {first}\n        \
                 let _a = self.audit.lock().unwrap();\n    }}\n    \
                 fn audit(&self, id: RoomId) {{\n        let _a = self.audit.lock().unwrap();\n        \
                 let found = self.rooms.read().unwrap().get(&id).cloned();\n        \
                 if let Some(room) = found {{\n            let _r = room.lock().unwrap();\n        }}\n    }}\n}}\n\
                 pub fn run(id: RoomId) {{\n    let dir = Arc::new(Dir::new());\n    let other = Arc::clone(&dir);\n    \
                 let t = std::thread::spawn(move || other.post(id));\n    dir.audit(id);\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 18, "D001")]);
        // The room reached in an `Option` combinator's closure.
        let in_closure = |first: &str| {
            text(first).replace(
                "if let Some(room) = found {\n            let _r = room.lock().unwrap();\n        }",
                "found.map_or((), |room| drop(room.lock().unwrap()));",
            )
        };
        assert!(in_closure("").contains("map_or"));
        found_unless_dropped(in_closure, &[at("src/lib.rs", 18, "D001")]);
    }

    #[test]
    fn a_program_follows_its_package_library() {
        // The library alone has no thread: its public functions are programs of their own. The
        // program builds one `Store` and runs `ab` and `ba` on it at once; the library's `crate::`
        // paths stay its own, and the library's unit test is not a root of the program.
        let lib = file(
            "shop/src/lib.rs",
            "use std::sync::Mutex;\npub mod store;\n\
             pub struct Pair { pub a: Mutex<u8>, pub b: Mutex<u8> }\n\
             #[test]\nfn alone() {\n    let p = Pair { a: Mutex::new(0), b: Mutex::new(0) };\n    let _b = p.b.lock().unwrap();\n    let _b2 = p.b.lock().unwrap();\n}\n",
        );
        let store = |first: &str| {
            file(
                "shop/src/store.rs",
                &format!(
                    "use std::sync::Mutex;\nuse crate::Pair;\npub struct Store {{ pair: Pair }}\n\
                     impl Store {{\n    pub fn new() -> Self {{\n        Store {{ pair: Pair {{ a: Mutex::new(0), b: Mutex::new(0) }} }}\n    }}\n    \
                     pub fn ab(&self) {{\n        let _a = self.pair.a.lock().unwrap();\n        let _b = self.pair.b.lock().unwrap();\n    }}\n    \
                     pub fn ba(&self) {{\n        let g = self.pair.b.lock().unwrap();\n        {first}\n        let _a = self.pair.a.lock().unwrap();\n    }}\n}}\n"
                ),
            )
        };
        let program = file(
            "shop/src/bin/serve.rs",
            "use shop::store::Store;\nuse std::sync::Arc;\nfn main() {\n    let store = Arc::new(Store::new());\n    \
             let other = Arc::clone(&store);\n    let t = std::thread::spawn(move || other.ab());\n    store.ba();\n    t.join().unwrap();\n}\n",
        );
        let linked = Targets {
            libraries: BTreeMap::from([(PathBuf::from("shop/src/lib.rs"), "shop".to_owned())]),
            ..Targets::default()
        };
        let with = |first: &str, targets: &Targets| {
            found_with(&[lib.clone(), store(first), program.clone()], targets)
        };
        let unit_test = at("shop/src/lib.rs", 8, "D002");
        assert_eq!(
            with("let _ = &g;", &linked),
            [unit_test.clone(), at("shop/src/store.rs", 10, "D001")]
        );
        assert_eq!(with("drop(g);", &linked), std::slice::from_ref(&unit_test));
        // Unlinked, the program's `Store` is outside the crate.
        assert_eq!(with("let _ = &g;", &Targets::default()), [unit_test]);
    }

    #[test]
    fn handles_moved_out_of_a_lock_by_mem_take_are_still_joined_threads() {
        let text = |first: &str| {
            format!(
                "use std::sync::{{Arc, Mutex, RwLock}};\nuse std::thread::JoinHandle;\n\
                 pub struct Server {{ config: RwLock<u32>, workers: Mutex<Vec<JoinHandle<()>>> }}\n\
                 impl Server {{\n    fn start(self: &Arc<Self>) {{\n        let mut workers = self.workers.lock().unwrap();\n        \
                 let me = Arc::clone(self);\n        workers.push(std::thread::spawn(move || {{ let _c = me.config.read().unwrap(); }}));\n    }}\n    \
                 fn reload(&self) {{\n        let g = self.config.write().unwrap();\n        {first}\n        \
                 let handles = std::mem::take(&mut *self.workers.lock().unwrap());\n        \
                 for h in handles {{\n            let _ = h.join();\n        }}\n    }}\n}}\n\
                 pub fn run() {{\n    let s = Arc::new(Server {{ config: RwLock::new(0), workers: Mutex::new(Vec::new()) }});\n    \
                 s.start();\n    s.reload();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 15, "D003")]);
    }

    #[test]
    fn a_receiver_kept_in_a_lock_is_the_channel_it_receives_from() {
        let text = |first: &str| {
            format!(
                "use std::sync::mpsc::{{channel, Receiver, Sender}};\nuse std::sync::{{Arc, Mutex}};\n\
                 pub struct Service {{ pending: Mutex<u32>, tx: Sender<u32>, rx: Mutex<Receiver<u32>> }}\n\
                 impl Service {{\n    fn done(&self, tx: Sender<u32>) {{\n        *self.pending.lock().unwrap() -= 1;\n        \
                 let _ = tx.send(1);\n    }}\n    \
                 fn wait(&self) {{\n        let g = self.pending.lock().unwrap();\n        {first}\n        \
                 let _ = self.rx.lock().unwrap().recv();\n    }}\n}}\n\
                 pub fn run() {{\n    let (tx, rx) = channel();\n    \
                 let s = Arc::new(Service {{ pending: Mutex::new(1), tx, rx: Mutex::new(rx) }});\n    \
                 let (me, tx) = (Arc::clone(&s), s.tx.clone());\n    let t = std::thread::spawn(move || me.done(tx));\n    \
                 s.wait();\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 12, "D003")]);
    }

    #[test]
    fn a_value_read_by_a_getter_and_stored_by_a_setters_replace_is_a_stale_write_back() {
        // The clean twin re-reads under the setter's guard.
        let text = |clean: bool| {
            let setter = if clean {
                "let mut last = self.last.lock().unwrap();\n        let seen = last.unwrap_or(0);\n        last.replace(seen + 1);"
            } else {
                "self.last.lock().unwrap().replace(v);"
            };
            format!(
                "use std::sync::{{Arc, Mutex}};\n\
                 pub struct Stats {{ last: Mutex<Option<u64>> }}\n\
                 impl Stats {{\n    fn get(&self) -> u64 {{\n        self.last.lock().unwrap().unwrap_or(0)\n    }}\n    \
                 fn set(&self, v: u64) {{\n        {setter}\n        let _ = v;\n    }}\n    \
                 fn bump(&self) {{\n        let seen = self.get();\n        self.set(seen + 1);\n    }}\n}}\n\
                 pub fn run() {{\n    let s = Arc::new(Stats {{ last: Mutex::new(None) }});\n    \
                 let other = Arc::clone(&s);\n    let t = std::thread::spawn(move || other.bump());\n    \
                 s.bump();\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 13, "R003")]);
    }

    #[test]
    fn a_thread_that_takes_the_lock_only_to_read_loses_no_update() {
        // The writer reads the version and publishes the next under a second guard: only
        // another writer can come between. The clean twin's other thread only reads (a binding
        // without `mut`, a getter's copy); the case's writes through a `mut` binding.
        let text = |clean: bool| {
            let other = if clean {
                "let g = other.version.lock().unwrap();\n        let _ = *g + 1;\n        drop(g);\n        let _ = other.get();"
            } else {
                "let mut g = other.version.lock().unwrap();\n        *g += 1;"
            };
            format!(
                "use std::sync::{{Arc, Mutex}};\n\
                 pub struct Store {{ version: Mutex<u64> }}\n\
                 impl Store {{\n    fn bump(&self) {{\n        let v = *self.version.lock().unwrap();\n        \
                 *self.version.lock().unwrap() = v + 1;\n    }}\n    \
                 fn get(&self) -> u64 {{\n        *self.version.lock().unwrap()\n    }}\n}}\n\
                 pub fn run() {{\n    let s = Arc::new(Store {{ version: Mutex::new(0) }});\n    \
                 let other = Arc::clone(&s);\n    let t = std::thread::spawn(move || {{\n        {other}\n    }});\n    \
                 s.bump();\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 6, "R003")]);
    }

    #[test]
    fn an_event_cleared_on_a_check_under_the_lock_its_setter_holds_mirrors_the_state() {
        // `has_work` mirrors `!pending.is_empty()`: set under `pending` after a push, cleared
        // when the state under `pending` says empty. The case decides before taking the lock.
        let text = |clean: bool| {
            let settle = if clean {
                "let p = self.pending.acquire();\n        if p.is_empty() {\n            self.has_work.clear();\n        }"
            } else {
                "let empty = self.pending.acquire().is_empty();\n        if empty {\n            \
                 let _p = self.pending.acquire();\n            self.has_work.clear();\n        }"
            };
            format!(
                "use racecheck::{{Event, Lock, Thread}};\nuse std::sync::Arc;\n\
                 pub struct Backlog {{ pending: Lock<Vec<u32>>, has_work: Event }}\n\
                 impl Backlog {{\n    fn push(&self, v: u32) {{\n        let mut p = self.pending.acquire();\n        \
                 p.push(v);\n        self.has_work.set();\n    }}\n    fn settle(&self) {{\n        {settle}\n    }}\n}}\n\
                 pub fn run() {{\n    let b = Arc::new(Backlog {{ pending: Lock::new(Vec::new()), has_work: Event::new() }});\n    \
                 let other = Arc::clone(&b);\n    let t = Thread::spawn(move || other.push(1));\n    \
                 b.settle();\n    t.join();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 14, "R004")]);
    }

    #[test]
    fn a_branch_on_literal_arguments_takes_one_arm() {
        // `transfer(0, 1)` and `transfer(1, 0)` lock the lower index first, each call down one
        // arm. The first call (0, 0) returns early, doing nothing: that walk is not taken for
        // every call of `transfer`. The case locks `from` first whatever the indices.
        let text = |clean: bool| {
            let body = if clean {
                "if from < to {\n        let _f = ACCTS[from].lock().unwrap();\n        \
                 let _t = ACCTS[to].lock().unwrap();\n    } else {\n        \
                 let _t = ACCTS[to].lock().unwrap();\n        let _f = ACCTS[from].lock().unwrap();\n    }"
            } else {
                "let _f = ACCTS[from].lock().unwrap();\n    let _t = ACCTS[to].lock().unwrap();"
            };
            format!(
                "use std::sync::Mutex;\nstatic ACCTS: [Mutex<i64>; 2] = [Mutex::new(100), Mutex::new(100)];\n\
                 fn transfer(from: usize, to: usize) {{\n    \
                 if from == to {{\n        return;\n    }}\n    {body}\n}}\n\
                 pub fn run() {{\n    transfer(0, 0);\n    \
                 let t1 = std::thread::spawn(|| transfer(0, 1));\n    \
                 let t2 = std::thread::spawn(|| transfer(1, 0));\n    t1.join().unwrap();\n    t2.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 8, "D001")]);
    }

    #[test]
    fn each_threads_own_slot_is_written_back_by_it_alone() {
        // Each instance reads and writes back `slots[i]`, its own; the case's all share slot 0.
        let text = |clean: bool| {
            let slot = if clean { "i" } else { "0" };
            format!(
                "use std::sync::{{Arc, Mutex}};\npub fn run() {{\n    \
                 let slots: Arc<Vec<Mutex<u64>>> = Arc::new((0..2).map(|_| Mutex::new(0)).collect());\n    \
                 let hs: Vec<_> = (0..2).map(|i| {{\n        let slots = Arc::clone(&slots);\n        \
                 std::thread::spawn(move || {{\n            let v = *slots[{slot}].lock().unwrap();\n            \
                 *slots[{slot}].lock().unwrap() = v + 1;\n        }})\n    }}).collect();\n    \
                 for h in hs {{\n        h.join().unwrap();\n    }}\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 8, "R003")]);
    }

    #[test]
    fn a_map_element_compared_under_the_new_guard_is_re_validated() {
        let text = "use std::collections::HashMap;\nuse std::sync::{Arc, Mutex};\n\
             pub struct Counts { map: Mutex<HashMap<u64, u64>> }\n\
             impl Counts {\n    fn bump(&self, id: u64) {\n        \
             let seen = *self.map.lock().unwrap().get(&id).unwrap();\n        \
             let mut g = self.map.lock().unwrap();\n        \
             if g.get(&id) == Some(&seen) {\n            *g.get_mut(&id).unwrap() = seen + 1;\n        }\n    }\n}\n\
             pub fn run() {\n    let c = Arc::new(Counts { map: Mutex::new(HashMap::new()) });\n    \
             let other = Arc::clone(&c);\n    let t = std::thread::spawn(move || other.bump(1));\n    \
             c.bump(1);\n    t.join().unwrap();\n}\n";
        assert_eq!(found(&[file("src/lib.rs", text)]), []);
        let unchecked = text.replace("if g.get(&id) == Some(&seen) {", "{");
        assert_eq!(
            found(&[file("src/lib.rs", &unchecked)]),
            [at("src/lib.rs", 9, "R003")]
        );
    }

    #[test]
    fn a_value_read_under_a_guard_still_held_is_not_stale() {
        // A reentrant lock's outer guard is held across the inner write: nothing can come
        // between the read and the write.
        let text = "use racecheck::{RLock, Thread};\nuse std::cell::Cell;\n\
             static COUNTER: RLock<Cell<usize>> = RLock::new(Cell::new(0));\n\
             pub fn run() {\n    let workers: Vec<_> = (0..2)\n        .map(|_| {\n            Thread::spawn(|| {\n                \
             let outer = COUNTER.acquire();\n                let inner = COUNTER.acquire();\n                \
             inner.set(outer.get() + 1);\n            })\n        })\n        .collect();\n    \
             for w in workers {\n        w.join();\n    }\n}\n";
        let r003: Vec<_> = found(&[file("src/lib.rs", text)])
            .into_iter()
            .filter(|(_, _, code)| code == "R003")
            .collect();
        assert_eq!(r003, []);
    }

    #[test]
    fn a_lock_taken_by_a_run_time_id_gates_nothing() {
        // Each caller may hold another session's lock, so the inversion under it stands; under
        // one fixed element (`sessions[0]`) it cannot happen. The two shards, built in place,
        // are named after the fields that hold them.
        let text = |session: &str| {
            format!(
                "use std::sync::{{Arc, Mutex}};\n\
                 pub struct Shard {{ data: Mutex<u8> }}\n\
                 pub struct Cache {{ sessions: Vec<Mutex<u8>>, a: Shard, b: Shard }}\n\
                 impl Cache {{\n    fn ab(&self, id: usize) {{\n        let _s = self.sessions[{session}].lock().unwrap();\n        \
                 let _x = self.a.data.lock().unwrap();\n        let _y = self.b.data.lock().unwrap();\n    }}\n    \
                 fn ba(&self, id: usize) {{\n        let _s = self.sessions[{session}].lock().unwrap();\n        \
                 let _y = self.b.data.lock().unwrap();\n        let _x = self.a.data.lock().unwrap();\n    }}\n}}\n\
                 pub fn run(n: usize) {{\n    \
                 let c = Arc::new(Cache {{ sessions: (0..n).map(|_| Mutex::new(0)).collect(), a: Shard {{ data: Mutex::new(0) }}, b: Shard {{ data: Mutex::new(0) }} }});\n    \
                 let other = Arc::clone(&c);\n    let t = std::thread::spawn(move || other.ab(1));\n    \
                 c.ba(2);\n    t.join().unwrap();\n}}\n"
            )
        };
        let by_id = analyze(&[file("src/lib.rs", &text("id"))]);
        let reported: Vec<_> = by_id
            .diagnostics
            .iter()
            .map(|d| (d.primary.line_start, d.code.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            reported,
            [(
                8,
                "D001",
                "lock order inversion: `c.a.data` and `c.b.data` are acquired in opposite orders"
            )]
        );
        assert_eq!(found(&[file("src/lib.rs", &text("0"))]), []);
    }

    #[test]
    fn a_map_element_read_by_a_getter_and_written_through_get_mut_is_a_stale_write_back() {
        // The clean twin re-reads the element under the new guard before writing.
        let text = |clean: bool| {
            let write = if clean {
                "if s.credit == credit { s.credit = credit - cost; }"
            } else {
                "s.credit = credit - cost;"
            };
            format!(
                "use std::collections::HashMap;\nuse std::sync::{{Arc, Mutex}};\n\
                 pub struct Session {{ credit: i64 }}\n\
                 pub struct Sessions {{ map: Mutex<HashMap<u64, Session>> }}\n\
                 impl Sessions {{\n    fn credit(&self, id: u64) -> i64 {{\n        \
                 self.map.lock().unwrap().get(&id).map_or(0, |s| s.credit)\n    }}\n    \
                 fn charge(&self, id: u64, cost: i64) {{\n        let credit = self.credit(id);\n        \
                 let mut map = self.map.lock().unwrap();\n        \
                 if let Some(s) = map.get_mut(&id) {{\n            {write}\n        }}\n    }}\n}}\n\
                 pub fn run() {{\n    let s = Arc::new(Sessions {{ map: Mutex::new(HashMap::new()) }});\n    \
                 let other = Arc::clone(&s);\n    let t = std::thread::spawn(move || other.charge(1, 2));\n    \
                 s.charge(1, 3);\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 13, "R003")]);
    }

    #[test]
    fn a_sender_carried_by_an_enum_variant_in_a_locked_queue_is_the_channel_it_sends_on() {
        let text = |first: &str| {
            format!(
                "use std::sync::mpsc::{{channel, Sender}};\nuse std::sync::{{Arc, Mutex}};\n\
                 enum Job {{ Work(u32), Flush(Sender<u64>), Stop }}\n\
                 pub struct Queue {{ pending: Mutex<Vec<Job>> }}\n\
                 impl Queue {{\n    fn run(&self) {{\n        loop {{\n            \
                 let jobs = std::mem::take(&mut *self.pending.lock().unwrap());\n            \
                 for job in jobs {{\n                match job {{\n                    \
                 Job::Work(_) => {{}}\n                    Job::Flush(ack) => drop(ack.clone().send(1)),\n                    \
                 Job::Stop => return,\n                }}\n            }}\n        }}\n    }}\n    \
                 fn flush(&self) {{\n        let (tx, rx) = channel();\n        \
                 let mut g = self.pending.lock().unwrap();\n        g.push(Job::Work(0));\n        \
                 g.push(Job::Flush(tx));\n        {first}\n        let _ = rx.recv();\n    }}\n}}\n\
                 pub fn run() {{\n    let q = Arc::new(Queue {{ pending: Mutex::new(Vec::new()) }});\n    \
                 let other = Arc::clone(&q);\n    \
                 let t = std::thread::spawn(move || other.run());\n    q.flush();\n    \
                 q.pending.lock().unwrap().push(Job::Stop);\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 24, "D003")]);
    }

    #[test]
    fn writing_another_field_than_the_one_read_is_no_stale_write_back() {
        let text = |written: &str| {
            format!(
                "use std::sync::{{Arc, Mutex}};\n\
                 #[derive(Default)]\npub struct State {{ requested: u64, completed: u64 }}\n\
                 pub struct Worker {{ state: Mutex<State> }}\n\
                 impl Worker {{\n    fn serve(&self) {{\n        let run = self.state.lock().unwrap().requested;\n        \
                 self.state.lock().unwrap().{written} = run;\n    }}\n}}\n\
                 pub fn run() {{\n    let w = Arc::new(Worker {{ state: Mutex::new(State::default()) }});\n    \
                 let other = Arc::clone(&w);\n    let t = std::thread::spawn(move || other.serve());\n    \
                 w.serve();\n    t.join().unwrap();\n}}\n"
            )
        };
        assert_eq!(
            found(&[file("src/lib.rs", &text("requested"))]),
            [at("src/lib.rs", 8, "R003")]
        );
        assert_eq!(found(&[file("src/lib.rs", &text("completed"))]), []);
    }

    #[test]
    fn an_object_held_by_an_object_in_a_collection_is_followed() {
        // The servers are made by a `map` into a collection of handles; each reaches the
        // handlers object its `Api` holds.
        let text = |first: &str| {
            format!(
                "use std::sync::{{Arc, Mutex}};\n\
                 pub struct Handlers {{ usage: Mutex<u64> }}\n\
                 impl Handlers {{\n    fn charge(&self) {{\n        let g = self.usage.lock().unwrap();\n        \
                 {first}\n        *self.usage.lock().unwrap() += 1;\n    }}\n}}\n\
                 pub struct Api {{ handlers: Handlers }}\n\
                 impl Api {{\n    fn start(self: &Arc<Self>, n: usize) -> Vec<std::thread::JoinHandle<()>> {{\n        \
                 (0..n).map(|_| Arc::clone(self)).map(|api| std::thread::spawn(move || api.handlers.charge())).collect()\n    }}\n}}\n\
                 pub fn run() {{\n    let api = Arc::new(Api {{ handlers: Handlers {{ usage: Mutex::new(0) }} }});\n    \
                 for t in api.start(2) {{\n        t.join().unwrap();\n    }}\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 7, "D002")]);
    }

    #[test]
    fn an_element_looked_up_into_a_result_is_still_the_element() {
        let text = |first: &str| {
            format!(
                "use std::sync::{{Arc, Mutex, MutexGuard}};\n\
                 pub struct Book {{ accounts: Vec<Mutex<i64>> }}\n\
                 impl Book {{\n    fn slot(&self, id: usize) -> Result<&Mutex<i64>, String> {{\n        \
                 self.accounts.get(id).ok_or(format!(\"no {{id}}\"))\n    }}\n    \
                 fn account(&self, id: usize) -> Result<MutexGuard<'_, i64>, String> {{\n        \
                 self.slot(id)?.lock().map_err(|e| e.to_string())\n    }}\n    \
                 fn transfer(&self, from: usize, to: usize) -> Result<(), String> {{\n        \
                 let g = self.account(from)?;\n        {first}\n        let _dst = self.account(to)?;\n        Ok(())\n    }}\n}}\n\
                 pub fn run(a: usize, b: usize) {{\n    \
                 let book = Arc::new(Book {{ accounts: (0..4).map(|_| Mutex::new(0)).collect() }});\n    \
                 let other = Arc::clone(&book);\n    let t = std::thread::spawn(move || other.transfer(a, b));\n    \
                 let _ = book.transfer(b, a);\n    let _ = t.join();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 8, "D001")]);
    }

    #[test]
    fn handles_kept_in_a_lock_built_by_default_are_joined_threads() {
        // `Journal::default()` builds `writers` empty: its declared `Vec` holds what is pushed.
        let text = |first: &str| {
            format!(
                "use std::sync::{{Arc, Mutex}};\nuse std::thread::JoinHandle;\n\
                 #[derive(Default)]\npub struct Journal {{ committed: Mutex<Vec<u64>>, writers: Mutex<Vec<JoinHandle<()>>> }}\n\
                 impl Journal {{\n    fn seal(&self) {{\n        \
                 let writers = std::mem::take(&mut *self.writers.lock().unwrap());\n        \
                 let g = self.committed.lock().unwrap();\n        {first}\n        \
                 for w in writers {{\n            let _ = w.join();\n        }}\n    }}\n}}\n\
                 pub fn run() {{\n    let j = Arc::new(Journal::default());\n    \
                 let me = Arc::clone(&j);\n    \
                 let handle = std::thread::spawn(move || me.committed.lock().unwrap().push(1));\n    \
                 j.writers.lock().unwrap().push(handle);\n    j.seal();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 11, "D003")]);
    }

    #[test]
    fn two_cycles_through_one_helpers_acquisition_are_two_findings() {
        // `account` is the acquisition both cycles share: the accounts taken in caller order,
        // and `spent` against the accounts.
        let text = "use std::sync::{Arc, Mutex, MutexGuard};\n\
             pub struct Bank { accounts: Vec<Mutex<i64>>, spent: Mutex<i64> }\n\
             impl Bank {\n    fn account(&self, id: usize) -> MutexGuard<'_, i64> {\n        self.accounts[id].lock().unwrap()\n    }\n    \
             fn transfer(&self, from: usize, to: usize) {\n        let _a = self.account(from);\n        let _b = self.account(to);\n        \
             *self.spent.lock().unwrap() += 1;\n    }\n    \
             fn roll(&self, id: usize) {\n        let _s = self.spent.lock().unwrap();\n        let _a = self.account(id);\n    }\n}\n\
             pub fn run(a: usize, b: usize) {\n    \
             let bank = Arc::new(Bank { accounts: (0..4).map(|_| Mutex::new(0)).collect(), spent: Mutex::new(0) });\n    \
             let other = Arc::clone(&bank);\n    let t = std::thread::spawn(move || { other.transfer(a, b); other.roll(a); });\n    \
             bank.transfer(b, a);\n    t.join().unwrap();\n}\n";
        assert_eq!(
            found(&[file("src/lib.rs", text)]),
            [at("src/lib.rs", 5, "D001"), at("src/lib.rs", 10, "D001")]
        );
    }

    #[test]
    fn a_reply_channel_sent_in_a_command_is_the_channel_the_worker_answers_on() {
        let text = |first: &str, requests: &str| {
            format!(
                "use std::sync::mpsc::{{channel, Receiver, Sender}};\nuse std::sync::{{Arc, Mutex}};\n\
                 enum Command {{ Flush(Sender<usize>), Ping(Sender<usize>), Stop }}\n\
                 pub struct Notifier {{ outbox: Mutex<Vec<u32>>, commands: Sender<Command> }}\n\
                 impl Notifier {{\n    fn dispatch(&self, rx: Receiver<Command>) {{\n        \
                 for command in rx {{\n            match command {{\n                \
                 Command::Flush(ack) => {{\n                    let n = self.outbox.lock().unwrap().len();\n                    \
                 let _ = ack.send(n);\n                }}\n                \
                 Command::Ping(reply) => drop(reply.send(0)),\n                Command::Stop => break,\n            }}\n        }}\n    }}\n    \
                 fn flush(&self) -> usize {{\n        let g = self.outbox.lock().unwrap();\n        {first}\n        \
                 let (tx, rx) = channel();\n        let _ = self.commands.send(Command::Flush(tx));\n        \
                 rx.recv().unwrap_or(0)\n    }}\n    \
                 fn ping(&self) -> usize {{\n        let (tx, rx) = channel();\n        \
                 let _ = self.commands.send(Command::Ping(tx));\n        rx.recv().unwrap_or(0)\n    }}\n}}\n\
                 pub fn run() {{\n    let (commands, rx) = channel();\n    \
                 let n = Arc::new(Notifier {{ outbox: Mutex::new(Vec::new()), commands }});\n    \
                 let me = Arc::clone(&n);\n    let t = std::thread::spawn(move || me.dispatch(rx));\n    \
                 {requests}\n    let _ = n.commands.send(Command::Stop);\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless_dropped(
            |first| text(first, "n.flush();"),
            &[at("src/lib.rs", 23, "D003")],
        );
        // Two requests' reply channels in one queue: the worker answers on either, so the
        // flush that holds `outbox` while it waits is still found (the ping's own answer, which
        // the same worker gives, orders nothing in the flush's round).
        assert_eq!(
            found(&[file(
                "src/lib.rs",
                &text("let _ = &g;", "n.ping();\n    n.flush();")
            )]),
            [at("src/lib.rs", 23, "D003")]
        );
    }

    #[test]
    fn a_worker_started_before_the_thread_that_sends_it_requests_sees_them() {
        // The dispatcher is walked before the requester that sends it the reply channel: it is
        // walked again once the requester has put it in the queue.
        let text = |first: &str| {
            format!(
                "use std::sync::mpsc::{{channel, Receiver, Sender}};\nuse std::sync::{{Arc, Mutex}};\n\
                 enum Command {{ Flush(Sender<usize>), Stop }}\n\
                 pub struct Notifier {{ outbox: Mutex<Vec<u32>>, commands: Mutex<Sender<Command>> }}\n\
                 impl Notifier {{\n    fn dispatch(&self, rx: Receiver<Command>) {{\n        \
                 for command in rx {{\n            match command {{\n                \
                 Command::Flush(ack) => {{\n                    let n = self.outbox.lock().unwrap().len();\n                    \
                 let _ = ack.send(n);\n                }}\n                Command::Stop => break,\n            }}\n        }}\n    }}\n    \
                 fn flush(&self) -> usize {{\n        let g = self.outbox.lock().unwrap();\n        {first}\n        \
                 let (tx, rx) = channel();\n        let _ = self.commands.lock().unwrap().send(Command::Flush(tx));\n        \
                 rx.recv().unwrap_or(0)\n    }}\n}}\n\
                 pub fn run() {{\n    let (commands, rx) = channel();\n    \
                 let n = Arc::new(Notifier {{ outbox: Mutex::new(Vec::new()), commands: Mutex::new(commands) }});\n    \
                 let me = Arc::clone(&n);\n    let t = std::thread::spawn(move || me.dispatch(rx));\n    \
                 let other = Arc::clone(&n);\n    let h = std::thread::spawn(move || {{ other.flush(); }});\n    \
                 h.join().unwrap();\n    let _ = n.commands.lock().unwrap().send(Command::Stop);\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 22, "D003")]);
    }

    #[test]
    fn a_none_arm_adds_nothing_to_what_a_match_gives() {
        let text = |first: &str| {
            format!(
                "use std::sync::mpsc::{{channel, Receiver, Sender}};\nuse std::sync::{{Arc, Mutex}};\n\
                 enum Command {{ Flush(Sender<usize>), Stop }}\n\
                 pub struct Ticker {{ wheel: Mutex<u32>, commands: Mutex<Sender<Command>> }}\n\
                 impl Ticker {{\n    fn run(&self, rx: Receiver<Command>) {{\n        loop {{\n            \
                 let reply = match rx.recv() {{\n                Ok(Command::Flush(ack)) => Some(ack),\n                \
                 Ok(Command::Stop) => break,\n                Err(_) => None,\n            }};\n            \
                 let due = *self.wheel.lock().unwrap();\n            \
                 if let Some(ack) = reply {{\n                let _ = ack.send(due as usize);\n            }}\n        }}\n    }}\n    \
                 fn flush(&self) -> usize {{\n        let g = self.wheel.lock().unwrap();\n        {first}\n        \
                 let (tx, rx) = channel();\n        let _ = self.commands.lock().unwrap().send(Command::Flush(tx));\n        \
                 rx.recv().unwrap_or(0)\n    }}\n}}\n\
                 pub fn run() {{\n    let (commands, rx) = channel();\n    \
                 let t = Arc::new(Ticker {{ wheel: Mutex::new(0), commands: Mutex::new(commands) }});\n    \
                 let me = Arc::clone(&t);\n    let h = std::thread::spawn(move || me.run(rx));\n    \
                 t.flush();\n    let _ = t.commands.lock().unwrap().send(Command::Stop);\n    h.join().unwrap();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 24, "D003")]);
    }

    #[test]
    fn three_locks_taken_in_reverse_orders_are_two_findings() {
        // The AB, BC and AC cycles of one reversed pair of functions: AC names no lock the
        // other two do not, and folds into them.
        let text = "use std::sync::Mutex;\n\
             static A: Mutex<u8> = Mutex::new(0);\nstatic B: Mutex<u8> = Mutex::new(0);\nstatic C: Mutex<u8> = Mutex::new(0);\n\
             fn forward() {\n    let _a = A.lock().unwrap();\n    let _b = B.lock().unwrap();\n    let _c = C.lock().unwrap();\n}\n\
             fn backward() {\n    let _c = C.lock().unwrap();\n    let _b = B.lock().unwrap();\n    let _a = A.lock().unwrap();\n}\n\
             pub fn run() {\n    let t = std::thread::spawn(forward);\n    backward();\n    t.join().unwrap();\n}\n";
        assert_eq!(found(&[file("src/lib.rs", text)]).len(), 2);
    }

    #[test]
    fn a_wait_under_if_is_not_looped_by_its_callers_loop() {
        let text = |wait: &str| {
            format!(
                "use std::sync::{{Condvar, Mutex}};\nstatic M: Mutex<bool> = Mutex::new(false);\nstatic CV: Condvar = Condvar::new();\n\
                 fn wait_once() {{\n    let mut g = M.lock().unwrap();\n    {wait} !*g {{\n        g = CV.wait(g).unwrap();\n    }}\n}}\n\
                 pub fn run() {{\n    loop {{\n        wait_once();\n    }}\n}}\n"
            )
        };
        // (Nothing notifies: D005, off by default, has its say too.)
        let l002 = |wait: &str| {
            let mut found = found(&[file("src/lib.rs", &text(wait))]);
            found.retain(|(_, _, code)| code == "L002");
            found
        };
        assert_eq!(l002("if"), [at("src/lib.rs", 7, "L002")]);
        assert_eq!(l002("while"), []);
    }

    #[test]
    fn a_module_two_crates_share_is_modelled_in_each() {
        // The second crate to parse `shared.rs` takes its bodies unchecked: the first checked
        // them. Each crate's model walks them, and each crate's own deadlock is found.
        let shared = file(
            "src/shared.rs",
            "use std::sync::Mutex;\npub static A: Mutex<u8> = Mutex::new(0);\npub static B: Mutex<u8> = Mutex::new(0);\n\
             pub fn forward() {\n    let _a = A.lock().unwrap();\n    let _b = B.lock().unwrap();\n}\n",
        );
        let root = |name: &str, line: &str| {
            file(
                &format!("src/bin/{name}.rs"),
                &format!(
                    "#[path = \"../shared.rs\"]\nmod shared;\nuse shared::{{A, B}};\nfn main() {{\n    \
                     let t = std::thread::spawn(shared::forward);\n    {line}\n    t.join().unwrap();\n}}\n"
                ),
            )
        };
        let one = root(
            "one",
            "{ let _b = B.lock().unwrap(); let _a = A.lock().unwrap(); }",
        );
        let two = root("two", "shared::forward();");
        let three = root(
            "three",
            "{\n        let _b = B.lock().unwrap();\n        let _a = A.lock().unwrap();\n    }",
        );
        assert_eq!(
            found(&[shared, one, two, three]),
            [
                at("src/bin/one.rs", 6, "D001"),
                at("src/bin/three.rs", 8, "D001"),
            ]
        );
    }

    #[test]
    fn a_root_with_an_item_the_parser_cannot_read_keeps_its_other_items_and_modules() {
        // A bare trait object (edition 2015) is not Rust syn reads; `mod worker;` still is.
        let root = file(
            "src/lib.rs",
            "mod worker;\ntype Action = Fn(u8) + Send + Sync;\npub fn act(a: &Action) {\n    a(1)\n}\n",
        );
        let worker = file(
            "src/worker.rs",
            "use std::sync::Mutex;\nstatic A: Mutex<u8> = Mutex::new(0);\nstatic B: Mutex<u8> = Mutex::new(0);\n\
             pub fn run() {\n    let t = std::thread::spawn(|| {\n        let _b = B.lock().unwrap();\n        let _a = A.lock().unwrap();\n    });\n\
             \x20   {\n        let _a = A.lock().unwrap();\n        let _b = B.lock().unwrap();\n    }\n    t.join().unwrap();\n}\n",
        );
        let analysis = analyze(&[root, worker]);
        let [error] = analysis.errors.as_slice() else {
            panic!("{:?}", analysis.errors);
        };
        assert_eq!(error.path, PathBuf::from("src/lib.rs"));
        assert_eq!(error.span.as_ref().map(|s| s.line_start), Some(2));
        assert_eq!(codes(&analysis), ["D001"]);
        assert_eq!(analysis.diagnostics[0].primary.line_start, 7);
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

    /// The code of the one diagnostic `src/main.rs` gets, and its secondary labels (line, text).
    fn only_diagnostic_labels(text: &str) -> (String, Vec<(u32, String)>) {
        let analysis = analyze(&[file("src/main.rs", text)]);
        let [d] = analysis.diagnostics.as_slice() else {
            panic!("{:?}", analysis.diagnostics);
        };
        let labels = d
            .secondary
            .iter()
            .map(|l| (l.span.line_start, l.message.clone()))
            .collect();
        (d.code.clone(), labels)
    }

    #[test]
    fn a_wait_names_the_signal_that_only_comes_after_it() {
        let text = "use racecheck::{Event, Thread};\nstatic LATE: Event = Event::new();\n\
                    fn main() {\n    LATE.wait();\n    let t = Thread::spawn(|| LATE.set());\n    t.join().unwrap();\n}\n";
        let (code, labels) = only_diagnostic_labels(text);
        assert_eq!(
            (code.as_str(), labels),
            (
                "D005",
                vec![(5, "thread `t` (spawned at src/main.rs:5) signals it here, only after the wait returns".to_owned())]
            )
        );
    }

    #[test]
    fn an_implicit_drop_in_a_call_chain_is_labelled_as_a_drop() {
        let text = "use racecheck::{Lock, Thread};\nstatic A: Lock = Lock::new(());\nstatic B: Lock = Lock::new(());\n\
                    struct Record;\nimpl Drop for Record {\n    fn drop(&mut self) {\n        let _b = B.acquire();\n    }\n}\n\
                    fn post() {\n    let _a = A.acquire();\n    let _record = Record;\n}\n\
                    fn back() {\n    let _b = B.acquire();\n    let _a = A.acquire();\n}\n\
                    fn main() {\n    let t = Thread::spawn(post);\n    back();\n    t.join().unwrap();\n}\n";
        let (code, labels) = only_diagnostic_labels(text);
        assert_eq!(code, "D001");
        assert!(
            labels.contains(&(13, "dropped here while `A` is held".to_owned())),
            "{labels:?}"
        );
    }

    /// `(line, code)` of every diagnostic of `src/main.rs` analyzed in `edition`.
    fn found_in(edition: Edition, text: &str) -> Vec<(u32, String)> {
        let path = PathBuf::from("src/main.rs");
        let targets = Targets {
            editions: BTreeMap::from([(path.clone(), edition)]),
            ..Targets::default()
        };
        analyze_targets(&[file("src/main.rs", text)], &targets)
            .diagnostics
            .iter()
            .map(|d| (d.primary.line_start, d.code.clone()))
            .collect()
    }

    #[test]
    fn temporaries_of_if_let_scrutinees_and_tails_follow_the_edition() {
        let text = "use std::sync::Mutex;\nstatic M: Mutex<Vec<u32>> = Mutex::new(Vec::new());\n\
                    fn main() {\n    if let Some(x) = M.lock().unwrap().first() {\n        \
                    println!(\"{x}\");\n    } else {\n        M.lock().unwrap().push(1);\n    }\n    \
                    let n = { M.lock().unwrap().len() } + M.lock().unwrap().len();\n    \
                    println!(\"{n}\");\n}\n";
        assert_eq!(
            found_in(Edition::Rust2021, text),
            vec![(7, "D002".to_owned()), (9, "D002".to_owned())]
        );
        assert_eq!(found_in(Edition::Rust2024, text), vec![]);
    }

    #[test]
    fn the_else_arm_of_a_failed_try_lock_holds_nothing() {
        let text = "use std::sync::Mutex;\nstatic M: Mutex<u32> = Mutex::new(0);\n\
                    fn main() {\n    if let Ok(mut n) = M.try_lock() {\n        *n += 1;\n    \
                    } else {\n        *M.lock().unwrap() += 1;\n    }\n}\n";
        assert_eq!(found_in(Edition::Rust2021, text), vec![]);
    }

    /// The initializer's temporaries of a `let … else` are dropped before its `else` runs, in
    /// either edition; on the matching path they last to the statement's end.
    #[test]
    fn the_else_of_a_let_else_runs_without_the_initializers_guard() {
        let text = |init: &str| {
            format!(
                "use std::sync::Mutex;\nstatic Q: Mutex<Vec<u32>> = Mutex::new(Vec::new());\n\
                 fn main() {{\n    let Some(v) = {init} else {{\n        Q.lock().unwrap().push(7);\n        \
                 return;\n    }};\n    println!(\"{{v}}\");\n}}\n"
            )
        };
        for edition in [Edition::Rust2021, Edition::Rust2024] {
            let clean = text("Q.lock().unwrap().pop()");
            assert_eq!(found_in(edition, &clean), vec![], "{edition:?}");
            let twin = text("Q.lock().unwrap().pop().map(|_| Q.lock().unwrap().len() as u32)");
            assert_eq!(
                found_in(edition, &twin),
                vec![(4, "D002".to_owned())],
                "{edition:?}"
            );
        }
    }

    /// parking_lot's upgrade and downgrade hand on the guard they are given; `unlocked` gives
    /// the lock up while its closure runs.
    #[test]
    fn parking_lot_guards_upgraded_downgraded_and_unlocked_stay_one_guard() {
        let text = |body: &str| {
            format!(
                "use parking_lot::{{Mutex, MutexGuard, RwLock, RwLockUpgradableReadGuard, RwLockWriteGuard}};\n\
                 static MAP: RwLock<Vec<u32>> = RwLock::new(Vec::new());\nstatic M: Mutex<u32> = Mutex::new(0);\n\
                 fn bump() {{\n    *M.lock() += 1;\n}}\nfn main() {{\n{body}}}\n"
            )
        };
        let upgrade = "    let r = MAP.upgradable_read();\n    let mut w = RwLockUpgradableReadGuard::upgrade(r);\n    \
                       w.push(1);\n    DROP\n    let _n = MAP.read().len();\n";
        let downgrade =
            "    let w = MAP.write();\n    let r = RwLockWriteGuard::downgrade(w);\n    \
                         let _k = r.len();\n    DROP\n    MAP.write().push(2);\n";
        for (shape, last_guard) in [(upgrade, "drop(w);"), (downgrade, "drop(r);")] {
            let clean = text(&shape.replace("DROP", last_guard));
            assert_eq!(found_in(Edition::Rust2021, &clean), vec![], "{clean}");
            let twin = text(&shape.replace("DROP", ""));
            assert_eq!(
                found_in(Edition::Rust2021, &twin),
                vec![(12, "D002".to_owned())],
                "{twin}"
            );
        }
        let unlocked = |after: &str| {
            text(&format!(
                "    let mut g = M.lock();\n    *g += 1;\n    MutexGuard::unlocked(&mut g, bump);\n    {after}\n"
            ))
        };
        assert_eq!(found_in(Edition::Rust2021, &unlocked("*g += 1;")), vec![]);
        assert_eq!(
            found_in(Edition::Rust2021, &unlocked("bump();")),
            vec![(5, "D002".to_owned())]
        );
    }

    /// A guard an arm moves out of a `match` or `if let` scrutinee lives in the binding the
    /// value goes to; a value read through it leaves the guard to the scrutinee's end.
    #[test]
    fn a_guard_moved_out_of_a_scrutinee_by_an_arm_stays_held() {
        let text = |take: &str, then: &str| {
            format!(
                "use std::sync::Mutex;\nstatic M: Mutex<Vec<u32>> = Mutex::new(Vec::new());\n\
                 fn main() {{\n    let mut g = {take};\n    g.push(1);\n    {then}\n    \
                 let _n = M.lock().unwrap().len();\n}}\n"
            )
        };
        let takes = [
            "match M.lock() { Ok(g) => g, Err(poisoned) => poisoned.into_inner() }",
            "match M.lock() { Ok(g) => g, Err(_) => return }",
            "if let Ok(g) = M.lock() { g } else { return }",
        ];
        for edition in [Edition::Rust2021, Edition::Rust2024] {
            for take in takes {
                assert_eq!(
                    found_in(edition, &text(take, "")),
                    vec![(7, "D002".to_owned())],
                    "{take}"
                );
                assert_eq!(found_in(edition, &text(take, "drop(g);")), vec![], "{take}");
            }
            let read = text("match M.lock() { Ok(g) => g.len(), Err(_) => 0 }", "")
                .replace("g.push(1);", "g += 1;");
            assert_eq!(found_in(edition, &read), vec![], "{edition:?}");
        }
    }

    /// A guard returned in an `Option` (beside a `None` arm or `return None`, or by `ok()`)
    /// is held by the caller's binding.
    #[test]
    fn a_guard_returned_in_an_option_is_held_by_the_caller() {
        let text = |body: &str, then: &str| {
            format!(
                "use std::sync::{{Mutex, MutexGuard}};\nstatic M: Mutex<Vec<u32>> = Mutex::new(Vec::new());\n\
                 fn nonempty() -> Option<MutexGuard<'static, Vec<u32>>> {{\n    {body}\n}}\n\
                 fn main() {{\n    if let Some(g) = nonempty() {{\n        {then}\n    }}\n}}\n"
            )
        };
        for body in [
            "let g = M.lock().unwrap();\n    if g.is_empty() { return None; }\n    Some(g)",
            "let g = M.lock().unwrap();\n    if g.is_empty() { None } else { Some(g) }",
            "M.lock().ok()",
        ] {
            let late = body.matches('\n').count() as u32;
            let twice = text(body, "M.lock().unwrap().push(g[0]);");
            assert_eq!(
                found_in(Edition::Rust2021, &twice),
                vec![(8 + late, "D002".to_owned())],
                "{body}"
            );
            let dropped = text(
                body,
                "let k = g[0];\n        drop(g);\n        M.lock().unwrap().push(k);",
            );
            assert_eq!(found_in(Edition::Rust2021, &dropped), vec![], "{body}");
        }
    }

    /// A value computed from a `load` through a number's method or `std::cmp::max` is as much
    /// derived from it as `cur + v`; a `fetch_max` is one update.
    #[test]
    fn a_load_passed_to_max_and_stored_back_is_a_split_update() {
        let text = |update: &str| {
            format!(
                "use std::sync::atomic::{{AtomicU64, Ordering}};\nstatic MAX: AtomicU64 = AtomicU64::new(0);\n\
                 fn record(v: u64) {{\n    let cur = MAX.load(Ordering::Relaxed);\n    {update}\n}}\n\
                 fn main() {{\n    let t = std::thread::spawn(|| record(5));\n    record(7);\n    t.join().unwrap();\n}}\n"
            )
        };
        for update in [
            "MAX.store(v.max(cur), Ordering::Relaxed);",
            "MAX.store(std::cmp::max(v, cur), Ordering::Relaxed);",
            "MAX.store(cur.max(v), Ordering::Relaxed);",
        ] {
            assert_eq!(
                found_in(Edition::Rust2021, &text(update)),
                vec![(5, "R002".to_owned())],
                "{update}"
            );
        }
        let one_update = text("let _ = cur;\n    MAX.fetch_max(v, Ordering::Relaxed);");
        assert_eq!(found_in(Edition::Rust2021, &one_update), vec![]);
    }

    /// A mutex kept in a `OnceLock` static is the one `get_or_init` and `get` give.
    #[test]
    fn a_mutex_in_a_once_lock_is_the_one_its_getters_give() {
        let text = |get: &str, between: &str| {
            format!(
                "use std::sync::{{Mutex, OnceLock}};\nstatic REG: OnceLock<Mutex<Vec<u32>>> = OnceLock::new();\n\
                 fn main() {{\n    let reg = {get};\n    let mut r = reg.lock().unwrap();\n    {between}\n    \
                 let n = REG.get().unwrap().lock().unwrap().len();\n    r.push(n as u32);\n}}\n"
            )
        };
        for get in [
            "REG.get_or_init(|| Mutex::new(Vec::new()))",
            "REG.get().unwrap()",
        ] {
            assert_eq!(
                found_in(Edition::Rust2021, &text(get, "")),
                vec![(7, "D002".to_owned())],
                "{get}"
            );
            let apart = text(get, "drop(r);")
                .replace("r.push(n as u32);", "reg.lock().unwrap().push(n as u32);");
            assert_eq!(found_in(Edition::Rust2021, &apart), vec![], "{get}");
        }
    }

    /// `text` has exactly one finding, a D001, and a note on the run that says `note`.
    fn assert_one_d001_noting(text: &str, note: &str) {
        let analysis = analyze(&[file("src/main.rs", text)]);
        let codes: Vec<&str> = analysis
            .diagnostics
            .iter()
            .map(|d| d.code.as_str())
            .collect();
        assert_eq!(codes, ["D001"]);
        assert!(
            analysis.notes.iter().any(|n| n.message.contains(note)),
            "{:?}",
            analysis.notes
        );
    }

    /// Every pair of twelve locks taken in order makes more long cycles than D001 examines:
    /// the plain ABBA of a thread taking the last lock then the first is found all the same
    /// (cycles are searched shortest first), and the run says the search stopped.
    #[test]
    fn a_plain_abba_is_found_among_more_cycles_than_are_examined() {
        let locks = 12;
        let mut text = "use racecheck::{Lock, Thread};\n".to_owned();
        for i in 0..locks {
            text += &format!("static L{i}: Lock<i32> = Lock::new(0);\n");
        }
        text += "fn ordered() {\n";
        for i in 0..locks {
            for j in i + 1..locks {
                text += &format!("    {{ let _a = L{i}.acquire(); let _b = L{j}.acquire(); }}\n");
            }
        }
        let last = locks - 1;
        text += &format!(
            "}}\nfn buggy() {{\n    let _x = L{last}.acquire();\n    let _y = L0.acquire();\n}}\n\
             fn main() {{\n    let h0 = Thread::new(ordered).start();\n    let h1 = Thread::new(buggy).start();\n    \
             h0.join().unwrap();\n    h1.join().unwrap();\n}}\n"
        );
        assert_one_d001_noting(&text, "lock-order cycles");
    }

    /// `main` starts two threads, then runs a call tree of 100,000 leaves that spends the
    /// crate's steps: its walk stops at its share, and the threads it started are walked with
    /// the rest, so their ABBA is found (and the run says the model was cut).
    #[test]
    fn a_walk_that_would_spend_every_step_leaves_some_to_the_threads_it_started() {
        let mut text = "use racecheck::{Lock, Thread};\nstatic A: Lock<i32> = Lock::new(0);\n\
                        static B: Lock<i32> = Lock::new(0);\nstatic C: Lock<i32> = Lock::new(0);\n\
                        fn one() {\n    let _a = A.acquire();\n    let _b = B.acquire();\n}\n\
                        fn two() {\n    let _b = B.acquire();\n    let _a = A.acquire();\n}\n\
                        fn main() {\n    let t1 = Thread::new(one).start();\n    let t2 = Thread::new(two).start();\n    \
                        t1.join().unwrap();\n    t2.join().unwrap();\n    let _c = C.acquire();\n    g1();\n}\n"
            .to_owned();
        for level in 1..6 {
            let call = format!("g{}(); ", level + 1);
            text += &format!("fn g{level}() {{ {} }}\n", call.repeat(10));
        }
        text += "fn g6() { let _c = C.try_acquire(); }\n";
        assert_one_d001_noting(&text, "share of the crate's steps");
    }

    /// L002's help writes the wait as the condition variable's own API takes the guard.
    #[test]
    fn the_help_of_a_wait_without_a_loop_follows_its_api() {
        let text = |krate: &str, wait: &str| {
            format!(
                "use {krate}::{{Condvar, Mutex}};\nstatic M: Mutex<bool> = Mutex::new(false);\n\
                 static CV: Condvar = Condvar::new();\nfn main() {{\n    let mut g = M.lock(){unwrap};\n    \
                 if !*g {{\n        {wait};\n    }}\n}}\n",
                unwrap = if krate == "std::sync" { ".unwrap()" } else { "" },
            )
        };
        for (krate, wait, help) in [
            (
                "std::sync",
                "g = CV.wait(g).unwrap()",
                "guard = cv.wait(guard);",
            ),
            ("parking_lot", "CV.wait(&mut g)", "cv.wait(&mut guard);"),
        ] {
            let analysis = analyze(&[file("src/main.rs", &text(krate, wait))]);
            // (D005 too: nothing notifies.)
            let helps: Vec<Option<&str>> = analysis
                .diagnostics
                .iter()
                .filter(|d| d.code == "L002")
                .map(|d| d.help.as_deref())
                .collect();
            assert!(
                matches!(helps.as_slice(), [Some(h)] if h.contains(help)),
                "{krate}: {helps:?}"
            );
        }
    }

    #[test]
    fn crates_using_std_sync_are_modelled() {
        let text = "use std::sync::Mutex;\nstatic M: Mutex<u32> = Mutex::new(0);\n\
                    fn main() {\n    let _g = M.lock();\n    let _h = M.lock();\n}\n";
        assert_eq!(
            found(&[file("src/main.rs", text)]),
            vec![at("src/main.rs", 5, "D002")]
        );
    }

    /// Two requests' reply channels kept in one locked job list: the pushing thread answers on
    /// either, so a requester that keeps the list locked while it waits for its answer, in a
    /// loop, blocks the thread that must lock the list to answer it. (Its waiting ends only
    /// when that thread has answered, which orders the next round's lock, not this one's.)
    #[test]
    fn reply_channels_of_two_requests_in_one_list_are_both_answered() {
        let text = |first: &str| {
            format!(
                "use std::sync::mpsc::{{sync_channel, SyncSender}};\nuse std::sync::{{Arc, Condvar, Mutex}};\n\
                 enum Job {{ Flush(SyncSender<u32>), Stop }}\n\
                 pub struct Push {{ pending: Mutex<Vec<Job>>, wakeup: Condvar }}\n\
                 impl Push {{\n    fn next_batch(&self) -> Vec<Job> {{\n        let mut pending = self.pending.lock().unwrap();\n        \
                 while pending.is_empty() {{ pending = self.wakeup.wait(pending).unwrap(); }}\n        std::mem::take(&mut *pending)\n    }}\n    \
                 fn run(&self) {{\n        loop {{\n            for job in self.next_batch() {{\n                \
                 match job {{ Job::Flush(ack) => drop(ack.clone().send(1)), Job::Stop => return }}\n            }}\n        }}\n    }}\n    \
                 fn flush(&self) -> u32 {{\n        let (tx, rx) = sync_channel(1);\n        let mut g = self.pending.lock().unwrap();\n        \
                 g.push(Job::Flush(tx));\n        self.wakeup.notify_one();\n        {first}\n        rx.recv().unwrap_or(0)\n    }}\n    \
                 fn stop(&self) -> u32 {{\n        let (tx, rx) = sync_channel(1);\n        let mut g = self.pending.lock().unwrap();\n        \
                 g.extend([Job::Flush(tx), Job::Stop]);\n        drop(g);\n        self.wakeup.notify_one();\n        rx.recv().unwrap_or(0)\n    }}\n}}\n\
                 pub fn main() {{\n    let push = Arc::new(Push {{ pending: Mutex::new(Vec::new()), wakeup: Condvar::new() }});\n    \
                 let p = Arc::clone(&push);\n    let worker = std::thread::spawn(move || loop {{ p.flush(); }});\n    \
                 let q = Arc::clone(&push);\n    let pusher = std::thread::spawn(move || q.run());\n    push.stop();\n    \
                 worker.join().unwrap();\n    pusher.join().unwrap();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 24, "D003")]);
    }

    /// A request sent as a struct variant (`Request::Now { reply, epoch }`) carries its reply
    /// channel, and the pattern that matches it binds it back: a requester that keeps the
    /// flusher's lock while it waits, in its command loop, blocks the flusher, which takes that
    /// lock before answering in its own loop (and answers a second kind of request on another
    /// channel, which orders nothing in this round).
    #[test]
    fn a_reply_channel_in_a_struct_variant_is_the_one_answered() {
        let text = |first: &str| {
            format!(
                "use std::sync::mpsc::{{channel, Receiver, Sender}};\nuse std::sync::{{Arc, Mutex}};\n\
                 pub enum Request {{ Now {{ reply: Sender<u64>, epoch: u64 }}, Health {{ reply: Sender<bool> }}, Stop }}\n\
                 pub struct Flusher {{ ctl: Mutex<u64>, requests: Mutex<Receiver<Request>> }}\n\
                 impl Flusher {{\n    fn run(&self) {{\n        loop {{\n            \
                 let request = self.requests.lock().unwrap().recv();\n            match request {{\n                \
                 Ok(Request::Now {{ reply, epoch }}) => {{\n                    *self.ctl.lock().unwrap() += epoch;\n                    \
                 let _ = reply.send(1);\n                }}\n                \
                 Ok(Request::Health {{ reply }}) => drop(reply.send(true)),\n                _ => return,\n            }}\n        }}\n    }}\n}}\n\
                 fn flush_now(flusher: &Flusher, to: &Sender<Request>) -> u64 {{\n    let g = flusher.ctl.lock().unwrap();\n    \
                 let (reply, answer) = channel();\n    let _ = to.send(Request::Now {{ reply, epoch: *g }});\n    {first}\n    \
                 answer.recv().unwrap_or(0)\n}}\n\
                 fn health(to: &Sender<Request>) -> bool {{\n    let (reply, answer) = channel();\n    \
                 let _ = to.send(Request::Health {{ reply }});\n    answer.recv().unwrap_or(false)\n}}\n\
                 pub fn main() {{\n    let (to, requests) = channel();\n    \
                 let flusher = Arc::new(Flusher {{ ctl: Mutex::new(0), requests: Mutex::new(requests) }});\n    \
                 let f = Arc::clone(&flusher);\n    let worker = std::thread::spawn(move || f.run());\n    \
                 let admin_to = to.clone();\n    let admin_flusher = Arc::clone(&flusher);\n    \
                 let admin = std::thread::spawn(move || loop {{\n        health(&admin_to);\n        flush_now(&admin_flusher, &admin_to);\n    }});\n    \
                 let _ = to.send(Request::Stop);\n    worker.join().unwrap();\n    admin.join().unwrap();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 25, "D003")]);
    }

    /// A map's `insert` writes back the element of its key: a value a getter read for the same
    /// caller's `id` (passed down to both) is stale; one read for another key is not.
    #[test]
    fn an_insert_writes_back_only_the_element_of_its_key() {
        let text = |clean: bool| {
            let written = if clean { "other" } else { "id" };
            format!(
                "use std::collections::HashMap;\nuse std::sync::{{Arc, Mutex}};\n\
                 pub struct Caps {{ caps: Mutex<HashMap<u32, i64>> }}\n\
                 impl Caps {{\n    fn cap(&self, id: u32) -> i64 {{\n        \
                 self.caps.lock().unwrap().get(&id).copied().unwrap_or(0)\n    }}\n    \
                 fn set_cap(&self, id: u32, cap: i64) {{\n        self.caps.lock().unwrap().insert(id, cap);\n    }}\n    \
                 fn raise(&self, id: u32, other: u32, delta: i64) {{\n        let current = self.cap(id);\n        \
                 self.set_cap({written}, current + delta);\n    }}\n}}\n\
                 pub fn run() {{\n    let c = Arc::new(Caps {{ caps: Mutex::new(HashMap::new()) }});\n    \
                 let o = Arc::clone(&c);\n    let t = std::thread::spawn(move || o.raise(1, 2, 5));\n    \
                 c.raise(1, 2, 7);\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 13, "R003")]);
    }

    /// An object built for a write (`Stats { hits: hits + 1 }`) writes back what its fields
    /// were read from.
    #[test]
    fn an_object_built_from_a_stale_read_is_a_write_back() {
        let text = |clean: bool| {
            let hits = if clean { "1" } else { "hits + 1" };
            format!(
                "use std::sync::{{Arc, Mutex}};\n\
                 pub struct Stats {{ hits: u64 }}\n\
                 pub struct Service {{ stats: Mutex<Stats> }}\n\
                 impl Service {{\n    fn hit(&self) {{\n        let hits = self.stats.lock().unwrap().hits;\n        \
                 *self.stats.lock().unwrap() = Stats {{ hits: {hits} }};\n    }}\n}}\n\
                 pub fn run(start: u64) {{\n    let s = Arc::new(Service {{ stats: Mutex::new(Stats {{ hits: start }}) }});\n    \
                 let o = Arc::clone(&s);\n    let t = std::thread::spawn(move || o.hit());\n    \
                 s.hit();\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 7, "R003")]);
    }

    /// An unordered pair of a family's elements taken by run-time ids (`move_items(from, to)`)
    /// may be any two elements: against a thread that holds one by id and takes the first by a
    /// constant, it is an inversion.
    #[test]
    fn an_unordered_pair_by_ids_inverts_an_id_then_a_constant() {
        let text = |first: &str| {
            format!(
                "use std::sync::{{Arc, Mutex}};\n\
                 pub struct Topic {{ parts: Vec<Mutex<Vec<u32>>> }}\n\
                 impl Topic {{\n    fn move_items(&self, from: usize, to: usize) {{\n        \
                 let mut source = self.parts[from].lock().unwrap();\n        \
                 let mut target = self.parts[to].lock().unwrap();\n        target.append(&mut source);\n    }}\n    \
                 fn spill(&self) {{\n        let last = self.parts.len() - 1;\n        \
                 let g = self.parts[last].lock().unwrap();\n        {first}\n        \
                 self.parts[0].lock().unwrap().push(1);\n    }}\n}}\n\
                 pub fn run(from: usize, to: usize) {{\n    \
                 let t = Arc::new(Topic {{ parts: (0..4).map(|_| Mutex::new(Vec::new())).collect() }});\n    \
                 let o = Arc::clone(&t);\n    let h = std::thread::spawn(move || o.move_items(from, to));\n    \
                 t.spill();\n    h.join().unwrap();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 6, "D001")]);
    }

    /// Threads of a scope spawned in a loop, in each round of an outer loop, run together: one
    /// that waits at their barrier holding a lock blocks the others, which take it first.
    #[test]
    fn scoped_threads_of_one_round_wait_for_each_other_at_a_barrier() {
        let text = |first: &str| {
            format!(
                "use std::sync::{{Barrier, Mutex}};\n\
                 pub struct Engine {{ history: Mutex<Vec<u32>> }}\n\
                 impl Engine {{\n    fn round(&self, parts: &[u32]) {{\n        \
                 let barrier = Barrier::new(parts.len());\n        std::thread::scope(|s| {{\n            \
                 for part in parts {{\n                let barrier = &barrier;\n                \
                 s.spawn(move || {{\n                    let mut g = self.history.lock().unwrap();\n                    \
                 g.push(*part);\n                    {first}\n                    barrier.wait();\n                }});\n            \
                 }}\n        }});\n    }}\n}}\n\
                 pub fn run(parts: Vec<u32>) {{\n    let engine = Engine {{ history: Mutex::new(Vec::new()) }};\n    \
                 loop {{\n        engine.round(&parts);\n    }}\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 13, "D003")]);
    }

    /// A struct of plain data copied out of a map (`get(&k).cloned()`) is a snapshot of the
    /// guard's data: stored back under a later guard at the same key, it is a write-back; a
    /// fresh value stored instead is not.
    #[test]
    fn a_copied_element_object_stored_back_is_a_write_back() {
        let text = |clean: bool| {
            let stored = if clean {
                "RouteStats::default()"
            } else {
                "stats"
            };
            format!(
                "use std::collections::HashMap;\nuse std::sync::{{Arc, Mutex}};\n\
                 #[derive(Clone, Default)]\npub struct RouteStats {{ count: u64 }}\n\
                 pub struct Metrics {{ routes: Mutex<HashMap<String, RouteStats>> }}\n\
                 impl Metrics {{\n    fn route_stats(&self, prefix: &str) -> RouteStats {{\n        \
                 self.routes.lock().unwrap().get(prefix).cloned().unwrap_or_default()\n    }}\n    \
                 fn record(&self, prefix: &str) {{\n        let mut stats = self.route_stats(prefix);\n        \
                 stats.count += 1;\n        self.routes.lock().unwrap().insert(prefix.to_string(), {stored});\n    }}\n}}\n\
                 pub fn run() {{\n    let m = Arc::new(Metrics {{ routes: Mutex::new(HashMap::new()) }});\n    \
                 let o = Arc::clone(&m);\n    let t = std::thread::spawn(move || o.record(\"/api\"));\n    \
                 m.record(\"/api\");\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 13, "R003")]);
    }

    /// A guard handed to a binding of one arm (`let g = cv.wait(g)` inside an `if`) is dropped
    /// with that arm's block, and stays with its owner on the other path: it is released by the
    /// end of the function either way, and a caller that locks again afterwards holds nothing.
    #[test]
    fn a_guard_rebound_in_one_arm_is_released_on_every_path() {
        let text = |clean: bool| {
            let again = if clean { "" } else { "self.phase();" };
            format!(
                "use std::sync::{{Arc, Condvar, Mutex}};\n\
                 pub struct Gate {{ phase: Mutex<u32>, changed: Condvar }}\n\
                 impl Gate {{\n    fn phase(&self) -> u32 {{\n        *self.phase.lock().unwrap()\n    }}\n    \
                 fn wait_for_open(&self) -> u32 {{\n        let phase = self.phase.lock().unwrap();\n        \
                 if *phase != 2 {{\n            let phase = self.changed.wait_while(phase, |p| *p != 2).unwrap();\n            return *phase;\n        }}\n        \
                 {again}\n        *phase\n    }}\n    \
                 fn set(&self, v: u32) {{\n        *self.phase.lock().unwrap() = v;\n        self.changed.notify_all();\n    }}\n}}\n\
                 pub fn run() {{\n    let g = Arc::new(Gate {{ phase: Mutex::new(0), changed: Condvar::new() }});\n    \
                 let o = Arc::clone(&g);\n    let t = std::thread::spawn(move || o.set(2));\n    \
                 g.wait_for_open();\n    g.phase();\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 5, "D002")]);
    }

    /// An element of a family taken by a run-time index stands for several, but one taken again
    /// by the same index (a callee given the caller's `idx`) is the one held.
    #[test]
    fn an_element_taken_again_by_the_same_index_is_a_double_acquire() {
        let text = |first: &str| {
            format!(
                "use std::sync::{{Arc, Mutex}};\n\
                 pub struct Limiter {{ shards: Vec<Mutex<Vec<u64>>> }}\n\
                 impl Limiter {{\n    fn check(&self, client: usize) {{\n        let idx = client % self.shards.len();\n        \
                 let g = self.shards[idx].lock().unwrap();\n        {first}\n        self.evict(idx);\n    }}\n    \
                 fn evict(&self, idx: usize) {{\n        self.shards[idx].lock().unwrap().clear();\n    }}\n}}\n\
                 pub fn run(client: usize) {{\n    \
                 let l = Arc::new(Limiter {{ shards: (0..8).map(|_| Mutex::new(Vec::new())).collect() }});\n    \
                 let o = Arc::clone(&l);\n    let t = std::thread::spawn(move || o.check(client));\n    \
                 l.check(client + 1);\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 11, "D002")]);
    }

    /// A family's elements taken in turn (`for shard in &shards`) are every element, those a
    /// loop over indices takes (`shards[i]`) among them: holding each while taking another lock
    /// inverts a thread that holds that lock while it takes `shards[i]`.
    #[test]
    fn elements_taken_in_turn_invert_elements_taken_by_a_loop_index() {
        let text = |first: &str| {
            format!(
                "use std::sync::{{Arc, Mutex}};\n\
                 pub struct Store {{ shards: Vec<Mutex<Vec<u64>>>, outbox: Mutex<Vec<u64>> }}\n\
                 impl Store {{\n    fn evict(&self) {{\n        for shard in &self.shards {{\n            \
                 let g = shard.lock().unwrap();\n            let n = g.len() as u64;\n            {first}\n            \
                 self.outbox.lock().unwrap().push(n);\n        }}\n    }}\n    \
                 fn flush(&self) {{\n        let mut outbox = self.outbox.lock().unwrap();\n        \
                 for i in 0..self.shards.len() {{\n            outbox.extend(self.shards[i].lock().unwrap().iter());\n        }}\n    }}\n}}\n\
                 pub fn run() {{\n    let s = Arc::new(Store {{ shards: (0..4).map(|_| Mutex::new(Vec::new())).collect(), outbox: Mutex::new(Vec::new()) }});\n    \
                 let o = Arc::clone(&s);\n    let t = std::thread::spawn(move || o.evict());\n    \
                 s.flush();\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 9, "D001")]);
    }

    /// A handle stored through a guard (`*self.worker.lock() = Some(handle)`) is what the lock
    /// protects: taking it out and joining it while holding a lock the thread needs is D003.
    #[test]
    fn a_handle_stored_through_a_guard_is_joined_from_it() {
        let text = |first: &str| {
            format!(
                "use std::sync::{{Arc, Mutex, RwLock}};\nuse std::thread::JoinHandle;\n\
                 pub struct Hub {{ subscribers: RwLock<Vec<u32>>, worker: Mutex<Option<JoinHandle<()>>> }}\n\
                 impl Hub {{\n    fn start(self: &Arc<Self>) {{\n        let hub = Arc::clone(self);\n        \
                 let handle = std::thread::spawn(move || hub.run());\n        *self.worker.lock().unwrap() = Some(handle);\n    }}\n    \
                 fn run(&self) {{\n        let n = self.subscribers.read().unwrap().len();\n        let _ = n;\n    }}\n    \
                 fn stop(&self) {{\n        let g = self.subscribers.write().unwrap();\n        {first}\n        \
                 let handle = self.worker.lock().unwrap().take();\n        \
                 if let Some(handle) = handle {{\n            let _ = handle.join();\n        }}\n    }}\n}}\n\
                 pub fn run() {{\n    let hub = Arc::new(Hub {{ subscribers: RwLock::new(Vec::new()), worker: Mutex::new(None) }});\n    \
                 hub.start();\n    hub.stop();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 19, "D003")]);
    }

    /// The review's false alarms, each with the case it must still find: a wait whose own `?`
    /// fails only on poisoning, or whose arm goes round with `continue`, is re-checked.
    #[test]
    fn a_wait_that_continues_or_fails_only_on_poison_is_re_checked() {
        let text = |clean: bool| {
            let after_wait = if clean { "continue;" } else { "" };
            format!(
                "use std::collections::VecDeque;\nuse std::sync::{{Arc, Condvar, Mutex}};\n\
                 pub struct Q {{ jobs: Mutex<VecDeque<u32>>, ready: Condvar }}\n\
                 impl Q {{\n    fn next(&self) -> Result<u32, ()> {{\n        let mut q = self.jobs.lock().unwrap();\n        \
                 loop {{\n            if q.is_empty() {{\n                q = self.ready.wait(q).map_err(|_| ())?;\n                {after_wait}\n            }}\n            \
                 let job = q.pop_front().ok_or(())?;\n            if job > 0 {{\n                return Ok(job);\n            }}\n        }}\n    }}\n}}\n\
                 pub fn run() {{\n    let q = Arc::new(Q {{ jobs: Mutex::new(VecDeque::new()), ready: Condvar::new() }});\n    \
                 let o = Arc::clone(&q);\n    let t = std::thread::spawn(move || o.next());\n    \
                 q.jobs.lock().unwrap().push_back(1);\n    q.ready.notify_all();\n    let _ = t.join();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 9, "L002")]);
    }

    /// A key bound anew (`let id = to;`) is another key: inserting a value read under the first
    /// is no write-back of the second.
    #[test]
    fn a_key_bound_anew_is_another_key() {
        let text = |clean: bool| {
            let rebind = if clean { "let id = to;" } else { "let _ = to;" };
            format!(
                "use std::collections::HashMap;\nuse std::sync::{{Arc, Mutex}};\n\
                 pub struct M {{ m: Mutex<HashMap<u32, u32>> }}\n\
                 impl M {{\n    fn copy(&self, from: u32, to: u32) {{\n        let id = from;\n        \
                 let v = self.m.lock().unwrap().get(&id).copied().unwrap_or(0);\n        {rebind}\n        \
                 self.m.lock().unwrap().insert(id, v + 1);\n    }}\n}}\n\
                 pub fn run() {{\n    let m = Arc::new(M {{ m: Mutex::new(HashMap::new()) }});\n    \
                 let o = Arc::clone(&m);\n    let t = std::thread::spawn(move || o.copy(1, 2));\n    \
                 m.copy(2, 1);\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 9, "R003")]);
    }

    /// Channels the program keeps in a collection itself (workers' inboxes) are a family, not
    /// alternatives: a send on them orders the worker's receive, and what the worker takes
    /// after it cannot meet what main took before.
    #[test]
    fn inboxes_kept_in_a_collection_order_their_workers() {
        let text = |clean: bool| {
            let (before, after) = if clean {
                (
                    "",
                    "let _a = o.a.lock().unwrap();\n        let _b = o.b.lock().unwrap();",
                )
            } else {
                (
                    "let _a = o.a.lock().unwrap();\n        let _b = o.b.lock().unwrap();",
                    "",
                )
            };
            format!(
                "use std::collections::HashMap;\nuse std::sync::mpsc::{{channel, Sender}};\nuse std::sync::{{Arc, Mutex}};\n\
                 pub struct P {{ a: Mutex<u32>, b: Mutex<u32> }}\n\
                 pub fn run() {{\n    let p = Arc::new(P {{ a: Mutex::new(0), b: Mutex::new(0) }});\n    \
                 let mut inboxes: HashMap<u32, Sender<u32>> = HashMap::new();\n    let (tx, rx) = channel();\n    \
                 let (tx2, rx2) = channel();\n    inboxes.insert(1, tx);\n    inboxes.insert(2, tx2);\n    \
                 let other = std::thread::spawn(move || {{\n        let _ = rx2.recv();\n    }});\n    \
                 let o = Arc::clone(&p);\n    let t = std::thread::spawn(move || {{\n        \
                 {before}\n        let _ = rx.recv();\n        {after}\n    }});\n    \
                 {{\n        let _b = p.b.lock().unwrap();\n        let _a = p.a.lock().unwrap();\n    }}\n    \
                 for inbox in inboxes.values() {{\n        let _ = inbox.send(1);\n    }}\n    t.join().unwrap();\n    other.join().unwrap();\n}}\n"
            )
        };
        let found = found(&[file("src/lib.rs", &text(false))]);
        assert!(found.iter().any(|(_, _, code)| code == "D001"), "{found:?}");
        assert_eq!(found_codes(&text(true)), Vec::<String>::new());
    }

    fn found_codes(text: &str) -> Vec<String> {
        found(&[file("src/lib.rs", text)])
            .into_iter()
            .map(|(_, _, code)| code)
            .collect()
    }

    #[test]
    fn named_elements_taken_in_index_order_do_not_invert_an_ordered_pair() {
        // `transfer` takes the lower id first; `sweep` takes two named accounts. Ascending, they
        // keep its order; descending (9 then 1) they invert it for the ids 1 and 9.
        let text = |clean: bool| {
            let (first, second) = if clean { (0, 1) } else { (9, 1) };
            format!(
                "use std::sync::{{Arc, Mutex}};\n\
                 pub struct Bank {{ accounts: Vec<Mutex<i64>> }}\n\
                 impl Bank {{\n    fn transfer(&self, from: usize, to: usize) {{\n        \
                 let (lo, hi) = if from < to {{ (from, to) }} else {{ (to, from) }};\n        \
                 let _a = self.accounts[lo].lock().unwrap();\n        \
                 let _b = self.accounts[hi].lock().unwrap();\n    }}\n    \
                 fn sweep(&self) {{\n        let _f = self.accounts[{first}].lock().unwrap();\n        \
                 let _r = self.accounts[{second}].lock().unwrap();\n    }}\n}}\n\
                 pub fn run(a: usize, b: usize) {{\n    \
                 let bank = Arc::new(Bank {{ accounts: (0..10).map(|_| Mutex::new(0)).collect() }});\n    \
                 let other = Arc::clone(&bank);\n    let t = std::thread::spawn(move || other.transfer(a, b));\n    \
                 bank.sweep();\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 7, "D001")]);
    }

    #[test]
    fn a_dispatcher_started_before_its_client_is_walked_with_the_clients_requests() {
        // `serve` starts a thread for each `Apply`, so it cannot be walked again once its
        // client has sent: its first walk waits until the client's is done.
        let text = |first: &str| {
            format!(
                "use std::sync::mpsc::{{channel, Receiver, Sender}};\nuse std::sync::{{Arc, Mutex}};\n\
                 pub enum Cmd {{ Apply {{ reply: Sender<u32> }}, Stop }}\n\
                 pub struct Svc {{ config: Mutex<u32> }}\n\
                 fn serve(svc: &Svc, rx: Receiver<Cmd>) {{\n    for cmd in rx {{\n        match cmd {{\n            \
                 Cmd::Apply {{ reply }} => {{\n                let limit = *svc.config.lock().unwrap();\n                \
                 std::thread::scope(|s| {{ s.spawn(|| limit + 1); }});\n                \
                 let _ = reply.send(limit);\n            }}\n            Cmd::Stop => break,\n        }}\n    }}\n}}\n\
                 fn apply(svc: &Svc, tx: &Sender<Cmd>) -> u32 {{\n    let g = svc.config.lock().unwrap();\n    {first}\n    \
                 let (reply, answer) = channel();\n    let _ = tx.send(Cmd::Apply {{ reply }});\n    \
                 answer.recv().unwrap_or(0)\n}}\n\
                 pub fn run() {{\n    let svc = Arc::new(Svc {{ config: Mutex::new(0) }});\n    \
                 let (tx, rx) = channel();\n    let me = Arc::clone(&svc);\n    \
                 let server = std::thread::spawn(move || serve(&me, rx));\n    \
                 let (other, client_tx) = (Arc::clone(&svc), tx.clone());\n    \
                 let client = std::thread::spawn(move || apply(&other, &client_tx));\n    \
                 let _ = client.join();\n    let _ = tx.send(Cmd::Stop);\n    server.join().unwrap();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 22, "D003")]);
    }

    #[test]
    fn a_number_another_thread_put_in_a_guarded_map_is_still_read_through_the_guard() {
        // `release` puts `0` in the map before the engines are walked with their orders: what
        // `used` reads is still the guard's data, written back by `set_used` (R003).
        let text = |clean: bool| {
            let reserve = if clean {
                "*self.credit.lock().unwrap().entry(account).or_insert(0) += n;"
            } else {
                "let used = self.used(account);\n        self.set_used(account, used + n);"
            };
            format!(
                "use std::collections::HashMap;\nuse std::sync::mpsc::{{channel, Receiver}};\nuse std::sync::{{Arc, Mutex}};\n\
                 pub struct Order {{ account: u32, qty: i64 }}\npub enum Request {{ New(Order), Stop }}\n\
                 pub struct Risk {{ credit: Mutex<HashMap<u32, i64>> }}\n\
                 impl Risk {{\n    fn used(&self, account: u32) -> i64 {{\n        \
                 self.credit.lock().unwrap().get(&account).copied().unwrap_or(0)\n    }}\n    \
                 fn set_used(&self, account: u32, used: i64) {{\n        self.credit.lock().unwrap().insert(account, used);\n    }}\n    \
                 pub fn reserve(&self, account: u32, n: i64) {{\n        {reserve}\n    }}\n    \
                 pub fn release(&self, account: u32, n: i64) {{\n        \
                 *self.credit.lock().unwrap().entry(account).or_insert(0) -= n;\n    }}\n}}\n\
                 fn engine(risk: &Risk, rx: Receiver<Request>) {{\n    while let Ok(req) = rx.recv() {{\n        match req {{\n            \
                 Request::New(order) => risk.reserve(order.account, order.qty),\n            Request::Stop => break,\n        }}\n    }}\n}}\n\
                 pub fn run() {{\n    let risk = Arc::new(Risk {{ credit: Mutex::new(HashMap::new()) }});\n    \
                 let (mut engines, mut inboxes) = (Vec::new(), Vec::new());\n    for _ in 0..2 {{\n        \
                 let (tx, rx) = channel();\n        inboxes.push(tx);\n        let r = Arc::clone(&risk);\n        \
                 engines.push(std::thread::spawn(move || engine(&r, rx)));\n    }}\n    \
                 let r = Arc::clone(&risk);\n    let monitor = std::thread::spawn(move || r.release(1, 5));\n    \
                 let gateway = std::thread::spawn(move || {{\n        for tx in &inboxes {{\n            \
                 let _ = tx.send(Request::New(Order {{ account: 1, qty: 5 }}));\n            let _ = tx.send(Request::Stop);\n        }}\n    }});\n    \
                 gateway.join().unwrap();\n    monitor.join().unwrap();\n    \
                 for e in engines {{\n        e.join().unwrap();\n    }}\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 16, "R003")]);
    }

    #[test]
    fn a_read_guard_does_not_make_an_atomic_load_and_store_one_update() {
        let text = |clean: bool| {
            let guard = if clean { "write" } else { "read" };
            format!(
                "use std::sync::atomic::{{AtomicU64, Ordering}};\nuse std::sync::{{Arc, RwLock}};\n\
                 pub struct World {{ next: AtomicU64, regions: RwLock<u32> }}\n\
                 impl World {{\n    fn alloc(&self) -> u64 {{\n        let id = self.next.load(Ordering::Acquire);\n        \
                 self.next.store(id + 1, Ordering::Release);\n        id\n    }}\n    \
                 pub fn spawn(&self) -> u64 {{\n        let _r = self.regions.{guard}().unwrap();\n        self.alloc()\n    }}\n}}\n\
                 pub fn run() {{\n    let w = Arc::new(World {{ next: AtomicU64::new(1), regions: RwLock::new(0) }});\n    \
                 let o = Arc::clone(&w);\n    let t = std::thread::spawn(move || o.spawn());\n    w.spawn();\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 7, "R002")]);
    }

    #[test]
    fn an_atomic_update_one_caller_guards_is_still_split_for_another() {
        // `wave` calls `alloc` under the write guard first, where it records nothing: that walk
        // is not reused for `spawn`, which calls it bare.
        let text = |clean: bool| {
            let bare = if clean {
                "let _w = self.regions.write().unwrap();\n        self.alloc()"
            } else {
                "self.alloc()"
            };
            format!(
                "use std::sync::atomic::{{AtomicU64, Ordering}};\nuse std::sync::{{Arc, RwLock}};\n\
                 pub struct World {{ next: AtomicU64, regions: RwLock<u32> }}\n\
                 impl World {{\n    fn alloc(&self) {{\n        let id = self.next.load(Ordering::Acquire);\n        \
                 self.next.store(id + 1, Ordering::Release);\n    }}\n    \
                 pub fn wave(&self) {{\n        let _w = self.regions.write().unwrap();\n        self.alloc()\n    }}\n    \
                 pub fn spawn(&self) {{\n        {bare}\n    }}\n}}\n\
                 pub fn run() {{\n    let w = Arc::new(World {{ next: AtomicU64::new(1), regions: RwLock::new(0) }});\n    \
                 let o = Arc::clone(&w);\n    let t = std::thread::spawn(move || o.wave());\n    \
                 let u = std::thread::spawn({{ let w = Arc::clone(&w); move || w.spawn() }});\n    \
                 t.join().unwrap();\n    u.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 7, "R002")]);
    }

    #[test]
    fn a_reply_sent_in_a_loop_does_not_order_the_senders_later_rounds() {
        // The flusher's first reply orders its first round before what the worker does after
        // receiving it, not the rounds after: on a timer, they come whether or not anyone
        // kicked, and still take `segments` then `buffer`.
        let text = |first: &str| {
            format!(
                "use std::sync::mpsc::{{channel, Receiver, Sender}};\nuse std::sync::{{Arc, Mutex}};\n\
                 pub struct Wal {{ buffer: Mutex<u32>, segments: Mutex<u32> }}\n\
                 fn flusher(wal: &Wal, kicks: Receiver<()>, replies: Sender<u32>) {{\n    \
                 loop {{\n        let _ = kicks.recv_timeout(std::time::Duration::from_millis(10));\n        let g = wal.segments.lock().unwrap();\n        {first}\n        \
                 let _b = wal.buffer.lock().unwrap();\n        let _ = replies.send(1);\n    }}\n}}\n\
                 fn worker(wal: &Wal, kicks: Sender<()>, replies: Receiver<u32>) {{\n    \
                 let _ = kicks.send(());\n    let _ = replies.recv();\n    \
                 let _b = wal.buffer.lock().unwrap();\n    let _s = wal.segments.lock().unwrap();\n}}\n\
                 pub fn run() {{\n    let wal = Arc::new(Wal {{ buffer: Mutex::new(0), segments: Mutex::new(0) }});\n    \
                 let (kick_tx, kick_rx) = channel();\n    let (reply_tx, reply_rx) = channel();\n    \
                 let w = Arc::clone(&wal);\n    let f = std::thread::spawn(move || flusher(&w, kick_rx, reply_tx));\n    \
                 worker(&wal, kick_tx, reply_rx);\n    f.join().unwrap();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 9, "D001")]);
    }

    #[test]
    fn a_join_in_one_arm_does_not_order_another_arm() {
        // The admin joins the reaper in the `Restart` arm; the `Health` arm is not after that
        // join (nor, through the loop, is its first round), so it runs beside the reaper, which
        // takes `state` then `log`.
        let text = |first: &str| {
            format!(
                "use std::sync::mpsc::Receiver;\nuse std::sync::{{Arc, Mutex}};\nuse std::thread::JoinHandle;\n\
                 pub enum Cmd {{ Restart, Health }}\n\
                 pub struct Pool {{ state: Mutex<u32>, log: Mutex<u32>, reaper: Mutex<Option<JoinHandle<()>>> }}\n\
                 fn reap(pool: &Pool) {{\n    let _s = pool.state.lock().unwrap();\n    let _l = pool.log.lock().unwrap();\n}}\n\
                 fn admin(pool: Arc<Pool>, rx: Receiver<Cmd>) {{\n    for cmd in rx {{\n        match cmd {{\n            \
                 Cmd::Restart => {{\n                let reaper = pool.reaper.lock().unwrap().take();\n                \
                 if let Some(h) = reaper {{\n                    h.join().unwrap();\n                }}\n            }}\n            \
                 Cmd::Health => {{\n                let g = pool.log.lock().unwrap();\n                {first}\n                \
                 let _s = pool.state.lock().unwrap();\n            }}\n        }}\n    }}\n}}\n\
                 pub fn run(rx: Receiver<Cmd>) {{\n    \
                 let pool = Arc::new(Pool {{ state: Mutex::new(0), log: Mutex::new(0), reaper: Mutex::new(None) }});\n    \
                 let p = Arc::clone(&pool);\n    let h = std::thread::spawn(move || reap(&p));\n    \
                 *pool.reaper.lock().unwrap() = Some(h);\n    \
                 let a = std::thread::spawn(move || admin(pool, rx));\n    a.join().unwrap();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 8, "D001")]);
    }

    #[test]
    fn an_account_read_by_a_getter_and_written_through_its_entry_is_a_stale_write_back() {
        // The map is collected from pairs; the getter reads a field of the element it looks up,
        // the setter writes that field of the element `entry` gives: the same element, by key.
        let text = |clean: bool| {
            let charge = if clean {
                "self.accounts.lock().unwrap().entry(customer).or_default().balance -= cost;"
            } else {
                "let balance = self.balance(customer);\n        self.set_balance(customer, balance - cost);"
            };
            format!(
                "use std::collections::HashMap;\nuse std::sync::{{Arc, Mutex}};\n\
                 #[derive(Default)]\npub struct Account {{ balance: i64 }}\n\
                 pub struct Ledger {{ accounts: Mutex<HashMap<u32, Account>> }}\n\
                 impl Ledger {{\n    fn balance(&self, customer: u32) -> i64 {{\n        \
                 self.accounts.lock().unwrap().get(&customer).map_or(0, |a| a.balance)\n    }}\n    \
                 fn set_balance(&self, customer: u32, balance: i64) {{\n        \
                 self.accounts.lock().unwrap().entry(customer).or_default().balance = balance;\n    }}\n    \
                 pub fn charge(&self, customer: u32, cost: i64) {{\n        {charge}\n    }}\n}}\n\
                 pub fn run(customers: Vec<u32>) {{\n    \
                 let accounts = customers.iter().map(|&c| (c, Account::default())).collect();\n    \
                 let ledger = Arc::new(Ledger {{ accounts: Mutex::new(accounts) }});\n    \
                 let other = Arc::clone(&ledger);\n    let t = std::thread::spawn(move || other.charge(1, 5));\n    \
                 ledger.charge(1, 3);\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 15, "R003")]);
    }

    #[test]
    fn a_field_read_of_a_looked_up_element_is_written_back_by_inserting_it_anew() {
        let text = |clean: bool| {
            let charge = if clean {
                "if let Some(a) = self.accounts.lock().unwrap().get_mut(&customer) {\n            a.balance -= cost;\n        }"
            } else {
                "let balance = self.balance(customer);\n        self.set_balance(customer, balance - cost);"
            };
            format!(
                "use std::collections::HashMap;\nuse std::sync::{{Arc, Mutex}};\n\
                 pub struct Account {{ balance: i64 }}\n\
                 pub struct Ledger {{ accounts: Mutex<HashMap<u32, Account>> }}\n\
                 impl Ledger {{\n    fn balance(&self, customer: u32) -> i64 {{\n        \
                 self.accounts.lock().unwrap().get(&customer).map(|a| a.balance).unwrap_or(0)\n    }}\n    \
                 fn set_balance(&self, customer: u32, balance: i64) {{\n        \
                 self.accounts.lock().unwrap().insert(customer, Account {{ balance }});\n    }}\n    \
                 pub fn charge(&self, customer: u32, cost: i64) {{\n        {charge}\n    }}\n}}\n\
                 pub fn run() {{\n    \
                 let ledger = Arc::new(Ledger {{ accounts: Mutex::new(HashMap::new()) }});\n    \
                 let other = Arc::clone(&ledger);\n    let t = std::thread::spawn(move || other.charge(1, 5));\n    \
                 ledger.charge(1, 3);\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 14, "R003")]);
    }

    #[test]
    fn a_thread_that_takes_every_element_needs_the_one_held_by_id() {
        // `service` holds the printer `id` while it joins a scan that locks each printer in turn.
        let text = |first: &str| {
            format!(
                "use std::sync::{{Arc, Mutex}};\n\
                 pub struct Shop {{ printers: Vec<Mutex<u32>> }}\n\
                 impl Shop {{\n    fn busiest(&self) -> u32 {{\n        let mut most = 0;\n        \
                 for slot in &self.printers {{\n            most = most.max(*slot.lock().unwrap());\n        }}\n        most\n    }}\n}}\n\
                 pub fn service(shop: Arc<Shop>, id: usize) {{\n    \
                 let g = shop.printers[id].lock().unwrap();\n    {first}\n    \
                 let other = Arc::clone(&shop);\n    let scan = std::thread::spawn(move || other.busiest());\n    \
                 let _ = scan.join();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 17, "D003")]);
    }

    #[test]
    fn an_unwrap_of_the_state_after_a_wait_under_if_gives_up_as_a_question_mark_does() {
        // The loop comes round only after the pops: a wakeup with one ticket panics first.
        let text = |clean: bool| {
            let check = if clean { "while" } else { "if" };
            format!(
                "use std::collections::VecDeque;\nuse std::sync::{{Arc, Condvar, Mutex}};\n\
                 pub struct Tickets {{ queue: Mutex<VecDeque<u32>>, available: Condvar }}\n\
                 impl Tickets {{\n    fn pair(&self) -> (u32, u32) {{\n        loop {{\n            \
                 let mut queue = self.queue.lock().unwrap();\n            \
                 {check} queue.len() < 2 {{\n                queue = self.available.wait(queue).unwrap();\n            }}\n            \
                 let first = queue.pop_front().unwrap();\n            let second = queue.pop_front().unwrap();\n            \
                 if first != second {{\n                return (first, second);\n            }}\n        }}\n    }}\n    \
                 pub fn join(&self, t: u32) {{\n        self.queue.lock().unwrap().push_back(t);\n        \
                 self.available.notify_one();\n    }}\n}}\n\
                 pub fn run() {{\n    \
                 let m = Arc::new(Tickets {{ queue: Mutex::new(VecDeque::new()), available: Condvar::new() }});\n    \
                 let me = Arc::clone(&m);\n    let t = std::thread::spawn(move || me.pair());\n    \
                 m.join(1);\n    m.join(2);\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 9, "L002")]);
    }

    #[test]
    fn a_reply_channel_in_a_request_struct_is_the_channel_the_worker_answers_on() {
        // Clients (several) queue `Query { reply }` objects; the console takes `shards` before
        // it answers on the query's `reply`.
        let text = |first: &str| {
            format!(
                "use std::sync::mpsc::{{channel, Receiver, Sender}};\nuse std::sync::{{Arc, Mutex}};\n\
                 pub struct Query {{ id: u32, reply: Sender<u32> }}\n\
                 pub struct Db {{ shards: Mutex<Vec<u32>>, queries: Mutex<Sender<Query>> }}\n\
                 fn console(db: &Db, rx: Receiver<Query>) {{\n    for q in rx {{\n        \
                 let n = db.shards.lock().unwrap().len() as u32;\n        let _ = q.reply.send(n + q.id);\n    }}\n}}\n\
                 fn client(db: &Db, id: u32) -> u32 {{\n    let g = db.shards.lock().unwrap();\n    {first}\n    \
                 let (reply, answer) = channel();\n    let _ = db.queries.lock().unwrap().send(Query {{ id, reply }});\n    \
                 answer.recv().unwrap_or(0)\n}}\n\
                 pub fn run() {{\n    let (tx, rx) = channel();\n    \
                 let db = Arc::new(Db {{ shards: Mutex::new(Vec::new()), queries: Mutex::new(tx) }});\n    \
                 let c = Arc::clone(&db);\n    let console_thread = std::thread::spawn(move || console(&c, rx));\n    \
                 let clients: Vec<_> = (0..4)\n        .map(|id| {{\n            let db = Arc::clone(&db);\n            \
                 std::thread::spawn(move || client(&db, id))\n        }})\n        .collect();\n    \
                 for t in clients {{\n        let _ = t.join();\n    }}\n    drop(db);\n    let _ = console_thread.join();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 16, "D003")]);
    }

    #[test]
    fn a_method_of_an_elements_data_takes_its_locks_while_the_element_is_held() {
        // `owns` is a method of what `shards[idx]` protects: called through the guard, it reads
        // `topology`; the rebalance writes `topology` then takes a shard. (The blind crate dbpool
        // also checks an index stored from a loop variable, `b % shards`, read back as an id.)
        let text = |clean: bool| {
            let check = if clean {
                "let owned = shard_owns(&self.topology, idx);\n        let mut shard = self.shards[idx].lock().unwrap();\n        if !owned"
            } else {
                "let mut shard = self.shards[idx].lock().unwrap();\n        if !shard.owns(&self.topology)"
            };
            format!(
                "use std::sync::{{Arc, Mutex, RwLock}};\n\
                 pub struct Topology {{ owners: Vec<usize> }}\n\
                 impl Topology {{\n    fn uniform(shards: usize, buckets: usize) -> Self {{\n        \
                 Topology {{ owners: (0..buckets).map(|b| b % shards).collect() }}\n    }}\n    \
                 fn owner(&self, bucket: usize) -> usize {{\n        self.owners[bucket % self.owners.len()]\n    }}\n}}\n\
                 pub struct Shard {{ id: usize, rows: u64 }}\n\
                 impl Shard {{\n    fn owns(&self, topology: &RwLock<Topology>) -> bool {{\n        \
                 topology.read().unwrap().owners.contains(&self.id)\n    }}\n}}\n\
                 fn shard_owns(topology: &RwLock<Topology>, id: usize) -> bool {{\n    \
                 topology.read().unwrap().owners.contains(&id)\n}}\n\
                 pub struct Router {{ shards: Vec<Mutex<Shard>>, topology: RwLock<Topology> }}\n\
                 impl Router {{\n    fn execute(&self, key: usize) {{\n        \
                 let idx = self.topology.read().unwrap().owner(key);\n        {check} {{\n            return;\n        }}\n        \
                 shard.rows += 1;\n    }}\n    \
                 fn rebalance(&self, from: usize) {{\n        let mut topo = self.topology.write().unwrap();\n        \
                 let moved = self.shards[from].lock().unwrap().rows;\n        topo.owners.push(moved as usize);\n    }}\n}}\n\
                 pub fn run(key: usize, from: usize) {{\n    let n = 4;\n    \
                 let shards = (0..n).map(|id| Mutex::new(Shard {{ id, rows: 0 }})).collect();\n    \
                 let router = Arc::new(Router {{ shards, topology: RwLock::new(Topology::uniform(n, 64)) }});\n    \
                 let r = Arc::clone(&router);\n    let t = std::thread::spawn(move || r.execute(key));\n    \
                 router.rebalance(from);\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 14, "D001")]);
    }

    #[test]
    fn a_number_a_struct_was_built_with_is_read_through_the_guard_as_any_data() {
        // `failures` starts at 0: what `failure_count` reads is still the guard's data, which
        // `record_failure` writes back under a second guard (R003).
        let text = |clean: bool| {
            let record = if clean {
                "self.breakers[idx].lock().unwrap().failures += 1;"
            } else {
                "let failures = self.failure_count(idx) + 1;\n        self.breakers[idx].lock().unwrap().failures = failures;"
            };
            format!(
                "use std::sync::{{Arc, Mutex}};\n\
                 pub struct Breaker {{ failures: u32 }}\n\
                 pub struct Upstreams {{ breakers: Vec<Mutex<Breaker>> }}\n\
                 impl Upstreams {{\n    fn failure_count(&self, idx: usize) -> u32 {{\n        \
                 self.breakers[idx].lock().unwrap().failures\n    }}\n    \
                 pub fn record_failure(&self, idx: usize) {{\n        {record}\n    }}\n}}\n\
                 pub fn run(idx: usize) {{\n    \
                 let u = Arc::new(Upstreams {{ breakers: (0..3).map(|_| Mutex::new(Breaker {{ failures: 0 }})).collect() }});\n    \
                 let other = Arc::clone(&u);\n    let t = std::thread::spawn(move || other.record_failure(idx));\n    \
                 u.record_failure(idx);\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 10, "R003")]);
    }

    #[test]
    fn requests_of_several_shapes_reach_the_engine_of_a_family_of_inboxes() {
        // The inboxes are a family (`groups[g]`); its requests carry an order object, a std reply
        // channel or a crossbeam one: each arm binds its own. Cancelling waits for the engine
        // while holding `index`, which the engine takes for an order queued ahead.
        let text = |first: &str| {
            format!(
                "use std::sync::mpsc::{{channel, Receiver, Sender}};\nuse std::sync::{{Arc, Mutex}};\n\
                 pub struct Order {{ id: u64 }}\n\
                 pub enum Req {{ New(Order), Cancel {{ id: u64, reply: Sender<bool> }}, Amend {{ reply: crossbeam_channel::Sender<bool> }} }}\n\
                 pub struct Router {{ index: Mutex<Vec<u64>>, groups: Vec<Sender<Req>> }}\n\
                 impl Router {{\n    fn cancel(&self, g: usize, id: u64) -> bool {{\n        \
                 let guard = self.index.lock().unwrap();\n        {first}\n        \
                 let (reply, ack) = channel();\n        let _ = self.groups[g].send(Req::Cancel {{ id, reply }});\n        \
                 ack.recv().unwrap_or(false)\n    }}\n    \
                 fn amend(&self, g: usize) -> bool {{\n        let (reply, ack) = crossbeam_channel::bounded(1);\n        \
                 let _ = self.groups[g].send(Req::Amend {{ reply }});\n        ack.recv().unwrap_or(false)\n    }}\n    \
                 fn submit(&self, g: usize, id: u64) {{\n        let _ = self.groups[g].send(Req::New(Order {{ id }}));\n    }}\n}}\n\
                 fn engine(router: &Router, inbox: Receiver<Req>) {{\n    for req in inbox {{\n        match req {{\n            \
                 Req::New(order) => router.index.lock().unwrap().push(order.id),\n            \
                 Req::Cancel {{ id, reply }} => drop(reply.send(id > 0)),\n            \
                 Req::Amend {{ reply }} => drop(reply.send(true)),\n        }}\n    }}\n}}\n\
                 pub fn run(g: usize) {{\n    let (mut groups, mut inboxes) = (Vec::new(), Vec::new());\n    \
                 for _ in 0..2 {{\n        let (tx, rx) = channel();\n        groups.push(tx);\n        inboxes.push(rx);\n    }}\n    \
                 let router = Arc::new(Router {{ index: Mutex::new(Vec::new()), groups }});\n    \
                 let engines: Vec<_> = inboxes\n        .into_iter()\n        .map(|inbox| {{\n            \
                 let r = Arc::clone(&router);\n            std::thread::spawn(move || engine(&r, inbox))\n        }})\n        .collect();\n    \
                 let client = {{\n        let r = Arc::clone(&router);\n        \
                 std::thread::spawn(move || {{\n            r.submit(g, 1);\n            r.amend(g);\n            r.cancel(g, 1)\n        }})\n    }};\n    \
                 let _ = client.join();\n    drop(router);\n    for e in engines {{\n        let _ = e.join();\n    }}\n}}\n"
            )
        };
        found_unless(
            |clean| {
                text(if clean {
                    "drop(guard);"
                } else {
                    "let _ = &guard;"
                })
            },
            &[at("src/lib.rs", 12, "D003")],
        );
    }

    #[test]
    fn a_clear_that_takes_the_signal_before_acting_on_it_loses_nothing() {
        // Clearing after the flush wipes a `set` made during it; clearing first does not.
        let text = |clean: bool| {
            let consume = if clean {
                "FLUSH.clear();\n            flush();"
            } else {
                "flush();\n            FLUSH.clear();"
            };
            format!(
                "use racecheck::{{Event, Thread}};\n\
                 static FLUSH: Event = Event::new();\n\
                 fn flush() {{}}\n\
                 fn aggregate() {{\n    for _ in 0..10 {{\n        if FLUSH.is_set() {{\n            {consume}\n        }}\n    }}\n}}\n\
                 pub fn run() {{\n    let t = Thread::spawn(aggregate);\n    FLUSH.set();\n    t.join().unwrap();\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 8, "R004")]);
    }

    #[test]
    fn a_scope_whose_threads_were_joined_inside_it_waits_for_nothing_more() {
        // The workers are joined by hand inside the scope while `state` is held (one D003, at
        // that join); the scope's end waits for none of them again.
        let text = |first: &str| {
            format!(
                "use std::sync::{{Arc, Mutex}};\n\
                 pub struct Compactor {{ state: Mutex<u32> }}\n\
                 impl Compactor {{\n    fn note(&self) {{\n        *self.state.lock().unwrap() += 1;\n    }}\n    \
                 pub fn run(&self) {{\n        let g = self.state.lock().unwrap();\n        {first}\n        \
                 std::thread::scope(|s| {{\n            \
                 let handles: Vec<_> = (0..2).map(|_| s.spawn(|| self.note())).collect();\n            \
                 for h in handles {{\n                h.join().unwrap();\n            }}\n        }});\n    }}\n}}\n\
                 pub fn start() {{\n    let c = Arc::new(Compactor {{ state: Mutex::new(0) }});\n    c.run();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 13, "D003")]);
    }

    #[test]
    fn a_joined_queue_no_thread_of_the_model_takes_from_is_not_reported() {
        // `Hub::shutdown`, walked alone as a library's function, joins a queue whose consumers
        // its callers start; in `run` the consumer is there and never calls `task_done`.
        let text = |clean: bool| {
            let run = if clean {
                ""
            } else {
                "pub fn run() {\n    let hub = Arc::new(Hub { uploads: JoinableQueue::new() });\n    \
                 let h = Arc::clone(&hub);\n    let t = Thread::spawn(move || {\n        let _job: u32 = h.uploads.get();\n    });\n    \
                 hub.shutdown();\n    t.join().unwrap();\n}\n"
            };
            format!(
                "use racecheck::{{JoinableQueue, Thread}};\nuse std::sync::Arc;\n\
                 pub struct Hub {{ uploads: JoinableQueue<u32> }}\n\
                 impl Hub {{\n    pub fn shutdown(&self) {{\n        self.uploads.put(0);\n        self.uploads.join();\n    }}\n}}\n{run}"
            )
        };
        found_unless(text, &[at("src/lib.rs", 7, "D004")]);
    }

    #[test]
    fn each_place_that_takes_two_elements_unordered_is_a_finding() {
        // `transfer` and `rename` each take two shards in caller order: two bugs, two findings
        // (they used to fold into one, the family being the one lock of both cycles).
        let text = "use std::sync::{Arc, Mutex};\n\
             pub struct Table { shards: Vec<Mutex<u32>> }\n\
             impl Table {\n    fn transfer(&self, a: usize, b: usize) {\n        let _x = self.shards[a].lock().unwrap();\n        \
             let _y = self.shards[b].lock().unwrap();\n    }\n    \
             fn rename(&self, a: usize, b: usize) {\n        let _x = self.shards[a].lock().unwrap();\n        \
             let _y = self.shards[b].lock().unwrap();\n    }\n}\n\
             pub fn run(a: usize, b: usize) {\n    \
             let table = Arc::new(Table { shards: (0..8).map(|_| Mutex::new(0)).collect() });\n    \
             let t = Arc::clone(&table);\n    let h = std::thread::spawn(move || { t.transfer(a, b); t.rename(a, b); });\n    \
             table.transfer(b, a);\n    table.rename(b, a);\n    h.join().unwrap();\n}\n";
        assert_eq!(
            found(&[file("src/lib.rs", text)]),
            [at("src/lib.rs", 6, "D001"), at("src/lib.rs", 10, "D001")]
        );
    }

    #[test]
    fn an_element_a_helper_hands_out_is_taken_again_by_the_field_that_named_it() {
        // `slot` hands out `devices[id]`; `escalate` holds the one `alert.device` names and
        // calls down with `alert.device` again, to a second acquisition of the same element.
        let text = |first: &str| {
            format!(
                "use racecheck::Lock;\n\
                 pub struct Alert {{ device: usize }}\n\
                 pub struct Registry {{ devices: Vec<Lock<u32>> }}\n\
                 impl Registry {{\n    fn slot(&self, id: usize) -> &Lock<u32> {{\n        &self.devices[id]\n    }}\n    \
                 fn set_status(&self, id: usize, status: u32) {{\n        *self.devices[id].acquire() = status;\n    }}\n    \
                 fn quarantine(&self, id: usize) {{\n        self.set_status(id, 9);\n    }}\n    \
                 pub fn escalate(&self, alert: &Alert) {{\n        let g = self.slot(alert.device).acquire();\n        {first}\n        \
                 self.quarantine(alert.device);\n    }}\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 9, "D002")]);
    }

    #[test]
    fn each_readers_own_device_lock_does_not_guard_a_shared_counter() {
        // Every reader holds its device's lock (`devices[id]`) while it counts a sample: the
        // readers hold different elements, so the counter's get and set race (R001). One lock
        // for all of them guards it.
        let text = |clean: bool| {
            let guard = if clean {
                "STATS.acquire()"
            } else {
                "registry.devices[id].acquire()"
            };
            format!(
                "use racecheck::{{Lock, Shared, Thread}};\nuse std::sync::Arc;\n\
                 static SAMPLES: Shared<u64> = Shared::new(0);\nstatic STATS: Lock<()> = Lock::new(());\n\
                 pub struct Registry {{ devices: Vec<Lock<u32>> }}\n\
                 fn read(registry: &Registry, id: usize) {{\n    let _device = {guard};\n    \
                 let seen = SAMPLES.get();\n    SAMPLES.set(seen + 1);\n}}\n\
                 pub fn run() {{\n    let registry = Arc::new(Registry {{ devices: (0..4).map(|_| Lock::new(0)).collect() }});\n    \
                 let readers: Vec<_> = (0..4)\n        .map(|id| {{\n            let r = Arc::clone(&registry);\n            \
                 Thread::spawn(move || read(&r, id))\n        }})\n        .collect();\n    \
                 for t in readers {{\n        t.join().unwrap();\n    }}\n}}\n"
            )
        };
        found_unless(text, &[at("src/lib.rs", 9, "R001")]);
    }

    #[test]
    fn a_handle_from_a_spawn_unwrapped_or_else_is_still_the_handle() {
        // `spawn_named` hands out the builder's handle through `unwrap_or_else`: joining it while
        // holding `workers`, which the thread takes as it ends, is a D003.
        let text = |first: &str| {
            format!(
                "use std::sync::{{Arc, Mutex}};\nuse std::thread::JoinHandle;\n\
                 fn spawn_named<F: FnOnce() + Send + 'static>(name: &str, body: F) -> JoinHandle<()> {{\n    \
                 std::thread::Builder::new()\n        .name(name.to_owned())\n        .spawn(body)\n        \
                 .unwrap_or_else(|e| panic!(\"{{name}}: {{e}}\"))\n}}\n\
                 pub struct Pool {{ workers: Mutex<u32> }}\n\
                 pub fn run() {{\n    let pool = Arc::new(Pool {{ workers: Mutex::new(0) }});\n    \
                 let p = Arc::clone(&pool);\n    \
                 let handle = spawn_named(\"parser\", move || *p.workers.lock().unwrap() += 1);\n    \
                 let g = pool.workers.lock().unwrap();\n    {first}\n    let _ = handle.join();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 16, "D003")]);
    }

    #[test]
    fn a_handle_stored_into_a_field_after_the_object_was_made_is_joined_from_it() {
        // `start` stores the flusher's handle in `self.flusher`; `stop` joins it holding
        // `state`, which the flusher takes (D003).
        let text = |first: &str| {
            format!(
                "use std::sync::{{Arc, Mutex}};\nuse std::thread::JoinHandle;\n\
                 pub struct Service {{ state: Arc<Mutex<u32>>, flusher: Option<JoinHandle<()>> }}\n\
                 impl Service {{\n    pub fn start(&mut self) {{\n        let state = Arc::clone(&self.state);\n        \
                 let handle = std::thread::spawn(move || *state.lock().unwrap() += 1);\n        \
                 self.flusher = Some(handle);\n    }}\n    \
                 pub fn stop(&mut self) {{\n        let g = self.state.lock().unwrap();\n        {first}\n        \
                 if let Some(h) = self.flusher.take() {{\n            let _ = h.join();\n        }}\n    }}\n}}\n\
                 pub fn run() {{\n    let mut s = Service {{ state: Arc::new(Mutex::new(0)), flusher: None }};\n    \
                 s.start();\n    s.stop();\n}}\n"
            )
        };
        found_unless_dropped(text, &[at("src/lib.rs", 14, "D003")]);
    }

    #[test]
    fn correct_programs_a_review_of_the_afternoon_found_false_alarms_in() {
        // A join after a wait on `is_finished()`; a server answering requests in a loop, and a
        // client awaiting each reply in one; a per-element counter under its element's lock;
        // a coordinator's constant slot beside the workers' slots of a range that leaves it
        // out. Each was reported once (D001, D001, D001, R001, D003); each is correct.
        for (name, text) in [
            (
                "polljoin",
                r#"use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

fn main() {
    let a = Arc::new(Mutex::new(0u32));
    let b = Arc::new(Mutex::new(0u32));
    let (a2, b2) = (a.clone(), b.clone());
    let h = thread::spawn(move || {
        let mut ga = a2.lock().unwrap();
        let mut gb = b2.lock().unwrap();
        *ga += 1;
        *gb += 1;
    });
    while !h.is_finished() {
        thread::sleep(Duration::from_millis(10));
    }
    h.join().unwrap();
    let gb = b.lock().unwrap();
    let ga = a.lock().unwrap();
    println!("{} {}", *ga, *gb);
}
"#,
            ),
            (
                "rpc",
                r#"use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let a = Arc::new(Mutex::new(0u32));
    let b = Arc::new(Mutex::new(0u32));
    let (req_tx, req_rx) = mpsc::channel::<u32>();
    let (done_tx, done_rx) = mpsc::channel::<u32>();
    let (a2, b2) = (a.clone(), b.clone());
    let server = thread::spawn(move || {
        for n in req_rx {
            let mut ga = a2.lock().unwrap();
            let mut gb = b2.lock().unwrap();
            *ga += n;
            *gb += n;
            drop(gb);
            drop(ga);
            done_tx.send(n).unwrap();
        }
    });
    req_tx.send(1).unwrap();
    drop(req_tx);
    done_rx.recv().unwrap();
    {
        let mut gb = b.lock().unwrap();
        let mut ga = a.lock().unwrap();
        *gb += 1;
        *ga += 1;
    }
    server.join().unwrap();
}
"#,
            ),
            (
                "pingpong",
                r#"use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let a = Arc::new(Mutex::new(0u32));
    let b = Arc::new(Mutex::new(0u32));
    let (req_tx, req_rx) = mpsc::channel::<u32>();
    let (done_tx, done_rx) = mpsc::channel::<u32>();
    let (a2, b2) = (a.clone(), b.clone());
    let worker = thread::spawn(move || {
        while let Ok(n) = req_rx.recv() {
            let mut ga = a2.lock().unwrap();
            let mut gb = b2.lock().unwrap();
            *ga += n;
            *gb += n;
            drop(gb);
            drop(ga);
            done_tx.send(n).unwrap();
        }
    });
    for n in 0..10 {
        {
            let mut gb = b.lock().unwrap();
            let mut ga = a.lock().unwrap();
            *gb += 1;
            *ga += 1;
        }
        req_tx.send(n).unwrap();
        done_rx.recv().unwrap();
    }
    drop(req_tx);
    worker.join().unwrap();
}
"#,
            ),
            (
                "r001vec",
                r#"use racecheck::{Lock, Shared, Thread};
use std::sync::Arc;

static HITS: [Shared<u64>; 4] = [Shared::new(0), Shared::new(0), Shared::new(0), Shared::new(0)];

pub struct Table {
    locks: Vec<Lock<()>>,
}

fn bump(table: &Table, id: usize) {
    let _g = table.locks[id].acquire();
    let seen = HITS[id].get();
    HITS[id].set(seen + 1);
}

fn main() {
    let table = Arc::new(Table { locks: (0..4).map(|_| Lock::new(())).collect() });
    let mut workers = Vec::new();
    for round in 0..2 {
        for id in 0..4 {
            let t = Arc::clone(&table);
            let _ = round;
            workers.push(Thread::spawn(move || bump(&t, id)));
        }
    }
    for w in workers {
        w.join().unwrap();
    }
}
"#,
            ),
            (
                "d003join",
                r#"use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    // slot 0 belongs to the coordinator, slots 1..4 to the workers
    let slots: Arc<Vec<Mutex<u64>>> = Arc::new((0..4).map(|_| Mutex::new(0)).collect());
    let mut hs = Vec::new();
    for i in 1..4 {
        let slots = Arc::clone(&slots);
        hs.push(thread::spawn(move || {
            *slots[i].lock().unwrap() += 1;
        }));
    }
    let mut mine = slots[0].lock().unwrap();
    for h in hs {
        h.join().unwrap();
    }
    *mine += 1;
}
"#,
            ),
        ] {
            assert_eq!(found(&[file("src/main.rs", text)]), [], "{name}");
        }
    }

    #[test]
    fn each_thread_of_a_spawn_loop_holding_its_own_slot_at_a_barrier_waits_for_no_other() {
        // `slots[i]` by the spawn loop's `i` is each instance's own: the other parties of the
        // barrier take theirs. All of them taking `slots[0]` is the deadlock.
        found_unless(
            |clean| {
                let index = if clean { "i" } else { "0" };
                format!(
                    "use std::sync::{{Arc, Barrier, Mutex}};\nuse std::thread;\n\npub fn run() {{\n    \
                     let n = 4;\n    let slots: Arc<Vec<Mutex<u64>>> = Arc::new((0..n).map(|_| Mutex::new(0)).collect());\n    \
                     let barrier = Arc::new(Barrier::new(n));\n    let mut handles = Vec::new();\n    \
                     for i in 0..n {{\n        let slots = Arc::clone(&slots);\n        \
                     let barrier = Arc::clone(&barrier);\n        handles.push(thread::spawn(move || {{\n            \
                     let mut mine = slots[{index}].lock().unwrap();\n            *mine += i as u64;\n            \
                     barrier.wait();\n            *mine += 1;\n        }}));\n    }}\n    \
                     for h in handles {{\n        h.join().unwrap();\n    }}\n}}\n"
                )
            },
            &[at("src/lib.rs", 15, "D003")],
        );
    }

    #[test]
    fn a_split_atomic_update_while_a_program_runs_one_thread_loses_nothing() {
        // Before the first spawn (and after the last join) no thread can update `SCALE` between
        // the `load` and the `store`; while the worker runs, its `fetch_add` can.
        found_unless(
            |clean| {
                let (before, during) = if clean {
                    ("    let s = SCALE.load(Ordering::Relaxed);\n    SCALE.store(s * 2, Ordering::Relaxed);\n", "")
                } else {
                    ("", "    let s = SCALE.load(Ordering::Relaxed);\n    SCALE.store(s * 2, Ordering::Relaxed);\n")
                };
                format!(
                    "use std::sync::atomic::{{AtomicU64, Ordering}};\nuse std::thread;\n\n\
                     static SCALE: AtomicU64 = AtomicU64::new(1);\n\nfn main() {{\n{before}    \
                     let worker = thread::spawn(|| SCALE.fetch_add(1, Ordering::Relaxed));\n{during}    \
                     worker.join().unwrap();\n}}\n"
                )
            },
            &[at("src/lib.rs", 9, "R002")],
        );
    }

    #[test]
    fn each_thread_of_a_spawn_loop_updating_its_own_slot_races_with_none() {
        // `SLOTS[i]` by the spawn loop's `i` is each thread's own; all of them updating
        // `SLOTS[0]` lose updates.
        found_unless(
            |clean| {
                let index = if clean { "i" } else { "0" };
                format!(
                    "use racecheck::{{Shared, Thread}};\n\n\
                     static SLOTS: [Shared<u64>; 2] = [Shared::new(0), Shared::new(0)];\n\n\
                     pub fn run() {{\n    let workers: Vec<_> = (0..2)\n        \
                     .map(|i| Thread::spawn(move || SLOTS[{index}].set(SLOTS[{index}].get() + i as u64)))\n        \
                     .collect();\n    for w in workers {{\n        w.join().unwrap();\n    }}\n}}\n"
                )
            },
            &[at("src/lib.rs", 7, "R001")],
        );
    }

    #[test]
    fn a_guard_parked_in_an_option_is_released_by_take_or_none() {
        // `held.take();` and `let _ = held.take();` drop the guard at once; `let _g =
        // held.take();` keeps it, and the second `lock` waits for itself.
        for release in ["held.take();", "let _ = held.take();"] {
            found_unless(
                |clean| {
                    let release = if clean {
                        release
                    } else {
                        "let _g = held.take();"
                    };
                    format!(
                        "use std::sync::Mutex;\n\nstatic M: Mutex<u32> = Mutex::new(0);\n\npub fn run() {{\n    \
                         let mut held = Some(M.lock().unwrap());\n    {release}\n    \
                         *M.lock().unwrap() += 1;\n}}\n"
                    )
                },
                &[at("src/lib.rs", 8, "D002")],
            );
        }
        // A field set to `None` drops the guard it held.
        found_unless(
            |clean| {
                let release = if clean {
                    "batch.guard = None;"
                } else {
                    "let _ = &batch;"
                };
                format!(
                    "use std::sync::{{Mutex, MutexGuard}};\n\nstatic M: Mutex<Vec<u32>> = Mutex::new(Vec::new());\n\n\
                     struct Batch<'a> {{\n    guard: Option<MutexGuard<'a, Vec<u32>>>,\n}}\n\npub fn run() {{\n    \
                     let mut batch = Batch {{ guard: Some(M.lock().unwrap()) }};\n    {release}\n    \
                     M.lock().unwrap().push(1);\n}}\n"
                )
            },
            &[at("src/lib.rs", 12, "D002")],
        );
    }

    #[test]
    fn a_copy_edit_publish_under_a_writers_lock_loses_no_update() {
        // Every writer holds `WRITER` from the copy to the publish; a thread that pushes without
        // it can update `CURRENT` in between.
        found_unless(
            |clean| {
                let other = if clean {
                    "update(2);"
                } else {
                    "CURRENT.acquire().push(2);"
                };
                format!(
                    "use racecheck::{{Lock, Thread}};\n\nstatic WRITER: Lock<()> = Lock::new(());\n\
                     static CURRENT: Lock<Vec<u64>> = Lock::new(Vec::new());\n\nfn update(v: u64) {{\n    \
                     let _w = WRITER.acquire();\n    let mut next = CURRENT.acquire().clone();\n    \
                     next.push(v);\n    *CURRENT.acquire() = next;\n}}\n\npub fn run() {{\n    \
                     let t = Thread::spawn(|| update(1));\n    {other}\n    t.join().unwrap();\n}}\n"
                )
            },
            &[at("src/lib.rs", 10, "R003")],
        );
    }

    #[test]
    fn a_guard_binding_reassigned_in_one_arm_is_either_guard_after_the_arms() {
        // One arm drops `g` and locks again; after the `if` (or `match`), `g` is the old guard
        // or the new one, and `drop(g)` releases whichever it is before the join.
        for arms in [
            "if *g == 0 {\n        drop(g);\n        g = q.lock().unwrap();\n    }",
            "match *g {\n        0 => {\n            drop(g);\n            g = q.lock().unwrap();\n        }\n        _ => {}\n    }",
        ] {
            let text = |clean: bool| {
                let release = if clean { "drop(g);" } else { "let _ = &g;" };
                format!(
                    "use std::sync::{{Arc, Mutex}};\nuse std::thread;\n\npub fn run() {{\n    \
                     let q = Arc::new(Mutex::new(0u32));\n    let q2 = Arc::clone(&q);\n    \
                     let h = thread::spawn(move || *q2.lock().unwrap() += 1);\n    \
                     let mut g = q.lock().unwrap();\n    {arms}\n    {release}\n    h.join().unwrap();\n}}\n"
                )
            };
            let join_line = text(false).lines().position(|l| l.contains("h.join()")).unwrap() + 1;
            found_unless(text, &[at("src/lib.rs", join_line as u32, "D003")]);
        }
    }

    #[test]
    fn a_helper_that_only_waits_is_re_checked_by_its_callers_loop() {
        // `sleep` waits and hands the guard back: the `while` around its call re-checks the flag
        // after each wake-up; under an `if`, nothing does.
        found_unless(
            |clean| {
                let around = if clean { "while" } else { "if" };
                format!(
                    "use std::sync::{{Arc, Condvar, Mutex, MutexGuard}};\nuse std::thread;\n\n\
                     fn sleep<'a>(cv: &Condvar, g: MutexGuard<'a, bool>) -> MutexGuard<'a, bool> {{\n    \
                     cv.wait(g).unwrap()\n}}\n\npub fn run() {{\n    \
                     let p = Arc::new((Mutex::new(false), Condvar::new()));\n    let p2 = Arc::clone(&p);\n    \
                     let h = thread::spawn(move || {{\n        *p2.0.lock().unwrap() = true;\n        \
                     p2.1.notify_all();\n    }});\n    let mut g = p.0.lock().unwrap();\n    \
                     {around} !*g {{\n        g = sleep(&p.1, g);\n    }}\n    drop(g);\n    h.join().unwrap();\n}}\n"
                )
            },
            &[at("src/lib.rs", 5, "L002")],
        );
    }
}
