//! What the model knows of std and of common crates: wrappers it sees through, collections and
//! their methods, iterator adapters that run their closures, `drop`, and methods that hand back
//! their receiver. Anything else is an unknown call: what it is given escapes, and closures
//! given to it are assumed to run.
use super::drops::Site;
use super::guards::KEEP_PLACE;
use super::Interp;
use crate::diagnostic::Span;
use crate::frontend::resolve::RacecheckItem;
use crate::frontend::sync_items::SyncItem;
use crate::model::value::{Taint, Value};
use crate::model::{IdRank, IndexKey};
use std::rc::Rc;

/// Methods that hand back (a share of) their receiver.
const PASSTHROUGH: &[&str] = &[
    "clone",
    "as_ref",
    "as_mut",
    "borrow",
    "borrow_mut",
    "unwrap",
    "expect",
    "unwrap_or_default",
    "to_owned",
    "into",
    "deref",
    "deref_mut",
    "iter",
    "into_iter",
    "iter_mut",
    "by_ref",
    "upgrade",
    "cloned",
    "copied",
    "collect",
    "rev",
    "skip",
    "take",
    "drain",
    "values",
    "values_mut",
    "into_values",
    "as_slice",
    "to_vec",
    "lock",
    "read",
    "write",
];

/// `Option`/`Result` methods that give back the value inside, consuming the wrapper; called on
/// a guard, they hand it on (a `try_acquire`'s `Option`, a std `lock`'s `LockResult`, also when
/// recovered from poisoning with `unwrap_or_else` or `PoisonError::into_inner` (no method can
/// move a guard's data out of it), turned into the caller's error, or into an `Option`).
pub(super) const UNWRAP: &[&str] = &[
    "unwrap",
    "expect",
    "unwrap_unchecked",
    "unwrap_or_else",
    "map_err",
    "into_inner",
    "ok",
];

/// Methods that make the value inside with their closure if it is not there yet.
const LAZY_INIT: &[&str] = &["get_or_init", "get_or_try_init", "get_or_insert_with"];

/// `Option` methods that call their closure with the value inside, once.
pub(super) const OPTION_COMBINATORS: &[&str] = &[
    "map",
    "map_or",
    "map_or_else",
    "and_then",
    "is_some_and",
    "is_none_or",
    "inspect",
    "filter",
    "take_if",
];

/// Iterator adapters whose result is a collection of what their closure returns.
const MAPPING: &[&str] = &[
    "map",
    "filter_map",
    "flat_map",
    "map_while",
    "then",
    "and_then",
];

/// Methods that matter to the rules reporting an absence, remembered when called on a
/// receiver the model does not know.
const WATCHED: &[&str] = &[
    "task_done",
    "set",
    "put",
    "notify",
    "notify_all",
    "close",
    "terminate",
    "release",
    "send",
    "join",
];

/// Methods and functions of other crates (a runtime's, a pool's) that run the closure they are
/// given on another thread: the closure is a thread of its own, which nobody is known to join.
const SPAWNING: &[&str] = &[
    "spawn",
    "spawn_blocking",
    "spawn_local",
    "spawn_fifo",
    "spawn_ok",
    "execute",
];

/// Wrappers whose constructors and `clone` share the value they wrap.
const WRAPPERS: &[&str] = &["Arc", "Rc", "Weak", "Box", "Pin", "ManuallyDrop", "Cow"];

/// Collections whose constructors start empty.
const COLLECTIONS: &[&str] = &[
    "Vec", "VecDeque", "HashMap", "BTreeMap", "HashSet", "BTreeSet", "IndexMap", "SmallVec",
];

