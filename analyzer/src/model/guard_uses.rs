//! Which calls give a value that is only read: a getter's `*self.version.lock().unwrap()`, a
//! `state.lock().unwrap().clone()`, a `let g = state.lock().unwrap();` whose every later use
//! reads. When such a call gives a fresh guard, the acquisition cannot change the lock's data,
//! so a thread that takes the lock only so cannot lose another thread's update (R003).
//!
//! Syntactic and one-sided: a call is listed only when every use of its value is one that
//! cannot write through it; a use that is not understood (a macro other than the formatting
//! ones, a pattern that binds by `ref mut`, a method not known to only read) counts as a write.
use std::collections::{HashMap, HashSet};
use syn::{BinOp, Block, Expr, Pat, Stmt};

/// How an expression's value is used, from harmless to writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Use {
    /// Read (copied out, compared, formatted, borrowed shared) or dropped.
    Read,
    /// Moved to what is not followed (an argument, a binding, a field, a return): what takes
    /// it may write through it.
    Moved,
    /// Borrowed shared by what is not followed (`let c = &*g;`, `f(&g)`): a `Cell` or an
    /// atomic in the data may be written through the borrow.
    Borrowed,
    /// Written, or borrowed mutably (a method that may take `&mut self`).
    Written,
}

/// Methods that only read their receiver and give nothing that writes into it (sorted), unless
/// the crate has a method of the name that takes `self` mutably or by value.
const READING_METHODS: &[&str] = &[
    "as_deref",
    "as_ref",
    "as_slice",
    "as_str",
    "back",
    "binary_search",
    "capacity",
    "clone",
    "cloned",
    "cmp",
    "contains",
    "contains_key",
    "copied",
    "ends_with",
    "eq",
    "first",
    "front",
    "get",
    "is_empty",
    "is_err",
    "is_none",
    "is_ok",
    "is_some",
    "iter",
    "keys",
    "last",
    "len",
    "load",
    "ne",
    "partial_cmp",
    "starts_with",
    "to_owned",
    "to_string",
    "to_vec",
    "values",
];

/// Methods that give back their receiver's guard (`lock().unwrap()`).
const PASSING_METHODS: &[&str] = &["expect", "unwrap", "unwrap_or_else"];

/// Macros that only format or compare their arguments.
const READING_MACROS: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "debug",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "eprint",
    "eprintln",
    "error",
    "format",
    "info",
    "panic",
    "print",
    "println",
    "trace",
    "warn",
    "write",
    "writeln",
];

/// The calls found only read, over the bodies looked at so far (by address: the trees stay put
/// while the crate is modelled).
#[derive(Default)]
pub(crate) struct ReadOnlyCalls {
    bodies: HashSet<usize>,
    calls: HashSet<usize>,
    /// Names of [`READING_METHODS`] that a method of the crate takes `self` mutably or by value
    /// under: their calls may write.
    writing: HashSet<String>,
}

impl ReadOnlyCalls {
    /// Notes a function of the crate (`reads_self`: it is no method, or takes `&self`): a method
    /// named like a reading method of std that takes `self` mutably or by value (`fn get(&mut
    /// self)`) makes every call of that name a write.
    pub(crate) fn note_fn(&mut self, name: &str, reads_self: impl FnOnce() -> bool) {
        if READING_METHODS.binary_search(&name).is_ok() && !reads_self() {
            self.writing.insert(name.to_owned());
        }
    }

    /// Looks at a function's body, once.
    pub(crate) fn note_block(&mut self, block: &Block) {
        if self.bodies.insert(block as *const Block as usize) {
            let mut pass = Pass::new(&self.writing);
            pass.block(block, Use::Moved);
            self.calls.extend(pass.found);
        }
    }

    /// Looks at a closure's body, once.
    pub(crate) fn note_expr(&mut self, body: &Expr) {
        if self.bodies.insert(body as *const Expr as usize) {
            let mut pass = Pass::new(&self.writing);
            pass.expr(body, Use::Moved);
            self.calls.extend(pass.found);
        }
    }

    /// Whether the value of this call (a method call or a call, in a body looked at) is only read.
    pub(crate) fn contains(&self, call: &Expr) -> bool {
        self.calls.contains(&(call as *const Expr as usize))
    }
}

