//! The abstract interpreter that builds the [`Model`]: it walks function bodies in program order
//! from each root, follows calls into their callees, and records the synchronization operations
//! each thread template performs.
//!
//! Loops are walked once (what a guard scope or a handle does in one iteration it does in every
//! one), both arms of a branch are walked, and every walk is bounded: a crate that exceeds the
//! budget is marked truncated instead of taking unbounded time.
use super::env::Scope;
use super::syntax;
use super::types::{shape_of, Shape};
use super::value::{BagId, Builder, Callable, GuardId, ObjectId, Place, Value, ANY_OBJECT};
use super::{
    Event, Held, IndexKey, Instances, Model, Op, Origin, PrimId, PrimInfo, PrimKind, Template,
    TemplateId, VarId,
};
use crate::diagnostic::Span;
use crate::frontend::index::{ConstId, CrateIndex, FnId, StaticId, StructId};
use crate::frontend::macros::MacroArgs;
use crate::frontend::span::SpanConverter;
use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

mod calls;
mod exprs;
mod pipes;
mod prims;
mod stmts;

/// Expressions evaluated per crate before the model gives up (and marks itself truncated).
const STEP_BUDGET: u64 = 4_000_000;
/// Events per template before the model gives up.
const EVENT_BUDGET: usize = 100_000;
/// Templates per crate.
const TEMPLATE_BUDGET: usize = 2_000;
/// Nested calls followed.
const CALL_DEPTH: usize = 24;

/// Builds the model of one crate.
pub(crate) fn model_crate<'a>(
    index: &'a CrateIndex<'a>,
    macros: &'a MacroArgs,
    files: &[SpanConverter<'a>],
) -> Model {
    let mut interp = Interp::new(index, macros, files.to_vec());
    interp.run_roots();
    interp.name_fields_apart();
    interp.model
}

/// How a primitive is identified across the program.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum PrimKey {
    Static(StaticId),
    /// A field of one object (or of any object) of a struct.
    Field(StructId, ObjectId, String),
    Element(PrimId, IndexKey),
}

#[derive(Debug)]
struct GuardInfo {
    lock: PrimId,
    span: Span,
    /// The acquisition event.
    event: usize,
    /// Read through since the acquisition (a write after a re-read is a re-validated update).
    read: bool,
}

/// Whether control goes on normally after a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Normal,
    /// `break` or `continue`: to the end of the innermost loop.
    Break,
    Return,
}

/// One function or closure being walked.
struct Frame<'a> {
    place: Place,
    callee: Option<FnId>,
    scopes: Vec<Rc<Scope<'a>>>,
    /// Guards owned by the bindings of each scope (parallel to `scopes`).
    owned: Vec<Vec<GuardId>>,
    /// Pipe ends owned by the bindings of each scope (parallel to `scopes`).
    ends: Vec<Vec<PrimId>>,
    /// Temporaries of the statements being evaluated, innermost last.
    temps: Vec<Vec<GuardId>>,
    flow: Flow,
    returned: Option<Value<'a>>,
}

#[derive(Debug, Clone)]
struct LoopFrame {
    var: Option<VarId>,
    count: Option<u64>,
    predicate: bool,
    /// The locks held at each `break` out of the loop walked so far.
    exits: Vec<Vec<GuardId>>,
}

/// How control leaves a loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LoopExit {
    /// When its condition (or iterator) ends, or by `break`.
    Condition,
    /// Only by `break` (`loop { … }`).
    BreakOnly,
}

/// A template waiting to be walked: what runs, with which arguments.
struct Pending<'a> {
    template: TemplateId,
    target: Callable<'a>,
    args: Vec<Value<'a>>,
}

