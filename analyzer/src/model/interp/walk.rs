//! The walk of one thread template: its call frames, their scopes and temporaries, the loops
//! it is in, and the events it emits.
//!
//! Guards bound by `let` live to the end of their block or a `drop`, temporaries to the end of
//! their statement, scrutinee guards (`if let`, `match`, `while let`) through the arms. Macro
//! arguments get the temporary scopes of the macro's real expansion: `assert!`'s condition ends
//! before its message is formatted, `assert_eq!`'s operands live through it. The locks held
//! after a branch are the union over the arms that continue (an arm that returns, breaks or
//! panics does not); a loop is walked once and left holding what its `break`s, or its end, hold.
//! A labelled `break 'outer` or `continue 'outer` leaves every scope and loop up to its target
//! (`break 'label value` too, out of a labelled block), which alone records where it left.
use super::drops::Site;
use super::guards::GuardInfo;
use super::Interp;
use crate::diagnostic::Span;
use crate::frontend::index::{FnId, StructId};
use crate::model::env::Scope;
use crate::model::syntax;
use crate::model::value::{BagId, GuardId, MapKey, ObjectId, Place, Value};
use crate::model::{CallId, CallSite, Event, Held, Op, PrimId, TemplateId, VarId};
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

/// Whether control goes on normally after a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Flow {
    Normal,
    /// `break` or `continue`: to the end of the loop (or labelled block) at this depth of
    /// `Walk::loops`.
    Break(usize),
    Return,
}

impl Flow {
    /// Of two ways of leaving, the one that leaves fewer scopes: where control goes on when
    /// either may be taken (`Normal` when one of them does not leave).
    pub(super) fn nearest(self, other: Flow) -> Flow {
        match (self, other) {
            (Flow::Normal, _) | (_, Flow::Normal) => Flow::Normal,
            (Flow::Break(a), Flow::Break(b)) => Flow::Break(a.max(b)),
            (Flow::Break(a), Flow::Return) | (Flow::Return, Flow::Break(a)) => Flow::Break(a),
            (Flow::Return, Flow::Return) => Flow::Return,
        }
    }
}

/// One function or closure being walked.
pub(super) struct Frame<'a> {
    /// Tells this call apart from every other call walked.
    pub(super) id: u32,
    /// The call expression that made this frame, when it was a call written in the code.
    pub(super) call_site: Option<Span>,
    /// The call is an implicit `drop`, at the place its object is let go.
    pub(super) dropping: bool,
    /// The innermost call site of this frame or a frame below it, once an event needs it
    /// (see `Walk::calls_known`).
    pub(super) call: Option<CallId>,
    pub(super) place: Place,
    pub(super) callee: Option<FnId>,
    pub(super) scopes: Vec<Rc<Scope<'a>>>,
    /// Guards owned by the bindings of each scope (parallel to `scopes`).
    pub(super) owned: Vec<Vec<GuardId>>,
    /// Pipe ends owned by the bindings of each scope (parallel to `scopes`).
    pub(super) ends: Vec<Vec<PrimId>>,
    /// Temporaries of the statements being evaluated, innermost last.
    pub(super) temps: Vec<Vec<GuardId>>,
    pub(super) flow: Flow,
    pub(super) returned: Option<Value<'a>>,
    /// Each `return` walked: the events so far and what its path had signalled.
    pub(super) exits: Vec<super::protocol::Exit>,
    /// Its parameters that are plain bindings, with the caller's argument expression for each
    /// (`self` for the receiver), when the call was written: what a map key names (see
    /// `Interp::map_key`).
    /// Each with the number of its binding (see `bindings`).
    pub(super) params: Vec<(Rc<str>, &'a syn::Expr, u32)>,
    /// The latest binding (or assignment) of each name bound in it, numbered in the walk (see
    /// `MapKey::binding`).
    pub(super) bindings: HashMap<String, u32>,
}

impl<'a> Frame<'a> {
    /// The caller's argument expression for the parameter `name`, while the parameter is not
    /// bound anew, and the binding number it has.
    pub(super) fn passed_argument(&self, name: &str) -> (Option<&'a syn::Expr>, u32) {
        let binding = self.bindings.get(name).copied().unwrap_or(0);
        let arg = self
            .params
            .iter()
            .find(|(param, _, bound)| **param == *name && *bound == binding)
            .map(|&(_, arg, _)| arg);
        (arg, binding)
    }
}