/// A `let` binding of what may be a guard, whose uses decide whether its call is only read.
struct Binding {
    name: String,
    worst: Use,
    /// The calls of its initializer that are only read if the binding is.
    calls: Vec<usize>,
}

struct Pass<'w> {
    writing: &'w HashSet<String>,
    /// Calls only read (while a binding's initializer is looked at, those that are if it is).
    found: Vec<usize>,
    /// The bindings in scope, innermost last.
    bindings: Vec<Binding>,
    /// Where each name's bindings in scope are in `bindings`, innermost last.
    by_name: HashMap<String, Vec<usize>>,
}

impl<'w> Pass<'w> {
    fn new(writing: &'w HashSet<String>) -> Self {
        Self {
            writing,
            found: Vec::new(),
            bindings: Vec::new(),
            by_name: HashMap::new(),
        }
    }

    fn block(&mut self, block: &Block, use_: Use) {
        let open = self.bindings.len();
        let last = block.stmts.len().saturating_sub(1);
        for (i, stmt) in block.stmts.iter().enumerate() {
            match stmt {
                Stmt::Local(local) => self.local(local),
                Stmt::Expr(expr, None) if i == last => self.expr(expr, use_),
                Stmt::Expr(expr, _) => self.expr(expr, Use::Read),
                Stmt::Macro(m) => self.mac(&m.mac),
                Stmt::Item(_) => {}
            }
        }
        // The bindings of this block go out of scope: each decides for its calls.
        let closed: Vec<Binding> = self.bindings.drain(open..).collect();
        for binding in closed {
            if let Some(scopes) = self.by_name.get_mut(&binding.name) {
                scopes.pop();
            }
            if binding.worst == Use::Read {
                self.found.extend(binding.calls);
            }
        }
    }

    fn local(&mut self, local: &syn::Local) {
        let Some(init) = &local.init else {
            return;
        };
        if let Some((_, diverge)) = &init.diverge {
            self.expr(diverge, Use::Read);
        }
        let name = match &local.pat {
            Pat::Wild(_) => return self.expr(&init.expr, Use::Read),
            Pat::Ident(p) if p.by_ref.is_none() && p.mutability.is_none() && p.subpat.is_none() => {
                &p.ident
            }
            Pat::Type(t) => match &*t.pat {
                Pat::Ident(p)
                    if p.by_ref.is_none() && p.mutability.is_none() && p.subpat.is_none() =>
                {
                    &p.ident
                }
                _ => return self.expr(&init.expr, Use::Moved),
            },
            _ => return self.expr(&init.expr, Use::Moved),
        };
        if !gives_call(&init.expr) {
            return self.expr(&init.expr, Use::Moved);
        }
        // The initializer's calls are only read if every later use of the binding is.
        let outer = std::mem::take(&mut self.found);
        self.expr(&init.expr, Use::Read);
        let calls = std::mem::replace(&mut self.found, outer);
        let name = name.to_string();
        self.by_name
            .entry(name.clone())
            .or_default()
            .push(self.bindings.len());
        self.bindings.push(Binding {
            name,
            worst: Use::Read,
            calls,
        });
    }

    fn used(&mut self, name: &str, use_: Use) {
        if let Some(&i) = self.by_name.get(name).and_then(|scopes| scopes.last()) {
            let binding = &mut self.bindings[i];
            binding.worst = binding.worst.max(use_);
        }
    }

    fn mac(&mut self, mac: &syn::Macro) {
        if self.bindings.is_empty() {
            return;
        }
        // A formatting macro reads its arguments, unless they call something (`bump(g)`,
        // `g.take()`), which may take or write what it is given.
        let (names, calls) = names_in(mac.tokens.clone());
        let reads = !calls
            && mac
                .path
                .segments
                .last()
                .is_some_and(|s| READING_MACROS.contains(&s.ident.to_string().as_str()));
        let use_ = if reads { Use::Read } else { Use::Moved };
        for name in names {
            self.used(&name, use_);
        }
    }

