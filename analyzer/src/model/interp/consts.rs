//! Integer `const` items and literals, as far as capacities and indices need them.
use super::Interp;
use crate::frontend::compact::ConstInit;
use crate::frontend::index::{ConstId, Def, ModId};
use crate::frontend::resolve::{resolve_path, Resolved};
use crate::model::syntax;
use crate::model::value::Value;

impl<'a> Interp<'a> {
    /// The value of a `const` item, when it is a number.
    pub(super) fn const_value(&mut self, id: ConstId) -> Value<'a> {
        let def = &self.index.consts[id.index()];
        self.in_const(|this| match def.init() {
            ConstInit::Int(n) => Some(n),
            ConstInit::Expr(expr) => this.eval_const(expr, def.module),
            ConstInit::Unknown => None,
        })
        .map_or(Value::Unknown, Value::Int)
    }

    pub(super) fn eval_const(&mut self, expr: &syn::Expr, module: ModId) -> Option<i64> {
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
                match resolve_path(self.index, module, &segments)? {
                    Resolved::Def(Def::Const(c)) => match self.const_value(c) {
                        Value::Int(n) => Some(n),
                        _ => None,
                    },
                    _ => None,
                }
            }
            _ => None,
        }
    }
}

/// Integer arithmetic as the program would do it, or `None` on overflow or another operator.
pub(super) fn int_op(op: &syn::BinOp, l: i64, r: i64) -> Option<i64> {
    match op {
        syn::BinOp::Add(_) => l.checked_add(r),
        syn::BinOp::Sub(_) => l.checked_sub(r),
        syn::BinOp::Mul(_) => l.checked_mul(r),
        syn::BinOp::Div(_) => l.checked_div(r),
        syn::BinOp::Rem(_) => l.checked_rem(r),
        _ => None,
    }
}