pub(super) struct Interp<'a> {
    index: &'a CrateIndex<'a>,
    macros: &'a MacroArgs,
    /// Span conversion for each file slot of the crate.
    files: Vec<SpanConverter<'a>>,
    model: Model,
    prim_keys: HashMap<PrimKey, PrimId>,
    /// Whether a primitive's name came from a binding (and should not be renamed).
    prim_named: Vec<bool>,
    statics: HashMap<StaticId, Value<'a>>,
    fields: HashMap<(StructId, ObjectId, String), Value<'a>>,
    /// Objects made so far (ids above `ANY_OBJECT`).
    objects: ObjectId,
    /// The binding each object was first bound to.
    object_names: HashMap<ObjectId, String>,
    guards: Vec<GuardInfo>,
    /// What one element of each collection is; `None` while it is empty.
    bags: Vec<Option<Value<'a>>>,
    var_names: Vec<String>,
    pending: VecDeque<Pending<'a>>,
    steps: u64,
    events_emitted: usize,
    /// Atomic read-modify-writes walked so far (see `AtomicRead`).
    atomic_rmw_calls: u32,
    /// Functions known to do nothing observable when called with plain arguments, with what
    /// they return.
    inert: HashMap<FnId, Value<'a>>,
    /// Paths already resolved, by module.
    resolved: HashMap<
        (crate::frontend::index::ModId, Vec<String>),
        Option<crate::frontend::resolve::Resolved>,
    >,
    // The walk of the current template.
    template: TemplateId,
    held: Vec<GuardId>,
    loops: Vec<LoopFrame>,
    frames: Vec<Frame<'a>>,
    const_depth: u32,
}

impl<'a> Interp<'a> {
    fn new(
        index: &'a CrateIndex<'a>,
        macros: &'a MacroArgs,
        files: Vec<SpanConverter<'a>>,
    ) -> Self {
        Self {
            index,
            macros,
            files,
            model: Model::default(),
            prim_keys: HashMap::new(),
            prim_named: Vec::new(),
            statics: HashMap::new(),
            fields: HashMap::new(),
            objects: ANY_OBJECT,
            object_names: HashMap::new(),
            guards: Vec::new(),
            bags: Vec::new(),
            var_names: Vec::new(),
            pending: VecDeque::new(),
            steps: 0,
            events_emitted: 0,
            atomic_rmw_calls: 0,
            inert: HashMap::new(),
            resolved: HashMap::new(),
            template: TemplateId(0),
            held: Vec::new(),
            loops: Vec::new(),
            frames: Vec::new(),
            const_depth: 0,
        }
    }