/// The argument expressions of a call about to be followed (see `Frame::params`).
#[derive(Clone, Copy)]
pub(super) struct CallArgs<'a> {
    pub(super) receiver: Option<&'a syn::Expr>,
    pub(super) args: &'a syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
}

impl<'a> CallArgs<'a> {
    /// Those of `m` when it is the call of `method` being followed (the model also calls
    /// methods of its own, on the way, under an outer call's expression).
    pub(super) fn of(m: &'a syn::ExprMethodCall, method: &str) -> Option<Self> {
        (m.method == method).then_some(CallArgs {
            receiver: Some(&m.receiver),
            args: &m.args,
        })
    }
}

/// What `break` and `continue` can leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Breakable {
    Loop,
    /// A labelled block (`'a: { … }`): only `break 'a` leaves it, and it runs once.
    Block,
}

#[derive(Debug, Clone)]
pub(super) struct LoopFrame<'a> {
    pub(super) kind: Breakable,
    /// Its label, without the quote.
    pub(super) label: Option<String>,
    /// The depth of the call frame it is in (a `break` never leaves a closure or function).
    pub(super) frame: usize,
    /// The values given to `break` so far.
    pub(super) values: Vec<Value<'a>>,
    /// How the `break`s, `continue`s and `return`s walked inside it that leave it for an outer
    /// target do so: the nearest of them (what follows a `loop` that only they leave).
    pub(super) leaves: Option<Flow>,
    pub(super) var: Option<VarId>,
    pub(super) count: Option<u64>,
    pub(super) predicate: bool,
    /// The locks held at each `break` out of the loop walked so far.
    pub(super) exits: Vec<Vec<GuardId>>,
    /// Each `break` or `continue` of the loop walked so far, for the `task_done`s it skips.
    pub(super) skips: Vec<super::protocol::Exit>,
    /// How many arms the walk was inside when it entered the loop.
    pub(super) arms_at_entry: usize,
    /// Blocking waits walked under an arm inside the loop, not yet left unchecked: the event and
    /// the arms it is inside (see `Interp::note_question_mark`).
    pub(super) waits: Vec<(usize, Rc<[Arm]>)>,
}

/// What alternative paths of control leave (the arms of an `if` or a `match`), merged by
/// `merge` over the paths that go on; `before`, when none does (paths that left, by `return`,
/// `break` or `continue`, do not reach what follows).
pub(super) fn merge_going_on<T>(
    before: T,
    paths: Vec<(T, Flow)>,
    merge: impl FnMut(T, T) -> T,
) -> T {
    paths
        .into_iter()
        .filter(|(_, flow)| *flow == Flow::Normal)
        .map(|(left, _)| left)
        .reduce(merge)
        .unwrap_or(before)
}

/// Adds to `into` the items of `from` it does not hold yet, in their order.
pub(super) fn push_new<T: PartialEq>(into: &mut Vec<T>, from: impl IntoIterator<Item = T>) {
    for item in from {
        if !into.contains(&item) {
            into.push(item);
        }
    }
}

/// An arm of an `if` or `match` walked: (its branch, numbered once per `if` or `match` walked;
/// the arm's place in it).
pub(super) type Arm = (u32, u32);

/// How control leaves a loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LoopExit {
    /// When its condition (or iterator) ends, or by `break`.
    Condition,
    /// Only by `break` (`loop { … }`).
    BreakOnly,
}

