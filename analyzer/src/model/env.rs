//! Lexical scopes of bindings. Closures keep the scope chain they were written in, so what they
//! capture is what the enclosing code bound, under whatever name, and only what it had bound
//! when the closure was made: a name bound again after it is another binding.
use super::value::Value;
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Debug, Default)]
pub(crate) struct Scope<'a> {
    parent: Option<Rc<Scope<'a>>>,
    /// For the scope a closure captures: how many bindings of each ancestor (parent first) it
    /// sees, those made before the closure.
    seen: Option<Rc<[usize]>>,
    vars: RefCell<Vec<Binding<'a>>>,
}

/// A name bound to a value; `borrowed`: the binding holds a reference (`let r = &x;`, a `&T`
/// parameter), so a closure that moves it takes the reference, never the value's ownership.
#[derive(Debug)]
struct Binding<'a> {
    name: Rc<str>,
    value: Value<'a>,
    borrowed: bool,
}

impl<'a> Scope<'a> {
    pub(crate) fn child(parent: &Rc<Scope<'a>>) -> Rc<Scope<'a>> {
        Rc::new(Scope {
            parent: Some(parent.clone()),
            seen: None,
            vars: RefCell::default(),
        })
    }

    /// The scope a closure made now captures: `scope` and its ancestors as they are now.
    pub(crate) fn capture(scope: &Rc<Scope<'a>>) -> Rc<Scope<'a>> {
        let mut seen = Vec::new();
        scope.each_visible(|vars| {
            seen.push(vars.len());
            false
        });
        Rc::new(Scope {
            parent: Some(scope.clone()),
            seen: Some(seen.into()),
            vars: RefCell::default(),
        })
    }

    pub(crate) fn root() -> Rc<Scope<'a>> {
        Rc::new(Scope::default())
    }

    pub(crate) fn bind(&self, name: &str, value: Value<'a>) {
        self.vars.borrow_mut().push(Binding {
            name: Rc::from(name),
            value,
            borrowed: false,
        });
    }

    /// Marks this scope's latest binding of `name` as holding a reference.
    pub(crate) fn mark_borrowed(&self, name: &str) {
        if let Some(b) = self
            .vars
            .borrow_mut()
            .iter_mut()
            .rev()
            .find(|b| &*b.name == name)
        {
            b.borrowed = true;
        }
    }

    /// Calls `f` with the visible bindings of each scope of the chain, innermost first, until
    /// it returns true.
    fn each_visible(&self, mut f: impl FnMut(&mut [Binding<'a>]) -> bool) {
        let mut scope = self;
        let mut limits: Option<(&[usize], usize)> = None;
        loop {
            let mut vars = scope.vars.borrow_mut();
            let visible = match limits {
                Some((seen, depth)) => seen.get(depth).copied().unwrap_or(0).min(vars.len()),
                None => vars.len(),
            };
            if f(&mut vars[..visible]) {
                return;
            }
            drop(vars);
            limits = match (limits, &scope.seen) {
                (Some((seen, depth)), _) => Some((seen, depth + 1)),
                (None, Some(seen)) => Some((seen, 0)),
                (None, None) => None,
            };
            match scope.parent.as_deref() {
                Some(parent) => scope = parent,
                None => return,
            }
        }
    }

    /// The value of the innermost visible binding of `name`.
    pub(crate) fn lookup(&self, name: &str) -> Option<Value<'a>> {
        self.binding(name).map(|(value, _)| value)
    }

    /// The value of the innermost visible binding of `name` unless it holds a reference: what
    /// a `move` closure naming it takes ownership of.
    pub(crate) fn lookup_owned(&self, name: &str) -> Option<Value<'a>> {
        self.binding(name)
            .and_then(|(value, borrowed)| (!borrowed).then_some(value))
    }

    fn binding(&self, name: &str) -> Option<(Value<'a>, bool)> {
        let mut found = None;
        self.each_visible(|vars| {
            found = vars
                .iter()
                .rev()
                .find(|b| &*b.name == name)
                .map(|b| (b.value.clone(), b.borrowed));
            found.is_some()
        });
        found
    }

    /// Assigns to the innermost visible binding of `name`; returns its previous value.
    pub(crate) fn assign(&self, name: &str, value: Value<'a>) -> Option<Value<'a>> {
        let mut value = Some(value);
        let mut previous = None;
        self.each_visible(
            |vars| match vars.iter_mut().rev().find(|b| &*b.name == name) {
                Some(slot) => {
                    previous = value.take().map(|v| std::mem::replace(&mut slot.value, v));
                    true
                }
                None => false,
            },
        );
        previous
    }
}