    /// Walks `main` and every test, and everything they start. A crate with neither (a
    /// library) is walked from each of its public functions instead, each a program of its own.
    fn run_roots(&mut self) {
        let index = self.index;
        let entry = |f: &crate::frontend::index::FnDef<'_>| {
            let is_main = f.name == "main" && f.module == index.root() && f.self_ty.is_none();
            (is_main || f.attrs.iter().any(syntax::is_test_attribute)) && f.sig.inputs.is_empty()
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
            let id = self.add_template(Template {
                name: index.fns[f.index()].name.clone(),
                named: true,
                world,
                origin: Origin::Root,
                instances: Instances::One,
                instance_var: None,
                spawn_span: None,
                pool_task: false,
                events: Vec::new(),
                loops: Vec::new(),
                handle_kept: true,
            });
            if let Some(id) = id {
                self.pending.push_back(Pending {
                    template: id,
                    target: Callable::Fn(f),
                    args: Vec::new(),
                });
            }
            while let Some(next) = self.pending.pop_front() {
                self.run_template(next);
            }
        }
    }

    fn add_template(&mut self, template: Template) -> Option<TemplateId> {
        if self.model.templates.len() >= TEMPLATE_BUDGET {
            self.model.truncated = true;
            return None;
        }
        self.model.templates.push(template);
        Some(TemplateId(self.model.templates.len() as u32 - 1))
    }

    fn run_template(&mut self, pending: Pending<'a>) {
        self.template = pending.template;
        self.held.clear();
        self.loops.clear();
        self.frames.clear();
        let result = self.call(&pending.target, pending.args, None);
        self.release_value(&result);
        self.end_closure_thread(&pending.target);
    }

    fn world(&self) -> u32 {
        self.model.template(self.template).world
    }

    // ----- budget -----

    /// A measure of everything observable the walk has done so far: events, templates,
    /// primitives, guards, collections. Unchanged across a call: the call did nothing of note.
    fn activity(&self) -> (usize, usize, usize, usize, usize, ObjectId) {
        (
            self.events_emitted,
            self.model.templates.len(),
            self.model.prims.len(),
            self.guards.len(),
            self.bags.len(),
            self.objects,
        )
    }

    /// Counts one step; false once the crate's budget is spent.
    fn step(&mut self) -> bool {
        self.steps += 1;
        if self.steps > STEP_BUDGET {
            self.model.truncated = true;
            return false;
        }
        true
    }

    // ----- frames and scopes -----

    fn frame(&mut self) -> &mut Frame<'a> {
        self.frames
            .last_mut()
            .expect("a frame is pushed while walking code")
    }

    fn place(&self) -> Place {
        self.frames
            .last()
            .expect("a frame is pushed while walking code")
            .place
    }

    fn scope(&self) -> Rc<Scope<'a>> {
        let frame = self
            .frames
            .last()
            .expect("a frame is pushed while walking code");
        frame.scopes.last().expect("a frame has a scope").clone()
    }

    fn push_scope(&mut self) {
        let scope = Scope::child(&self.scope());
        let frame = self.frame();
        frame.scopes.push(scope);
        frame.owned.push(Vec::new());
        frame.ends.push(Vec::new());
    }

    /// Ends a block (at `end`): the guards its bindings own are released, except those moved out
    /// in the block's value, which become temporaries of the enclosing statement; the pipe ends
    /// they own are dropped, except those in the block's value or returned.
    fn pop_scope(&mut self, value: &Value<'a>, end: &Span) {
        let frame = self.frame();
        frame.scopes.pop();
        let ends = frame.ends.pop().unwrap_or_default();
        let returned = frame.returned.clone().unwrap_or_default();
        let owned = frame.owned.pop().unwrap_or_default();
        self.drop_ends(ends, &[value, &returned], end);
        let mut kept = Vec::new();
        value.guards(&mut kept);
        for g in owned.into_iter().rev() {
            if kept.contains(&g) {
                self.add_temp(g);
            } else {
                self.release(g);
            }
        }
    }

    fn add_temp(&mut self, guard: GuardId) {
        let frame = self.frame();
        match frame.temps.last_mut() {
            Some(temps) => temps.push(guard),
            None => match frame.owned.last_mut() {
                Some(owned) => owned.push(guard),
                None => frame.temps.push(vec![guard]),
            },
        }
    }

    /// Evaluates a statement-like piece with its own temporaries, dropped at its end.
    fn with_temps<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        self.frame().temps.push(Vec::new());
        let out = f(self);
        let temps = self.frame().temps.pop().unwrap_or_default();
        for g in temps.into_iter().rev() {
            self.release(g);
        }
        out
    }

    /// Moves the guards and pipe ends of a value into the bindings of the current scope.
    fn adopt(&mut self, value: &Value<'a>) {
        self.adopt_ends(value);
        let mut guards = Vec::new();
        value.guards(&mut guards);
        if guards.is_empty() {
            return;
        }
        let frame = self.frame();
        for list in frame.temps.iter_mut().chain(frame.owned.iter_mut()) {
            list.retain(|g| !guards.contains(g));
        }
        if let Some(owned) = frame.owned.last_mut() {
            owned.extend(guards);
        }
    }

    // ----- guards -----

    fn acquire(&mut self, lock: PrimId, blocking: bool, span: Span) -> Value<'a> {
        let event = self.emit(Op::Acquire { lock, blocking }, span.clone());
        let id = self.guards.len() as GuardId;
        self.guards.push(GuardInfo {
            lock,
            span,
            event,
            read: false,
        });
        self.held.push(id);
        self.add_temp(id);
        Value::Guard(id)
    }

    fn release(&mut self, guard: GuardId) {
        self.held.retain(|&g| g != guard);
    }

    /// After alternative paths of control that each started with the same locks held (the arms
    /// of an `if` or a `match`): a lock is held if a path that goes on holds it. Paths that
    /// left (`return`, `break`, `continue`) do not reach what follows.
    fn merge_held(&mut self, before: Vec<GuardId>, arms: Vec<(Vec<GuardId>, Flow)>) {
        let mut held: Option<Vec<GuardId>> = None;
        for (arm, flow) in arms {
            if flow != Flow::Normal {
                continue;
            }
            let merged = held.get_or_insert_with(Vec::new);
            for g in arm {
                if !merged.contains(&g) {
                    merged.push(g);
                }
            }
        }
        self.held = held.unwrap_or(before);
    }

    fn release_value(&mut self, value: &Value<'a>) {
        let mut guards = Vec::new();
        value.guards(&mut guards);
        for g in guards {
            self.release(g);
        }
    }

    fn guard_lock(&self, guard: GuardId) -> PrimId {
        self.guards[guard as usize].lock
    }

    fn guard_was_read(&self, guard: GuardId) -> bool {
        self.guards[guard as usize].read
    }

    // ----- events -----

    fn emit(&mut self, op: Op, span: Span) -> usize {
        let held = self
            .held
            .iter()
            .map(|&g| {
                let info = &self.guards[g as usize];
                Held {
                    lock: info.lock,
                    guard: g,
                    span: info.span.clone(),
                    event: info.event,
                }
            })
            .collect();
        let in_predicate_loop = self.loops.iter().any(|l| l.predicate);
        self.events_emitted += 1;
        let template = &mut self.model.templates[self.template.0 as usize];
        if template.events.len() >= EVENT_BUDGET {
            self.model.truncated = true;
        } else {
            template.events.push(Event {
                op,
                span,
                held,
                in_predicate_loop,
            });
        }
        template.events.len().saturating_sub(1)
    }

    fn event_count(&self) -> usize {
        self.model.template(self.template).events.len()
    }

    // ----- spans -----

    fn span_of(&self, expr: &syn::Expr) -> Span {
        let converter = self.files[self.place().file];
        converter.between(syntax::first_token(expr), syntax::last_token(expr))
    }

    fn raw_span(&self, span: proc_macro2::Span) -> Span {
        self.files[self.place().file].span(span)
    }

    // ----- primitives -----

    fn intern(&mut self, key: PrimKey, make: impl FnOnce() -> PrimInfo) -> PrimId {
        if let Some(&id) = self.prim_keys.get(&key) {
            return id;
        }
        let id = self.add_prim(make());
        self.prim_keys.insert(key, id);
        id
    }

    fn add_prim(&mut self, info: PrimInfo) -> PrimId {
        let id = PrimId(self.model.prims.len() as u32);
        self.model.prims.push(info);
        self.prim_named.push(false);
        id
    }

    /// The primitive a constructor call at `span` creates. Each walk of a constructor call is
    /// a primitive of its own: a helper that makes a lock, called twice, makes two locks (a loop
    /// body is walked once, and an element of a collection is told apart by its index).
    fn new_prim(
        &mut self,
        kind: PrimKind,
        span: &Span,
        capacity: Option<i64>,
        bounded: bool,
    ) -> PrimId {
        self.add_prim(PrimInfo {
            kind,
            name: format!("{} at line {}", kind_name(kind), span.line_start),
            element: None,
            capacity,
            bounded,
            peer: None,
            several: false,
        })
    }

    /// A new object of a struct (a struct literal or constructor call walked).
    fn new_object(&mut self) -> ObjectId {
        self.objects += 1;
        self.objects
    }

    /// A new object of struct `s` whose fields are given these values: a field given a
    /// primitive, a handle or an object is that value (`Worker { jobs: jobs.clone() }` shares
    /// the queue `jobs`); other fields get what their declared type says.
    fn new_object_of(&mut self, s: StructId, fields: Vec<(String, Value<'a>)>) -> Value<'a> {
        let object = self.new_object();
        for (field, value) in fields {
            if matches!(value, Value::Unknown | Value::Data(_) | Value::Guard(_)) {
                continue;
            }
            if let Value::Prim(p) = value {
                // A primitive made for the field is named after it.
                let i = p.0 as usize;
                if !self.prim_named[i] && self.model.prims[i].element.is_none() {
                    self.prim_named[i] = true;
                    self.model.prims[i].name =
                        format!("{}.{field}", self.index.structs[s.index()].name);
                }
            }
            self.fields.insert((s, object, field), value);
        }
        Value::Obj(s, object)
    }

    /// Names a primitive after the binding it is first bound to.
    /// Names what a binding holds after the binding, unless a better name is known: a
    /// primitive (or the family of a collection of them), or a thread spawned without a name.
    fn name_after_binding(&mut self, value: &Value<'a>, name: &str) {
        let prim = match value {
            Value::Prim(p) => Some(*p),
            Value::Bag(b) => match self.bag_content(*b) {
                Value::Prim(p) => Some(p),
                _ => None,
            },
            Value::Threads(threads) => {
                for t in threads.iter() {
                    let template = &mut self.model.templates[t.0 as usize];
                    if !template.named {
                        template.named = true;
                        template.name = name.trim_start_matches('_').to_owned();
                    }
                }
                None
            }
            Value::Obj(_, object) if *object != ANY_OBJECT => {
                self.object_names
                    .entry(*object)
                    .or_insert_with(|| name.to_owned());
                None
            }
            _ => None,
        };
        if let Some(p) = prim {
            let i = p.0 as usize;
            if !self.prim_named[i] && self.model.prims[i].element.is_none() {
                self.prim_named[i] = true;
                self.model.prims[i].name = name.to_owned();
            }
        }
    }

    /// Fields are named after their struct (`Account.balance`); when the field is several
    /// primitives (of several objects), each is named after the binding of its object
    /// (`from.balance`, `to.balance`) so messages tell them apart. Elements of a renamed family
    /// follow.
    fn name_fields_apart(&mut self) {
        let mut prims_per_field: HashMap<(StructId, &str), Vec<PrimId>> = HashMap::new();
        for ((s, object, field), value) in &self.fields {
            if let (Value::Prim(p), false) = (value, *object == ANY_OBJECT) {
                let prims = prims_per_field.entry((*s, field.as_str())).or_default();
                if !prims.contains(p) {
                    prims.push(*p);
                }
            }
        }
        let mut renamed: Vec<(PrimId, String, String)> = Vec::new();
        for ((s, object, field), value) in &self.fields {
            let Value::Prim(p) = value else {
                continue;
            };
            let generic = format!("{}.{field}", self.index.structs[s.index()].name);
            let several = prims_per_field
                .get(&(*s, field.as_str()))
                .is_some_and(|prims| prims.len() > 1);
            match self.object_names.get(object) {
                Some(binding) if several && self.model.prim(*p).name == generic => {
                    renamed.push((*p, generic, format!("{binding}.{field}")));
                }
                _ => {}
            }
        }
        for (id, old, name) in renamed {
            self.model.prims[id.0 as usize].name = name.clone();
            for info in &mut self.model.prims {
                if info.element.is_some_and(|(family, _)| family == id) {
                    if let Some(index) = info.name.strip_prefix(&old) {
                        info.name = format!("{name}{index}");
                    }
                }
            }
        }
    }

    /// The element `index` of the family `family`.
    fn element(&mut self, family: PrimId, index: IndexKey) -> PrimId {
        let info = self.model.prim(family).clone();
        let index_text = match index {
            IndexKey::Const(c) => c.to_string(),
            IndexKey::Rotated { var, offset, wraps } => {
                let var = &self.var_names[var.0 as usize];
                match (offset, wraps) {
                    (0, false) => var.clone(),
                    (0, true) => format!("{var} % n"),
                    (o, false) => format!("{var} {} {}", if o < 0 { '-' } else { '+' }, o.abs()),
                    (o, true) => {
                        format!("({var} {} {}) % n", if o < 0 { '-' } else { '+' }, o.abs())
                    }
                }
            }
            IndexKey::Unknown => "_".to_owned(),
        };
        self.intern(PrimKey::Element(family, index), || PrimInfo {
            kind: info.kind,
            name: format!("{}[{index_text}]", info.name),
            element: Some((family, index)),
            capacity: info.capacity,
            bounded: info.bounded,
            peer: None,
            several: info.several,
        })
    }

    /// The element of a range iterated as a loop: a fresh loop variable (the index instances of
    /// the loop are told apart by), and the iteration count when the bounds are known.
    fn range_element(
        &mut self,
        name: &str,
        start: Option<i64>,
        end: Option<i64>,
    ) -> (Value<'a>, VarId, Option<u64>) {
        let var = self.new_var(name);
        let count = start
            .zip(end)
            .and_then(|(s, e)| e.checked_sub(s))
            .and_then(|n| u64::try_from(n).ok());
        let element = Value::Index(IndexKey::Rotated {
            var,
            offset: 0,
            wraps: false,
        });
        (element, var, count)
    }

    fn new_var(&mut self, name: &str) -> VarId {
        self.var_names.push(name.to_owned());
        VarId(self.var_names.len() as u32 - 1)
    }

    /// A collection holding `content`; its objects stand for any object of their type, since
    /// its elements are not told apart.
    fn new_bag(&mut self, content: Option<Value<'a>>) -> Value<'a> {
        self.bags.push(content.map(Value::merged_objects));
        Value::Bag(self.bags.len() as BagId - 1)
    }

    fn bag_content(&self, bag: BagId) -> Value<'a> {
        self.bags[bag as usize].clone().unwrap_or_default()
    }

    fn bag_add(&mut self, bag: BagId, value: Value<'a>) {
        let value = value.merged_objects();
        let slot = &mut self.bags[bag as usize];
        *slot = Some(match slot.take() {
            None => value,
            Some(old) => old.join(&value),
        });
    }

    /// A collection holding these values: a family when they are primitives of one kind.
    fn collection_of(&mut self, items: Vec<Value<'a>>, span: &Span) -> Value<'a> {
        let prims: Vec<PrimId> = items
            .iter()
            .filter_map(|v| match v {
                Value::Prim(p) => Some(*p),
                _ => None,
            })
            .collect();
        if !prims.is_empty() && prims.len() == items.len() {
            let kind = self.model.prim(prims[0]).kind;
            if prims.iter().all(|p| self.model.prim(*p).kind == kind) {
                let family = if prims.iter().all(|p| *p == prims[0]) {
                    prims[0]
                } else {
                    self.new_prim(kind, span, None, false)
                };
                return self.new_bag(Some(Value::Prim(family)));
            }
        }
        let content = items.into_iter().reduce(|a, b| a.join(&b));
        self.new_bag(content)
    }

    /// The value of a static, by its declared type.
    fn static_value(&mut self, id: StaticId) -> Value<'a> {
        if let Some(v) = self.statics.get(&id) {
            return v.clone();
        }
        let def = &self.index.statics[id.index()];
        let place = Place {
            module: def.module,
            file: 0,
            self_ty: None,
        };
        let name = def.path.clone();
        let value = self.shaped(
            shape_of(self.index, place, def.ty),
            PrimKey::Static(id),
            name,
            false,
        );
        if let (Value::Prim(p), syn::Expr::Call(init)) = (&value, def.init) {
            // `static B: Barrier = Barrier::new(3);`: the constructor's literal argument.
            let constructor = match &*init.func {
                syn::Expr::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
                _ => None,
            };
            let capacity = init
                .args
                .first()
                .and_then(|a| self.eval_const(a, def.module));
            let info = &mut self.model.prims[p.0 as usize];
            info.capacity = capacity;
            info.bounded = constructor.as_deref() == Some("bounded");
        }
        self.statics.insert(id, value.clone());
        value
    }

    /// The value of a field of an object of a struct, by its declared type.
    fn field_value(&mut self, s: StructId, object: ObjectId, field: &str) -> Value<'a> {
        let key = (s, object, field.to_owned());
        if let Some(v) = self.fields.get(&key) {
            return v.clone();
        }
        let def = &self.index.structs[s.index()];
        let Some((_, ty)) = def.fields.iter().find(|(n, _)| n == field) else {
            return Value::Unknown;
        };
        let place = Place {
            module: def.module,
            file: 0,
            self_ty: Some(s),
        };
        let name = format!("{}.{field}", def.name);
        let value = self.shaped(
            shape_of(self.index, place, ty),
            PrimKey::Field(s, object, field.to_owned()),
            name,
            object == ANY_OBJECT,
        );
        self.fields.insert(key, value.clone());
        value
    }

    /// A value of a declared shape with a fixed identity (statics and fields); `several`: it
    /// belongs to any object of a struct.
    fn shaped(&mut self, shape: Shape, key: PrimKey, name: String, several: bool) -> Value<'a> {
        match shape {
            Shape::Prim(kind) | Shape::Family(kind) => {
                let id = self.intern(key, || PrimInfo {
                    kind,
                    name,
                    element: None,
                    capacity: None,
                    bounded: false,
                    peer: None,
                    several,
                });
                self.prim_named[id.0 as usize] = true;
                if matches!(shape, Shape::Family(_)) {
                    self.new_bag(Some(Value::Prim(id)))
                } else {
                    Value::Prim(id)
                }
            }
            Shape::Struct(s) if several => Value::Obj(s, ANY_OBJECT),
            Shape::Struct(s) => Value::Obj(s, self.new_object()),
            Shape::Dyn(name) => Value::Dyn(Rc::from(name)),
            Shape::Collection(_) | Shape::Unknown => Value::Unknown,
        }
    }

    /// What a binding of a declared type holds when nothing better is known.
    fn typed_value(&mut self, ty: &syn::Type) -> Value<'a> {
        let shape = shape_of(self.index, self.place(), ty);
        self.shape_value(shape)
    }

    fn shape_value(&mut self, shape: Shape) -> Value<'a> {
        match shape {
            // An object the model did not see made: one object, that the binding names.
            Shape::Struct(s) => Value::Obj(s, self.new_object()),
            Shape::Dyn(name) => Value::Dyn(Rc::from(name)),
            Shape::Collection(element) => {
                let element = self.shape_value(*element);
                self.new_bag(Some(element))
            }
            Shape::Prim(_) | Shape::Family(_) | Shape::Unknown => Value::Unknown,
        }
    }

    /// A collection built without telling what it holds (`Vec::new()`, a `vec!` of mixed
    /// types) learns its elements from the binding's declared type.
    fn type_collection(&mut self, value: &Value<'a>, ty: &syn::Type) {
        let Value::Bag(bag) = value else {
            return;
        };
        if !matches!(self.bag_content(*bag), Value::Unknown) {
            return;
        }
        if let Value::Bag(typed) = self.typed_value(ty) {
            self.bags[*bag as usize] = self.bags[typed as usize].clone();
        }
    }

    /// The value of a `const` item, when it is a number.
    fn const_value(&mut self, id: ConstId) -> Value<'a> {
        if self.const_depth > 8 {
            return Value::Unknown;
        }
        let def = &self.index.consts[id.index()];
        self.const_depth += 1;
        let value = self.eval_const(def.expr, def.module);
        self.const_depth -= 1;
        value.map_or(Value::Unknown, Value::Int)
    }

    fn eval_const(
        &mut self,
        expr: &syn::Expr,
        module: crate::frontend::index::ModId,
    ) -> Option<i64> {
        match expr {
            syn::Expr::Lit(l) => syntax::int_literal(&l.lit),
            syn::Expr::Paren(p) => self.eval_const(&p.expr, module),
            syn::Expr::Cast(c) => self.eval_const(&c.expr, module),
            syn::Expr::Binary(b) => {
                let (l, r) = (
                    self.eval_const(&b.left, module)?,
                    self.eval_const(&b.right, module)?,
                );
                int_op(&b.op, l, r)
            }
            syn::Expr::Path(p) => {
                let segments = syntax::segments(&p.path);
                match crate::frontend::resolve::resolve_path(self.index, module, &segments)? {
                    crate::frontend::resolve::Resolved::Def(
                        crate::frontend::index::Def::Const(c),
                    ) => match self.const_value(c) {
                        Value::Int(n) => Some(n),
                        _ => None,
                    },
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// The instances a template spawned here has, and the loop variable telling them apart.
    fn spawn_instances(&self) -> (Instances, Option<VarId>) {
        let mut instances = self.model.template(self.template).instances;
        for l in &self.loops {
            instances = instances.times(match l.count {
                Some(1) => Instances::One,
                count => Instances::Many(count),
            });
        }
        let var = self.loops.iter().rev().find_map(|l| l.var);
        let parent_var = self.model.template(self.template).instance_var;
        (instances, var.or(parent_var))
    }

    fn mark_kept(&mut self, value: &Value<'a>) {
        let mut threads = Vec::new();
        value.threads(&mut threads);
        if let Value::Bag(b) = value {
            self.bag_content(*b).threads(&mut threads);
        }
        for t in threads {
            self.model.templates[t.0 as usize].handle_kept = true;
        }
    }

    fn note_unknown_call(&mut self, method: &'static str) {
        if !self.model.unknown_receiver_calls.contains(&method) {
            self.model.unknown_receiver_calls.push(method);
        }
    }

    fn spawn_template(
        &mut self,
        builder: &Builder<'a>,
        args: Vec<Value<'a>>,
        span: &Span,
        pool_task: bool,
        instances: Option<Instances>,
        var: Option<VarId>,
    ) -> Option<TemplateId> {
        let (loop_instances, loop_var) = self.spawn_instances();
        let name = match (&builder.name, &builder.target) {
            (Some(n), _) => n.to_string(),
            (None, Callable::Fn(f)) => self.index.fns[f.index()].name.clone(),
            (None, Callable::Closure { .. }) if pool_task => "task".to_owned(),
            (None, Callable::Closure { .. }) => "thread".to_owned(),
        };
        let named = !matches!(
            (&builder.name, &builder.target),
            (None, Callable::Closure { .. })
        );
        let event = self.event_count();
        let id = self.add_template(Template {
            name,
            named,
            world: self.world(),
            origin: Origin::Spawned {
                parent: self.template,
                event,
            },
            instances: instances.map_or(loop_instances, |i| loop_instances.times(i)),
            instance_var: var.or(loop_var),
            spawn_span: Some(span.clone()),
            pool_task,
            events: Vec::new(),
            loops: Vec::new(),
            handle_kept: false,
        })?;
        self.pending.push_back(Pending {
            template: id,
            target: builder.target.clone(),
            args,
        });
        Some(id)
    }
}

fn kind_name(kind: PrimKind) -> &'static str {
    match kind {
        PrimKind::Lock => "lock",
        PrimKind::RLock => "rlock",
        PrimKind::Event => "event",
        PrimKind::Condition => "condition",
        PrimKind::Semaphore => "semaphore",
        PrimKind::Barrier => "barrier",
        PrimKind::Queue => "queue",
        PrimKind::JoinableQueue => "joinable queue",
        PrimKind::Connection => "connection",
        PrimKind::Pool => "pool",
        PrimKind::Shared => "shared value",
    }
}

fn int_op(op: &syn::BinOp, l: i64, r: i64) -> Option<i64> {
    match op {
        syn::BinOp::Add(_) => l.checked_add(r),
        syn::BinOp::Sub(_) => l.checked_sub(r),
        syn::BinOp::Mul(_) => l.checked_mul(r),
        syn::BinOp::Div(_) => l.checked_div(r),
        syn::BinOp::Rem(_) => l.checked_rem(r),
        _ => None,
    }
}