/// Where the walk is: the template being walked, and the state of its code.
pub(super) struct Walk<'a> {
    pub(super) template: TemplateId,
    /// Every guard made so far (ids are crate-wide: a value handed to a thread may carry one).
    pub(super) guards: Vec<GuardInfo>,
    /// The guards held now, in acquisition order.
    pub(super) held: Vec<GuardId>,
    pub(super) loops: Vec<LoopFrame<'a>>,
    pub(super) frames: Vec<Frame<'a>>,
    /// Atomic read-modify-writes walked so far (see `AtomicRead`).
    pub(super) atomic_rmw_calls: u32,
    /// Atomic `load`-then-`store` updates walked so far that a held guard made one update: a
    /// call that walked one depends on its caller's guards (see `budget::Activity`).
    pub(super) guarded_atomic_updates: u32,
    /// `if`s whose arm the callers' literal arguments decided (see `Interp::decided_by_literals`):
    /// a call that walked one is reused only for the same literals (see `Input::Literal`).
    pub(super) branches_decided: u32,
    /// Frames made so far (the next frame's id).
    pub(super) frames_made: u32,
    /// Guards lent to the calls being walked (`f(&guard)`): the callee does not own them.
    pub(super) lent: Vec<GuardId>,
    /// What the current path has signalled (`task_done`, `set`, `notify`), on every branch.
    pub(super) signals: Vec<PrimId>,
    /// The events of each implicit drop walked: every path that leaves while its object is
    /// owned runs them.
    pub(super) drops: Vec<super::protocol::DropRun>,
    /// The guards held and read through by the condition of each `if` the walk is inside the
    /// arms of, innermost last.
    pub(super) checks: Vec<Vec<GuardId>>,
    /// Per arm being walked, innermost last: the guard-owning bindings of the scopes around it
    /// that it assigned (see `stmts::Rebinds`).
    pub(super) rebound: Vec<Vec<super::stmts::Rebound<'a>>>,
    /// The arms of `if`s and `match`es the walk is inside, outermost first.
    pub(super) arms: Vec<Arm>,
    /// `arms` as the events made now share it (made again once `arms` changes).
    pub(super) arm_path: Option<crate::model::ArmPath>,
    /// Branches made so far (the next branch's number).
    pub(super) branches: u32,
    /// The operation being walked is made on one of several channels (see
    /// `Event::alternative`).
    pub(super) alternatives: bool,
    /// The argument expressions of the call about to be followed, taken by its frame.
    pub(super) call_args: Option<CallArgs<'a>>,
    /// The acquisition being walked takes the element of a family a held guard took, by the
    /// same run-time index (see `Event::same_element`).
    pub(super) same_element: bool,
    /// The run-time index each held guard of a family's element was taken by, when the code
    /// names it (`shards[idx]`).
    pub(super) element_keys: HashMap<GuardId, MapKey>,
    /// Bindings made so far (the next binding's number, see `Frame::bindings`).
    pub(super) bindings_made: u32,
    /// How many frames, from the bottom, have their `call` set: the model's call tree grows
    /// only for the calls an event runs in, and each call walked is added once.
    pub(super) calls_known: usize,
    /// The next frame pushed is an implicit `drop` (see `Frame::dropping`).
    pub(super) next_call_drops: bool,
    /// The outermost frame (by depth) that a call cut short since the innermost function call
    /// began was cut for: a recursive call into it, or the call depth bound (depth 0). A walk
    /// cut for a frame outside its callee depends on its callers, and is not reused.
    pub(super) cut_for_frame: usize,
    /// Objects a lookup through a guard handed out (`guard.get_mut(&id)`), by the guard: while
    /// it is held, the object's fields are read and written through it.
    pub(super) places: Vec<((StructId, ObjectId), GuardId, Option<MapKey>)>,
    /// Maps whose `entry` was taken through a guard (with the key it named): the element its
    /// `or_insert…` gives is a place in that guard's data.
    pub(super) entries: Vec<(BagId, GuardId, Option<MapKey>)>,
    /// The event this walk last saw set (`is_set()`, `wait()`), with `statements_walked` then:
    /// a `clear` in the statement that begins next consumes the signal (see `Op::Clear`).
    pub(super) event_seen_set: Option<(PrimId, u64)>,
    /// Statements walked so far.
    pub(super) statements_walked: u64,
    /// The element of a family the last index expression by a run-time index took, and the
    /// key it took it by (see `Interp::element_index_key`).
    pub(super) element_indexed: Option<(PrimId, MapKey)>,
    /// Reads through guards made so far (see `Interp::method_call_expr`).
    pub(super) guard_reads_made: u32,
    /// The collections (and channels' messages) whose content this walk read.
    pub(super) bags_read: RefCell<HashSet<BagId>>,
    /// What this walk may still give up for a later one (see `rewalk::Postponable`).
    pub(super) postponable: Option<super::rewalk::Postponable>,
    /// The walk gave up: it waited on a channel nothing was sent on yet (see `rewalk`).
    pub(super) postponed: Cell<bool>,
}

