//! The abstract interpreter that builds the [`Model`]: it walks function bodies in program order
//! from each root (`main`, tests; a library's public functions), follows calls into their
//! callees, and records the synchronization operations each thread template performs, each with
//! its span and the locks held.
//!
//! Its parts, one job each:
//! - [`store`]: the identity store, what each primitive, object and collection of the crate is;
//! - [`walk`]: the walk of one template (frames, scopes, temporaries, loops, events), with
//!   [`guards`] (acquisitions and what is held) and [`budget`] (every bound, in one place);
//! - [`stmts`], [`exprs`]: statements, patterns, branches, loops and expressions;
//! - [`calls`]: following calls into functions, methods, closures and trait objects, with
//!   [`reuse`] (what a call that recorded nothing returns, kept instead of walking it again);
//! - [`rewalk`]: a thread that receives before anything was sent, walked after the others; a
//!   thread walked before another filled what it reads, walked again;
//! - [`prims`], [`threads`], [`pipes`]: the racecheck primitives, thread templates, pipe ends;
//! - [`sync_calls`]: std's, parking_lot's, crossbeam's and rayon's constructors, spawns and
//!   scopes, read as racecheck's;
//! - [`drops`]: objects whose type has a `Drop` impl, dropped where their owner ends;
//! - [`protocol`]: the `task_done`, `set` and `notify` that some path skips;
//! - [`std_model`], [`collections`], [`atomics`], [`consts`]: what the model knows of std;
//! - [`naming`]: how primitives and threads are named in messages.
//!
//! What the walk assumes:
//! - loops are walked once (what a guard scope or a handle does in one iteration it does in
//!   every one) and both arms of a branch are walked, but for a comparison of integers the code
//!   spells out (literals, and parameters passed literals), which walks the arm that runs;
//!   walking both can miss a finding or add one that needs both arms in one call;
//! - unknown receivers and callables never create edges; an index known only at run time
//!   (`accounts[id]`) is "some element" of its family, and two of them in a row are ordered only
//!   by `min`/`max`, a pair sorted by `if a < b`, or a sorted array;
//! - what a lock protects (an object, a collection, trait objects, handles) is followed through
//!   its guard, and what a queue or channel carries through its receives: a receive gives what
//!   was put in (a thread that receives before anything is sent waits behind the threads not
//!   yet walked, once; a thread walked before its sender is walked again, once, unless it
//!   started threads or made primitives; see [`rewalk`]); requests' reply channels kept
//!   together are alternatives, and payloads of several shapes (an order object beside reply
//!   channels) stay apart, each variant's pattern binding its own; a guard is owned by its
//!   binding, a struct field holding it, or its caller when lent by reference; a field assigned
//!   after its object was made holds what it was given;
//! - calls through trait objects and generic `T: Trait` parameters reach every implementor;
//! - closures see only the bindings made before them; calling an async fn runs nothing (async
//!   roots are still walked); trait default methods belong to each implementor unless two traits
//!   share the name;
//! - every walk is bounded ([`budget`]): a crate that exceeds a bound is marked truncated instead
//!   of taking unbounded time, and rules that report an absence stay quiet on it.
use super::{Instances, Model, Origin, Template, TemplateId};
use crate::diagnostic::Edition;
use crate::frontend::index::{CrateIndex, FnId, ModId};
use crate::frontend::macros::MacroArgs;
use crate::frontend::resolve::Resolved;
use crate::frontend::span::SpanConverter;
use crate::model::syntax;
use crate::model::value::{Callable, Value};
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

mod atomics;
mod budget;
mod calls;
mod collections;
mod consts;
mod drops;
mod exprs;
mod guards;
mod naming;
mod object_fields;
mod pipes;
mod prims;
mod protocol;
mod reuse;
mod rewalk;
mod std_model;
mod stmts;
mod store;
mod sync_calls;
mod threads;
mod walk;

/// Builds the model of one crate; `source_bytes`, the size of its files, sets its budget; its
/// edition, the scopes of some temporaries.
pub(crate) fn model_crate<'a>(
    index: &'a CrateIndex<'a>,
    macros: &'a MacroArgs<'a>,
    files: &[SpanConverter<'a>],
    source_bytes: usize,
    edition: Edition,
) -> Model {
    let mut interp = Interp::new(index, macros, files.to_vec(), source_bytes);
    interp.edition = edition;
    interp.run_roots();
    interp.name_fields_apart();
    interp.model
}

/// A template waiting to be walked: what runs, with which arguments.
struct Pending<'a> {
    template: TemplateId,
    target: Callable<'a>,
    args: Vec<Value<'a>>,
}

/// What the walk remembers to avoid doing again.
#[derive(Default)]
struct Memo<'a> {
    /// Functions known to do nothing observable when called with plain arguments, with what
    /// they return whatever the arguments (see [`reuse`]).
    inert: HashMap<FnId, Value<'a>>,
    /// Calls known to do nothing observable, by function and arguments, with what they return
    /// and make (see [`reuse`]).
    made: HashMap<reuse::CallKey, Rc<reuse::Made<'a>>>,
    /// Paths already resolved, by module.
    resolved: HashMap<(ModId, Vec<String>), Option<Resolved>>,
    /// Whether each function looked at calls one of its own name (see `Interp::calls_itself`).
    calls_itself: HashMap<FnId, bool>,
    /// The calls of the bodies walked whose value is only read.
    read_only: crate::model::guard_uses::ReadOnlyCalls,
}