    fn expr(&mut self, expr: &Expr, use_: Use) {
        // A place stays written (or borrowed) through fields, indices and dereferences; a
        // value taken from it (a copy) only reads it.
        let place = match use_ {
            Use::Written | Use::Borrowed => use_,
            Use::Read | Use::Moved => Use::Read,
        };
        match expr {
            Expr::MethodCall(m) => {
                if use_ == Use::Read {
                    self.found.push(expr as *const Expr as usize);
                }
                let method = m.method.to_string();
                let receiver = if PASSING_METHODS.contains(&method.as_str()) {
                    use_
                } else if READING_METHODS.binary_search(&method.as_str()).is_ok()
                    && !self.writing.contains(&method)
                {
                    Use::Read
                } else {
                    Use::Written
                };
                self.expr(&m.receiver, receiver);
                for arg in &m.args {
                    self.expr(arg, Use::Moved);
                }
            }
            Expr::Call(c) => {
                if use_ == Use::Read {
                    self.found.push(expr as *const Expr as usize);
                }
                let drops = matches!(&*c.func, Expr::Path(p) if is_drop(&p.path));
                self.expr(&c.func, Use::Read);
                for arg in &c.args {
                    self.expr(arg, if drops { Use::Read } else { Use::Moved });
                }
            }
            Expr::Path(p) => {
                if let Some(ident) = p.path.get_ident() {
                    self.used(&ident.to_string(), use_);
                }
            }
            Expr::Unary(u) => match u.op {
                syn::UnOp::Deref(_) => self.expr(&u.expr, place),
                _ => self.expr(&u.expr, Use::Read),
            },
            Expr::Field(f) => self.expr(&f.base, place),
            Expr::Index(i) => {
                self.expr(&i.expr, place);
                self.expr(&i.index, Use::Read);
            }
            Expr::Paren(p) => self.expr(&p.expr, use_),
            Expr::Group(g) => self.expr(&g.expr, use_),
            Expr::Try(t) => self.expr(&t.expr, use_),
            Expr::Reference(r) => {
                let use_ = match (r.mutability, use_) {
                    (Some(_), _) => Use::Written,
                    (None, Use::Read) => Use::Read,
                    (None, _) => Use::Borrowed,
                };
                self.expr(&r.expr, use_);
            }
            Expr::Assign(a) => {
                self.expr(&a.left, Use::Written);
                self.expr(&a.right, Use::Moved);
            }
            Expr::Binary(b) => {
                self.expr(
                    &b.left,
                    if assigns(&b.op) {
                        Use::Written
                    } else {
                        Use::Read
                    },
                );
                self.expr(&b.right, Use::Read);
            }
            Expr::Cast(c) => self.expr(&c.expr, Use::Read),
            Expr::Block(b) => self.block(&b.block, use_),
            Expr::Unsafe(b) => self.block(&b.block, use_),
            Expr::If(i) => {
                self.expr(&i.cond, Use::Read);
                self.block(&i.then_branch, use_);
                if let Some((_, other)) = &i.else_branch {
                    self.expr(other, use_);
                }
            }
            Expr::Let(l) => self.expr(&l.expr, scrutinee_use([&*l.pat])),
            Expr::Match(m) => {
                self.expr(&m.expr, scrutinee_use(m.arms.iter().map(|a| &a.pat)));
                for arm in &m.arms {
                    if let Some((_, guard)) = &arm.guard {
                        self.expr(guard, Use::Read);
                    }
                    self.expr(&arm.body, use_);
                }
            }
            Expr::While(w) => {
                self.expr(&w.cond, Use::Read);
                self.block(&w.body, Use::Read);
            }
            Expr::Loop(l) => self.block(&l.body, Use::Read),
            Expr::ForLoop(f) => {
                self.expr(&f.expr, Use::Moved);
                self.block(&f.body, Use::Read);
            }
            Expr::Closure(c) => self.expr(&c.body, Use::Moved),
            Expr::Macro(m) => self.mac(&m.mac),
            Expr::Lit(_) => {}
            // Everything else moves what it is made of.
            other => {
                for child in children(other) {
                    self.expr(child, Use::Moved);
                }
            }
        }
    }
}

/// `drop`, `mem::drop`, `std::mem::drop` (a function of another path may take the guard and
/// write through it).
fn is_drop(path: &syn::Path) -> bool {
    let mut names = path.segments.iter().rev().map(|s| s.ident.to_string());
    names.next().is_some_and(|n| n == "drop")
        && match (names.next(), names.next(), names.next()) {
            (None, ..) => true,
            (Some(m), krate, None) if m == "mem" => krate.is_none_or(|c| c == "std" || c == "core"),
            _ => false,
        }
}