impl Walk<'_> {
    pub(super) fn new() -> Self {
        Walk {
            template: TemplateId(0),
            guards: Vec::new(),
            held: Vec::new(),
            loops: Vec::new(),
            frames: Vec::new(),
            atomic_rmw_calls: 0,
            guarded_atomic_updates: 0,
            branches_decided: 0,
            frames_made: 0,
            lent: Vec::new(),
            signals: Vec::new(),
            drops: Vec::new(),
            calls_known: 0,
            next_call_drops: false,
            checks: Vec::new(),
            rebound: Vec::new(),
            arms: Vec::new(),
            arm_path: None,
            branches: 0,
            alternatives: false,
            call_args: None,
            same_element: false,
            element_keys: HashMap::new(),
            bindings_made: 0,
            cut_for_frame: usize::MAX,
            places: Vec::new(),
            entries: Vec::new(),
            guard_reads_made: 0,
            element_indexed: None,
            event_seen_set: None,
            statements_walked: 0,
            bags_read: RefCell::default(),
            postponable: None,
            postponed: Cell::new(false),
        }
    }

    /// Starts the walk of a template, from no frame and no lock held.
    pub(super) fn start(&mut self, template: TemplateId) {
        self.template = template;
        self.held.clear();
        self.loops.clear();
        self.frames.clear();
        self.lent.clear();
        self.signals.clear();
        self.drops.clear();
        self.calls_known = 0;
        self.checks.clear();
        self.cut_for_frame = usize::MAX;
        self.places.clear();
        self.entries.clear();
        self.event_seen_set = None;
        self.element_indexed = None;
        self.element_keys.clear();
        self.bags_read.get_mut().clear();
        self.postponable = None;
        self.postponed.set(false);
    }
}

impl<'a> Interp<'a> {
    /// `name` is bound (or assigned) anew in the current frame.
    pub(super) fn note_binding(&mut self, name: &str) {
        self.walk.bindings_made += 1;
        let binding = self.walk.bindings_made;
        if let Some(frame) = self.walk.frames.last_mut() {
            frame.bindings.insert(name.to_owned(), binding);
        }
    }

