//! Threads and pool tasks: each spawn site or submission is a thread template, counted as many
//! when spawned in a loop (or by a template that itself runs many times), and its handle is
//! followed to the `join` that waits for it.
use super::{Interp, Pending};
use crate::diagnostic::Span;
use crate::model::value::{Builder, Callable, Value};
use crate::model::{Instances, Op, Origin, Template, TemplateId, VarId};
use std::rc::Rc;

impl<'a> Interp<'a> {
    pub(super) fn spawn_template(
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
                parent: self.walk.template,
                event,
            },
            instances: instances.map_or(loop_instances, |i| loop_instances.times(i)),
            instance_var: var.or(loop_var),
            // A variable of the spawning adapter (`(0..n).map(|i| spawn(…))`) is each
            // instance's own when nothing around it spawns again.
            instance_var_unique: match var {
                Some(_) => matches!(loop_instances, Instances::One),
                None => self.one_instance_per_value(),
            },
            spawn_span: Some(span.clone()),
            pool_task,
            events: Vec::new(),
            loops: Vec::new(),
            unchecked_waits: Vec::new(),
            handle_kept: false,
        })?;
        self.move_into_thread(&builder.target);
        self.pending.push_back(Pending {
            template: id,
            target: builder.target.clone(),
            args,
        });
        Some(id)
    }

    /// The instances a template spawned here has, and the loop variable telling them apart.
    pub(super) fn spawn_instances(&self) -> (Instances, Option<VarId>) {
        let parent = self.model.template(self.walk.template);
        let mut instances = parent.instances;
        for l in &self.walk.loops {
            instances = instances.times(match l.count {
                Some(1) => Instances::One,
                count => Instances::Many(count),
            });
        }
        let var = self.walk.loops.iter().rev().find_map(|l| l.var);
        (instances, var.or(parent.instance_var))
    }

    /// Whether each instance of a thread spawned here has a value of its own of the instance
    /// variable: one loop (or the spawning template) makes the instances, the variable's.
    pub(super) fn one_instance_per_value(&self) -> bool {
        let parent = self.model.template(self.walk.template);
        let many: Vec<_> = self
            .walk
            .loops
            .iter()
            .filter(|l| l.count != Some(1))
            .collect();
        match (parent.instances, many.as_slice()) {
            (Instances::One, [only]) => only.var.is_some(),
            (Instances::Many(_), []) => parent.instance_var_unique,
            _ => false,
        }
    }

    pub(super) fn mark_kept(&mut self, value: &Value<'a>) {
        let mut threads = Vec::new();
        value.threads(&mut threads);
        if let Value::Bag(b) = value {
            self.bag_peek(*b).threads(&mut threads);
        }
        for t in threads {
            self.model.templates[t.0 as usize].handle_kept = true;
        }
    }

    pub(super) fn builder_method(
        &mut self,
        builders: Rc<[Builder<'a>]>,
        method: &str,
        args: Vec<Value<'a>>,
        span: &Span,
    ) -> Value<'a> {
        match method {
            "name" => {
                let name = match args.first() {
                    Some(Value::Str(s)) => Some(s.clone()),
                    _ => None,
                };
                Value::Builders(
                    builders
                        .iter()
                        .map(|b| Builder {
                            name: name.clone().or_else(|| b.name.clone()),
                            ..b.clone()
                        })
                        .collect(),
                )
            }
            // A process's arguments: the objects it shares with its parent.
            "args" => Value::Builders(
                builders
                    .iter()
                    .map(|b| Builder {
                        arg: args.first().cloned(),
                        ..b.clone()
                    })
                    .collect(),
            ),
            "start" => Value::Threads(self.start(&builders, Vec::new(), span).into()),
            _ => Value::Builders(builders),
        }
    }

    /// Starts a thread running each builder's target (one of them runs), given `args`.
    pub(super) fn start(
        &mut self,
        builders: &[Builder<'a>],
        args: Vec<Value<'a>>,
        span: &Span,
    ) -> Vec<TemplateId> {
        let mut started = Vec::new();
        for builder in builders {
            // A process's target gets its `.args(..)`.
            let args = builder
                .arg
                .clone()
                .map_or_else(|| args.clone(), |arg| vec![arg]);
            if let Some(id) = self.spawn_template(builder, args, span, false, None, None) {
                self.emit(Op::Spawn { child: id }, span.clone());
                started.push(id);
            }
        }
        started
    }

    /// A method of a join handle or an async result: `join`/`get`/`wait` wait for the end of
    /// their threads or tasks.
    pub(super) fn handle_method(
        &mut self,
        receiver: &Value<'a>,
        method: &str,
        span: Span,
    ) -> Value<'a> {
        let waits = match receiver {
            Value::Threads(_) => method == "join",
            Value::AsyncResult(_) => matches!(method, "get" | "wait"),
            _ => false,
        };
        if waits {
            self.mark_kept(receiver);
            let mut threads = Vec::new();
            receiver.threads(&mut threads);
            self.emit(Op::Join { threads }, span);
            return Value::Unknown;
        }
        match (receiver, method) {
            // The handle itself, out of an `Option` or a spawn's `Result` however it is taken.
            (
                Value::Threads(_),
                "clone" | "take" | "unwrap" | "expect" | "unwrap_or_else" | "map_err" | "ok"
                | "as_mut" | "as_ref",
            ) => receiver.clone(),
            // It may join, or give the handle back to be joined later.
            (Value::Threads(_), "join_timeout") => {
                self.mark_kept(receiver);
                receiver.clone()
            }
            _ => Value::Unknown,
        }
    }
}
