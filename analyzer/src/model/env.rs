//! Lexical scopes of bindings. Closures keep the scope chain they were written in, so what they
//! capture is what the enclosing code bound, under whatever name.
use super::value::Value;
use std::cell::RefCell;
use std::rc::Rc;

#[derive(Debug, Default)]
pub(crate) struct Scope<'a> {
    parent: Option<Rc<Scope<'a>>>,
    vars: RefCell<Vec<(Rc<str>, Value<'a>)>>,
}

impl<'a> Scope<'a> {
    pub(crate) fn child(parent: &Rc<Scope<'a>>) -> Rc<Scope<'a>> {
        Rc::new(Scope {
            parent: Some(parent.clone()),
            vars: RefCell::default(),
        })
    }

    pub(crate) fn root() -> Rc<Scope<'a>> {
        Rc::new(Scope::default())
    }

    pub(crate) fn bind(&self, name: &str, value: Value<'a>) {
        self.vars.borrow_mut().push((Rc::from(name), value));
    }

    /// The value of the innermost binding of `name`.
    pub(crate) fn lookup(&self, name: &str) -> Option<Value<'a>> {
        let mut scope = self;
        loop {
            if let Some((_, v)) = scope.vars.borrow().iter().rev().find(|(n, _)| &**n == name) {
                return Some(v.clone());
            }
            scope = scope.parent.as_deref()?;
        }
    }

    /// Assigns to the innermost binding of `name`; returns its previous value.
    pub(crate) fn assign(&self, name: &str, value: Value<'a>) -> Option<Value<'a>> {
        let mut scope = self;
        loop {
            if let Some(slot) = scope
                .vars
                .borrow_mut()
                .iter_mut()
                .rev()
                .find(|(n, _)| &**n == name)
            {
                return Some(std::mem::replace(&mut slot.1, value));
            }
            scope = scope.parent.as_deref()?;
        }
    }
}