impl<'a> Interp<'a> {
    /// Methods on values the model has no type for: atomics, adapters, pass-through.
    pub(super) fn other_method(
        &mut self,
        receiver: Value<'a>,
        method: &str,
        args: Vec<Value<'a>>,
        m: &'a syn::ExprMethodCall,
        span: &Span,
    ) -> Value<'a> {
        if let Some(value) = self.atomic_method(method, &args, m, span) {
            return value;
        }
        let receiver = if KEEP_PLACE.contains(&method) {
            receiver
        } else {
            self.operand(receiver)
        };
        if matches!(receiver, Value::Unknown) {
            if let Some(watched) = WATCHED.iter().find(|w| **w == method) {
                if *watched != "join" || args.is_empty() {
                    self.note_unknown_call(watched);
                }
            }
            args.iter().for_each(|a| self.mark_kept(a));
        }
        if let [other] = args.as_slice() {
            if let Some(v) = min_max(method, &receiver, other) {
                return v;
            }
        }
        let has_closure = args.iter().any(|a| !a.callables().is_empty());
        if has_closure && SPAWNING.contains(&method) && matches!(receiver, Value::Unknown) {
            return self.spawn_detached(&args, span);
        }
        // `ONCE.get_or_init(|| Registry { .. })`: the value made once, or the one already there.
        if has_closure && LAZY_INIT.contains(&method) {
            let made = self.call_closures(&args, &Value::Unknown);
            return match receiver {
                Value::Unknown | Value::Data(_) => made,
                kept => kept,
            };
        }
        if has_closure {
            let element = match &receiver {
                // An `Option` of one object (`find(id).map(|s| s.go())`): the object itself.
                Value::Obj(..) | Value::Dyn(_) if OPTION_COMBINATORS.contains(&method) => {
                    receiver.clone()
                }
                _ => self.element_of(&receiver),
            };
            self.walk_depth_of_unknown_closures += 1;
            let result = self.call_closures_in_loop(&args, &receiver, element);
            self.walk_depth_of_unknown_closures -= 1;
            if matches!(method, "filter" | "inspect" | "take_while" | "skip_while") {
                return receiver;
            }
            // `get(&id).map_or(0, |s| s.credit)`: the data the closure read out of the one
            // value inside.
            if OPTION_COMBINATORS.contains(&method)
                && method != "take_if"
                && !matches!(receiver, Value::Bag(_))
                && matches!(result, Value::Data(_))
            {
                return super::exprs::with_read(result, &receiver);
            }
            if MAPPING.contains(&method) {
                return self.new_bag(Some(result));
            }
            return Value::data(receiver.taint().read_out());
        }
        if PASSTHROUGH.contains(&method) {
            return receiver;
        }
        let taint = args
            .iter()
            .fold(receiver.taint(), |acc, a| acc.union(&a.taint()));
        match receiver {
            // A number's method gives a number, but one computed from what its arguments read
            // (`v.max(cur)`).
            Value::Int(_) | Value::Index(_) | Value::Range(..) if taint.is_empty() => {
                Value::Unknown
            }
            _ => Value::data(taint.computed()),
        }
    }

    pub(super) fn bag_method(
        &mut self,
        bag: u32,
        receiver: &Value<'a>,
        method: &str,
        args: &[Value<'a>],
    ) -> Option<Value<'a>> {
        Some(match method {
            "push" | "push_back" | "push_front" | "insert" | "add" => {
                if let Some(item) = args.last() {
                    self.bag_add(bag, item.clone());
                }
                Value::Unknown
            }
            "extend" | "append" => {
                if let Some(items) = args.first() {
                    let element = self.element_of(items);
                    self.bag_add(bag, element);
                }
                Value::Unknown
            }
            "get" | "get_mut" if args.len() == 1 => {
                let index = args[0].clone();
                self.index_bag(receiver.clone(), index)
            }
            // A map's entry API, on the map itself: the entry is an element by the key.
            "entry" => receiver.clone(),
            "and_modify" => {
                let element = self.bag_content(bag);
                self.call_closures(args, &element);
                receiver.clone()
            }
            "or_insert" | "or_insert_with" | "or_insert_with_key" | "or_default" => {
                let made = match args.first() {
                    Some(made) if made.callables().is_empty() => made.clone(),
                    Some(_) => self.call_closures(args, &Value::Unknown),
                    None => Value::Unknown,
                };
                if !matches!(made, Value::Unknown) {
                    self.bag_add(bag, made);
                }
                let element = self.index_bag(receiver.clone(), Value::Unknown);
                self.entry_element(bag, element)
            }
            "pop" | "pop_front" | "pop_back" | "first" | "last" | "remove" | "swap_remove"
            | "next" | "first_mut" | "last_mut" => self.bag_content(bag),
            "enumerate" => {
                let element = self.bag_content(bag);
                self.new_bag(Some(Value::Tuple(Rc::from(vec![Value::Unknown, element]))))
            }
            "len" | "is_empty" | "capacity" | "contains" | "contains_key" => Value::Unknown,
            "sort" | "sort_unstable" => {
                self.store.sorted_bags.insert(bag);
                Value::Unknown
            }
            _ => return None,
        })
    }

    /// Calls of paths outside the crate: racecheck constructors, `drop`, wrappers, collections.
    pub(super) fn external_call(
        &mut self,
        path: &[String],
        args: Vec<Value<'a>>,
        span: &Span,
    ) -> Value<'a> {
        if let Some((item, assoc)) = RacecheckItem::of_path(path) {
            return self.racecheck_call(item, assoc, args, span);
        }
        if let Some((item, assoc)) = SyncItem::of_path(path) {
            return self.sync_call(item, assoc, args, span);
        }
        let last = path.last().map(String::as_str).unwrap_or_default();
        let owner = path
            .len()
            .checked_sub(2)
            .map(|i| path[i].as_str())
            .unwrap_or_default();
        match last {
            "drop" if path.len() == 1 || owner == "mem" => {
                for arg in &args {
                    self.release_value(arg, Some(Site::Span(span)));
                    self.disconnect_now(arg, span);
                }
                Value::Unknown
            }
            "Some" | "Ok" | "Err" if path.len() == 1 => {
                let value = args.into_iter().next().unwrap_or_default();
                if let (Value::Guard(g), "Some") = (&value, last) {
                    self.walk.guards[*g as usize].in_option = true;
                }
                value
            }
            // `mem::take(&mut *guard)`, `mem::replace(&mut self.handles, ..)`: the old value
            // moves out, handles and all.
            "take" | "replace" if owner == "mem" => args.into_iter().next().unwrap_or_default(),
            "new" | "clone" | "from" | "pin" | "downgrade" | "upgrade"
                if WRAPPERS.contains(&owner) =>
            {
                args.into_iter().next().unwrap_or_default()
            }
            "new" | "with_capacity" | "default" if COLLECTIONS.contains(&owner) => {
                self.new_bag(None)
            }
            "from" | "from_iter" if COLLECTIONS.contains(&owner) => {
                let element = args.first().map(|a| self.element_of(a));
                self.new_bag(element)
            }
            "min" | "max" => match args.as_slice() {
                [a, b] => min_max(last, a, b)
                    .unwrap_or_else(|| Value::data(a.taint().union(&b.taint()).computed())),
                _ => Value::Unknown,
            },
            _ if SPAWNING.contains(&last) && args.iter().any(|a| !a.callables().is_empty()) => {
                self.spawn_detached(&args, span)
            }
            _ => self.unknown_call(args),
        }
    }

    /// A call the model cannot follow: what its arguments hold escapes, and closures given to it
    /// are assumed to run.
    pub(super) fn unknown_call(&mut self, args: Vec<Value<'a>>) -> Value<'a> {
        args.iter().for_each(|a| {
            self.mark_kept(a);
            self.forget_drops(a);
        });
        self.walk_depth_of_unknown_closures += 1;
        self.call_closures(&args, &Value::Unknown);
        self.walk_depth_of_unknown_closures -= 1;
        Value::data(
            args.iter()
                .fold(Taint::default(), |acc, a| acc.union(&a.taint())),
        )
    }
}