/// Whether an initializer's value comes from a call (`m.lock().unwrap()`, `state(&shared)?`):
/// what may be a guard.
fn gives_call(mut expr: &Expr) -> bool {
    loop {
        expr = match expr {
            Expr::Paren(p) => &p.expr,
            Expr::Group(g) => &g.expr,
            Expr::Try(t) => &t.expr,
            Expr::MethodCall(_) | Expr::Call(_) => return true,
            _ => return false,
        };
    }
}

/// The names in tokens, at any depth, and whether they call something (a name followed by
/// parentheses).
fn names_in(tokens: proc_macro2::TokenStream) -> (Vec<String>, bool) {
    let mut names = Vec::new();
    let mut calls = false;
    let mut stack = vec![tokens];
    while let Some(tokens) = stack.pop() {
        let mut after_name = false;
        for token in tokens {
            match token {
                proc_macro2::TokenTree::Group(group) => {
                    calls |= after_name && group.delimiter() == proc_macro2::Delimiter::Parenthesis;
                    stack.push(group.stream());
                    after_name = false;
                }
                proc_macro2::TokenTree::Ident(ident) => {
                    names.push(ident.to_string());
                    after_name = true;
                }
                _ => after_name = false,
            }
        }
    }
    (names, calls)
}

/// A compound assignment (`+=`, `<<=`, …).
fn assigns(op: &BinOp) -> bool {
    matches!(
        op,
        BinOp::AddAssign(_)
            | BinOp::SubAssign(_)
            | BinOp::MulAssign(_)
            | BinOp::DivAssign(_)
            | BinOp::RemAssign(_)
            | BinOp::BitXorAssign(_)
            | BinOp::BitAndAssign(_)
            | BinOp::BitOrAssign(_)
            | BinOp::ShlAssign(_)
            | BinOp::ShrAssign(_)
    )
}

/// How a scrutinee is used by the patterns matched against it: written when one binds by
/// `ref mut`, through `&mut` or into a `mut` binding; moved when one binds by value (the
/// binding's uses are not followed); read otherwise.
fn scrutinee_use<'p>(patterns: impl IntoIterator<Item = &'p Pat>) -> Use {
    let mut worst = Use::Read;
    let mut stack: Vec<&Pat> = patterns.into_iter().collect();
    while let Some(pat) = stack.pop() {
        match pat {
            Pat::Ident(p) => {
                if p.mutability.is_some() {
                    return Use::Written;
                }
                if p.by_ref.is_none() {
                    worst = Use::Moved;
                }
                if let Some((_, sub)) = &p.subpat {
                    stack.push(&**sub);
                }
            }
            Pat::Reference(r) if r.mutability.is_some() => return Use::Written,
            Pat::Reference(r) => stack.push(&r.pat),
            Pat::Or(o) => stack.extend(&o.cases),
            Pat::Paren(p) => stack.push(&p.pat),
            Pat::Slice(s) => stack.extend(&s.elems),
            Pat::Tuple(t) => stack.extend(&t.elems),
            Pat::TupleStruct(t) => stack.extend(&t.elems),
            Pat::Struct(s) => stack.extend(s.fields.iter().map(|f| &*f.pat)),
            Pat::Type(t) => stack.push(&t.pat),
            Pat::Lit(_) | Pat::Path(_) | Pat::Range(_) | Pat::Rest(_) | Pat::Wild(_) => {}
            _ => return Use::Written,
        }
    }
    worst
}

/// The expressions an expression is made of, for the kinds [`Pass::expr`] has no rule of its own for.
fn children(expr: &Expr) -> Vec<&Expr> {
    match expr {
        Expr::Array(a) => a.elems.iter().collect(),
        Expr::Tuple(t) => t.elems.iter().collect(),
        Expr::Struct(s) => s
            .fields
            .iter()
            .map(|f| &f.expr)
            .chain(s.rest.as_deref())
            .collect(),
        Expr::Repeat(r) => vec![&*r.expr, &*r.len],
        Expr::Range(r) => r.start.iter().chain(&r.end).map(|e| &**e).collect(),
        Expr::Return(r) => r.expr.iter().map(|e| &**e).collect(),
        Expr::Break(b) => b.expr.iter().map(|e| &**e).collect(),
        Expr::Yield(y) => y.expr.iter().map(|e| &**e).collect(),
        Expr::Await(a) => vec![&*a.base],
        Expr::Async(a) => a.block.stmts.iter().filter_map(stmt_expr).collect(),
        Expr::TryBlock(t) => t.block.stmts.iter().filter_map(stmt_expr).collect(),
        Expr::Const(c) => c.block.stmts.iter().filter_map(stmt_expr).collect(),
        _ => Vec::new(),
    }
}