    pub(super) fn frame(&mut self) -> &mut Frame<'a> {
        self.walk
            .frames
            .last_mut()
            .expect("a frame is pushed while walking code")
    }

    pub(super) fn place(&self) -> Place {
        self.walk
            .frames
            .last()
            .expect("a frame is pushed while walking code")
            .place
    }

    pub(super) fn scope(&self) -> Rc<Scope<'a>> {
        let frame = self
            .walk
            .frames
            .last()
            .expect("a frame is pushed while walking code");
        frame.scopes.last().expect("a frame has a scope").clone()
    }

    pub(super) fn push_scope(&mut self) {
        let scope = Scope::child(&self.scope());
        let frame = self.frame();
        frame.scopes.push(scope);
        frame.owned.push(Vec::new());
        frame.ends.push(Vec::new());
    }

    /// Ends a block (at `end`): the guards its bindings own are released, except those moved out
    /// in the block's value, which become temporaries of the enclosing statement; the pipe ends
    /// they own are dropped, except those in the block's value or returned.
    pub(super) fn pop_scope(&mut self, value: &Value<'a>, end: &Span) {
        let frame = self.frame();
        frame.scopes.pop();
        let ends = frame.ends.pop().unwrap_or_default();
        let returned = frame.returned.clone().unwrap_or_default();
        let owned = frame.owned.pop().unwrap_or_default();
        self.drop_ends(ends, &[value, &returned], end);
        let mut kept = self.owned_guards(value);
        kept.extend(self.drop_tokens(&returned));
        for g in owned.into_iter().rev() {
            if kept.contains(&g) {
                self.add_temp(g);
            } else {
                self.release(g, Some(Site::Span(end)));
            }
        }
    }

    pub(super) fn add_temp(&mut self, guard: GuardId) {
        let frame = self.frame();
        match frame.temps.last_mut() {
            Some(temps) => temps.push(guard),
            None => match frame.owned.last_mut() {
                Some(owned) => owned.push(guard),
                None => frame.temps.push(vec![guard]),
            },
        }
    }

    /// Evaluates a statement-like piece with its own temporaries, dropped at its end (`end`).
    pub(super) fn with_temps<T>(
        &mut self,
        end: proc_macro2::Span,
        f: impl FnOnce(&mut Self) -> T,
    ) -> T {
        self.frame().temps.push(Vec::new());
        let out = f(self);
        self.end_temps(end);
        out
    }

    /// Whether the walk is inside a predicate loop (`while !ready`) of the function being walked.
    pub(super) fn in_predicate_loop(&self) -> bool {
        let frame = self.walk.frames.len();
        self.walk
            .loops
            .iter()
            .any(|l| l.predicate && l.frame == frame)
    }

    /// Ends the innermost temporary scope (at `end`): its temporaries are dropped, last first.
    pub(super) fn end_temps(&mut self, end: proc_macro2::Span) {
        let temps = self.frame().temps.pop().unwrap_or_default();
        for g in temps.into_iter().rev() {
            self.release(g, Some(Site::Token(end)));
        }
    }

    /// [`Self::with_temps`], but the guards the result owns (a guard handed out) become
    /// temporaries of the enclosing statement.
    pub(super) fn with_temps_but_value(
        &mut self,
        end: proc_macro2::Span,
        f: impl FnOnce(&mut Self) -> Value<'a>,
    ) -> Value<'a> {
        self.frame().temps.push(Vec::new());
        let value = f(self);
        let temps = self.frame().temps.pop().unwrap_or_default();
        self.end_temps_but_value(temps, &value, end);
        value
    }

    /// Drops `temps` (at `end`) but the guards `value` owns, which become temporaries of the
    /// enclosing scope: a guard handed out of a block, or moved out of a scrutinee by the arm
    /// that gives the value (`match m.lock() { Ok(g) => g, … }`).
    pub(super) fn end_temps_but_value(
        &mut self,
        temps: Vec<GuardId>,
        value: &Value<'a>,
        end: proc_macro2::Span,
    ) {
        let kept = self.owned_guards(value);
        for g in temps.into_iter().rev() {
            if kept.contains(&g) {
                self.add_temp(g);
            } else {
                self.release(g, Some(Site::Token(end)));
            }
        }
    }

    /// Moves the guards and pipe ends of a value into the bindings of the current scope.
    pub(super) fn adopt(&mut self, value: &Value<'a>) {
        self.adopt_except(value, &[]);
    }

    /// Adopts a value's guards but `kept` (and those lent to the calls being walked).
    pub(super) fn adopt_except(&mut self, value: &Value<'a>, kept: &[GuardId]) {
        self.adopt_ends(value);
        let mut guards = self.owned_guards(value);
        guards.retain(|g| !self.walk.lent.contains(g) && !kept.contains(g));
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

    /// Takes the guards of a value away from their owners in the current call: the value is on
    /// its way out of them (`break 'a value`), and whoever receives it owns them.
    pub(super) fn detach(&mut self, value: &Value<'a>) -> Vec<GuardId> {
        let guards = self.owned_guards(value);
        if !guards.is_empty() {
            let frame = self.frame();
            for list in frame.temps.iter_mut().chain(frame.owned.iter_mut()) {
                list.retain(|g| !guards.contains(g));
            }
        }
        guards
    }

    /// A value arrives with guards detached on its way: they become temporaries here.
    pub(super) fn attach(&mut self, guards: Vec<GuardId>) {
        for g in guards {
            self.add_temp(g);
        }
    }

    pub(super) fn push_frame(
        &mut self,
        place: Place,
        callee: Option<FnId>,
        scope: Rc<Scope<'a>>,
        call_site: Option<&Span>,
    ) {
        self.walk.frames_made += 1;
        self.walk.frames.push(Frame {
            id: self.walk.frames_made,
            call_site: call_site.cloned(),
            dropping: std::mem::take(&mut self.walk.next_call_drops),
            call: None,
            place,
            callee,
            scopes: vec![scope],
            owned: vec![Vec::new()],
            ends: vec![Vec::new()],
            temps: Vec::new(),
            flow: Flow::Normal,
            returned: None,
            exits: Vec::new(),
            params: Vec::new(),
            bindings: HashMap::new(),
        });
    }

    /// Ends a call (at `end`): guards left in the callee are dropped, those it returns become
    /// temporaries of the caller's statement; pipe ends its parameters own and it does not return
    /// are dropped.
    pub(super) fn pop_frame(&mut self, value: Value<'a>, end: &Span) -> Value<'a> {
        let Some(frame) = self.walk.frames.pop() else {
            return value;
        };
        self.mark_skipped(&frame.exits, false);
        self.walk.calls_known = self.walk.calls_known.min(self.walk.frames.len());
        let result = match frame.returned {
            Some(returned) if frame.flow == Flow::Return => returned,
            Some(returned) => returned.join(&value),
            None => value,
        };
        self.drop_ends(frame.ends.into_iter().flatten().collect(), &[&result], end);
        let mut kept = self.owned_guards(&result);
        let owned: Vec<GuardId> = frame
            .temps
            .into_iter()
            .chain(frame.owned)
            .flatten()
            .collect();
        // An object the callee did not own (one it was lent, or a field's) stays with its owner.
        let tokens = self.drop_tokens(&result);
        kept.retain(|g| !tokens.contains(g) || owned.contains(g));
        for &g in &owned {
            if !kept.contains(&g) {
                self.release(g, Some(Site::Span(end)));
            }
        }
        if !self.walk.frames.is_empty() {
            for g in kept {
                self.add_temp(g);
            }
        }
        result
    }

    pub(super) fn emit(&mut self, op: Op, span: Span) -> usize {
        self.note_signal(&op);
        let held: Vec<Held> = self
            .walk
            .held
            .iter()
            .map(|&g| {
                let info = &self.walk.guards[g as usize];
                Held {
                    lock: self.guard_lock(g),
                    guard: g,
                    span: info.span.clone(),
                    event: info.event,
                }
            })
            .collect();
        // Only a loop of the function that waits re-checks after the wait: a caller's loop
        // runs the function again, after whatever it did with the predicate still false (but see
        // `lend_wait_to_caller_loop`).
        let in_predicate_loop = self.in_predicate_loop();
        let in_if = !self.walk.checks.is_empty();
        let call = self.current_call();
        let events = self.event_count();
        let room = self.room_for_event(events, held.len());
        let arms = self
            .walk
            .arm_path
            .get_or_insert_with(|| Rc::from(self.walk.arms.as_slice()))
            .clone();
        let template = &mut self.model.templates[self.walk.template.0 as usize];
        if room {
            template.events.push(Event {
                op,
                span,
                call,
                held,
                in_predicate_loop,
                in_if,
                skipped: false,
                alternative: self.walk.alternatives,
                same_element: self.walk.same_element,
                only_read: false,
                arms,
            });
        }
        template.events.len().saturating_sub(1)
    }

    /// The innermost call being walked, adding the calls not yet in the model's call tree.
    fn current_call(&mut self) -> Option<CallId> {
        let walk = &mut self.walk;
        let mut parent = match walk.calls_known {
            0 => None,
            known => walk.frames[known - 1].call,
        };
        for frame in &mut walk.frames[walk.calls_known..] {
            if let Some(span) = &frame.call_site {
                self.model.calls.push(CallSite {
                    parent,
                    span: span.clone(),
                    dropping: frame.dropping,
                });
                parent = Some(CallId(self.model.calls.len() as u32 - 1));
            }
            frame.call = parent;
        }
        walk.calls_known = walk.frames.len();
        parent
    }

    pub(super) fn event_count(&self) -> usize {
        self.model.template(self.walk.template).events.len()
    }

    pub(super) fn span_of(&self, expr: &syn::Expr) -> Span {
        let converter = self.files[self.place().file];
        converter.between(syntax::first_token(expr), syntax::last_token(expr))
    }

    pub(super) fn raw_span(&self, span: proc_macro2::Span) -> Span {
        self.files[self.place().file].span(span)
    }
}

impl Interp<'_> {
    /// The calls being walked, outermost first, by frame id.
    pub(super) fn frame_ids(&self) -> Rc<[u32]> {
        self.walk.frames.iter().map(|f| f.id).collect()
    }

    /// Where to report an operation on a value made in the calls `made_in` (frame ids), done at
    /// `at` in the current call: at the call, in the innermost function both are inside, that
    /// leads to `at` (the write-back call in the function that read), or at `at` itself when
    /// the current function is that one.
    pub(super) fn site_in_common_caller(&self, made_in: &[u32], at: &Span) -> Span {
        let frames = &self.walk.frames;
        let common = frames
            .iter()
            .zip(made_in)
            .take_while(|(frame, id)| frame.id == **id)
            .count();
        frames
            .get(common)
            .and_then(|frame| frame.call_site.clone())
            .unwrap_or_else(|| at.clone())
    }
}