/// `a.min(b)`, `max(a, b)`: a number when both are, and otherwise, for two run-time ids, the
/// lower or the higher of the pair (acquiring `v[min]` then `v[max]` is an order).
fn min_max<'a>(method: &str, a: &Value<'a>, b: &Value<'a>) -> Option<Value<'a>> {
    let rank = match method {
        "min" => IdRank::Low,
        "max" => IdRank::High,
        _ => return None,
    };
    Some(match (a, b) {
        (Value::Int(x), Value::Int(y)) => Value::Int(if rank == IdRank::Low {
            *x.min(y)
        } else {
            *x.max(y)
        }),
        // A value read from an atomic is a number computed on, not an id (`max(cur, v)`
        // stored back is a split update).
        _ if is_id(a)
            && is_id(b)
            && a.taint().atomics.is_empty()
            && b.taint().atomics.is_empty() =>
        {
            Value::Index(IndexKey::Id(rank))
        }
        _ => return None,
    })
}

/// Whether a value can be an index not known before run time: nothing known of it but where it
/// came from, a key of a crate type (a newtype id), or a loop variable.
pub(super) fn is_id(value: &Value<'_>) -> bool {
    matches!(
        value,
        Value::Unknown
            | Value::Data(_)
            | Value::Obj(..)
            | Value::Index(IndexKey::Id(_) | IndexKey::Rotated { .. })
    )
}