fn stmt_expr(stmt: &Stmt) -> Option<&Expr> {
    match stmt {
        Stmt::Expr(e, _) => Some(e),
        Stmt::Local(l) => l.init.as_ref().map(|i| &*i.expr),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The source text of each call of `body` found only read.
    fn read_only(body: &str) -> Vec<String> {
        let block: Block = syn::parse_str(body).expect("a block");
        let mut calls = ReadOnlyCalls::default();
        calls.note_block(&block);
        let mut found = Vec::new();
        collect_calls(&block, &mut |e| {
            if calls.contains(e) {
                found.push(quote::ToTokens::to_token_stream(e).to_string());
            }
        });
        found.sort();
        found
    }

    fn collect_calls(block: &Block, f: &mut dyn FnMut(&Expr)) {
        struct Calls<'f>(&'f mut dyn FnMut(&Expr));
        impl<'ast> syn::visit::Visit<'ast> for Calls<'_> {
            fn visit_expr(&mut self, e: &'ast Expr) {
                if matches!(e, Expr::MethodCall(_) | Expr::Call(_)) {
                    (self.0)(e);
                }
                syn::visit::visit_expr(self, e);
            }
        }
        syn::visit::Visit::visit_block(&mut Calls(f), block);
    }

    #[test]
    fn copies_and_reading_methods_only_read() {
        let found = read_only(
            "{ let v = *m.lock().unwrap(); let n = s.lock().unwrap().items.len(); \
               let c = s.lock().unwrap().clone(); s.lock().unwrap().version }",
        );
        assert!(found.contains(&"m . lock ()".to_owned()), "{found:?}");
        assert_eq!(
            found.iter().filter(|c| c.as_str() == "s . lock ()").count(),
            3,
            "{found:?}"
        );
    }

    #[test]
    fn writes_and_mutating_methods_do_not() {
        let found = read_only(
            "{ *m.lock().unwrap() = 1; *a.lock().unwrap() += 1; b.lock().unwrap().push(2); \
               let r = &mut c.lock().unwrap().field; let mut g = d.lock().unwrap(); \
               if let Some(ref mut x) = e.lock().unwrap().slot { } }",
        );
        for lock in ["m", "a", "b", "c", "d", "e"] {
            assert!(
                !found.contains(&format!("{lock} . lock ()")),
                "{lock}: {found:?}"
            );
        }
    }

    #[test]
    fn a_binding_is_only_read_when_every_use_reads() {
        let found = read_only(
            "{ let g = s.lock().unwrap(); seen = seen.max(g.version); let _ = g.label.len(); \
               println!(\"{}\", g.version); drop(g); \
               let h = t.lock().unwrap(); let w = cv.wait(h).unwrap(); \
               let k = u.lock().unwrap(); k.counter.fetch_add(1, SeqCst); }",
        );
        assert!(found.contains(&"s . lock ()".to_owned()), "{found:?}");
        assert!(!found.contains(&"t . lock ()".to_owned()), "{found:?}");
        assert!(!found.contains(&"u . lock ()".to_owned()), "{found:?}");
    }

    #[test]
    fn a_crate_method_named_like_a_reading_one_that_takes_self_mutably_writes() {
        let block: Block = syn::parse_str("{ let n = m.lock().unwrap().len(); }").expect("a block");
        let mut calls = ReadOnlyCalls::default();
        calls.note_fn("len", || false);
        calls.note_fn("push", || false);
        calls.note_block(&block);
        let mut found = Vec::new();
        collect_calls(&block, &mut |e| {
            if calls.contains(e) {
                found.push(quote::ToTokens::to_token_stream(e).to_string());
            }
        });
        assert_eq!(found, ["m . lock () . unwrap () . len ()"]);
    }

    #[test]
    fn a_guard_returned_is_not_only_read() {
        let found = read_only("{ self.state.lock().unwrap() }");
        assert!(found.is_empty(), "{found:?}");
        let found = read_only("{ *self.state.lock().unwrap() }");
        assert_eq!(
            found,
            [
                "self . state . lock ()",
                "self . state . lock () . unwrap ()"
            ]
        );
    }
}