pub(super) struct Interp<'a> {
    index: &'a CrateIndex<'a>,
    macros: &'a MacroArgs<'a>,
    /// Span conversion for each file slot of the crate.
    files: Vec<SpanConverter<'a>>,
    model: Model,
    store: store::Store<'a>,
    walk: walk::Walk<'a>,
    budget: budget::Budget,
    memo: Memo<'a>,
    pending: VecDeque<Pending<'a>>,
    edition: Edition,
    /// How many closures given to calls the model cannot follow are being walked: such a
    /// closure may run any number of times, on any thread.
    walk_depth_of_unknown_closures: u32,
}

impl<'a> Interp<'a> {
    fn new(
        index: &'a CrateIndex<'a>,
        macros: &'a MacroArgs<'a>,
        files: Vec<SpanConverter<'a>>,
        source_bytes: usize,
    ) -> Self {
        let mut memo = Memo::default();
        for f in &index.fns {
            memo.read_only.note_fn(&f.name, || {
                f.sig().receiver().is_none_or(|r| {
                    r.colon_token.is_none() && r.reference.is_some() && r.mutability.is_none()
                })
            });
        }
        Self {
            index,
            macros,
            files,
            model: Model::default(),
            store: store::Store::default(),
            walk: walk::Walk::new(),
            budget: budget::Budget::for_source(source_bytes),
            memo,
            pending: VecDeque::new(),
            edition: Edition::default(),
            walk_depth_of_unknown_closures: 0,
        }
    }

    /// Walks `main` and every test, and everything they start. A crate with neither (a
    /// library) is walked from each of its public functions instead, each a program of its own.
    fn run_roots(&mut self) {
        let index = self.index;
        let is_main = |f: &crate::frontend::index::FnDef<'_>| {
            f.name == "main" && f.module == index.root() && f.self_ty.is_none()
        };
        let entry = |f: &crate::frontend::index::FnDef<'_>| {
            // A linked library's tests are its own crate's roots.
            let is_test = f.attrs.iter().any(syntax::is_test_attribute)
                && index.crate_root_of(f.module) == index.root();
            (is_main(f) || is_test) && f.sig().inputs.is_empty()
        };
        let mut roots: Vec<FnId> = (0..index.fns.len() as u32)
            .map(FnId)
            .filter(|f| entry(&index.fns[f.index()]))
            .collect();
        if roots.is_empty() {
            roots = (0..index.fns.len() as u32)
                .map(FnId)
                .filter(|f| index.fns[f.index()].public)
                .collect();
        }
        for f in roots {
            let world = self.model.templates.len() as u32;
            if is_main(&index.fns[f.index()]) {
                self.model.main_world = Some(world);
            }
            let id = self.add_template(Template {
                name: index.fns[f.index()].name.clone(),
                named: true,
                world,
                origin: Origin::Root,
                instances: Instances::One,
                instance_var: None,
                instance_var_unique: false,
                spawn_span: None,
                pool_task: false,
                events: Vec::new(),
                loops: Vec::new(),
                unchecked_waits: Vec::new(),
                handle_kept: true,
            });
            if let Some(id) = id {
                self.pending.push_back(Pending {
                    template: id,
                    target: Callable::Fn(f),
                    args: Vec::new(),
                });
            }
            let walked = self.walk_pending();
            self.rewalk_stale(walked);
        }
    }

    fn add_template(&mut self, template: Template) -> Option<TemplateId> {
        if !self.room_for_template() {
            return None;
        }
        self.model.templates.push(template);
        Some(TemplateId(self.model.templates.len() as u32 - 1))
    }

    /// Walks a template, and keeps what it needs to be walked again.
    fn run_recorded(&mut self, pending: Pending<'a>, may_give_up: bool) -> rewalk::Walked<'a> {
        let again = Pending {
            template: pending.template,
            target: pending.target.clone(),
            args: pending.args.clone(),
        };
        self.walk.start(pending.template);
        self.walk.postponable = may_give_up.then(|| self.postponable_now());
        let prims_before = self.model.prims.len();
        self.run_walk(pending);
        rewalk::Walked {
            pending: again,
            bags_read: std::mem::take(self.walk.bags_read.get_mut()),
            ended_at: self.store.tick,
            ran_drops: !self.walk.drops.is_empty(),
            made_prims: self.model.prims.len() > prims_before,
        }
    }

    fn run_template(&mut self, pending: Pending<'a>) {
        self.walk.start(pending.template);
        self.run_walk(pending);
    }

    /// Walks a template from its start (`Walk::start` done).
    fn run_walk(&mut self, pending: Pending<'a>) {
        self.start_template_steps();
        let result = self.call(&pending.target, pending.args, None, None);
        self.release_value(&result, None);
        self.end_closure_thread(&pending.target);
    }

    pub(super) fn world(&self) -> u32 {
        self.model.template(self.walk.template).world
    }

    pub(super) fn note_unknown_call(&mut self, method: &'static str) {
        if !self.model.unknown_receiver_calls.contains(&method) {
            self.model.unknown_receiver_calls.push(method);
        }
    }
}
