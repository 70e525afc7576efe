//! The happens-before graph: one node per event of every template, plus a start and an end node
//! per template; edges for program order (the arms of an `if` or `match` are alternatives, not
//! one after the other: see `ProgramOrder`), loop back-edges, spawn → start, end → join, pool
//! submissions, and the hand-offs that order threads (a queue put → get, a pipe send → recv, an
//! event set → wait) when a single thread is the only one that can perform them.
//!
//! A template stands for all its instances and all iterations of the loops it runs in, so a loop
//! back-edge makes everything in a loop ordered both ways: events are "in parallel" only when
//! neither reaches the other.
use crate::model::{Instances, Model, Op, Origin, PrimId, TemplateId};
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use petgraph::Direction;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

/// What an edge of the graph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    /// From an event to one that can come next in its template.
    Program,
    /// The back-edge of a loop of this template.
    Round(TemplateId),
    /// Between threads: spawn, join, submission, hand-off.
    Thread,
}

pub(crate) struct HappensBefore<'m> {
    model: &'m Model,
    graph: DiGraph<(), Edge>,
    /// Per template: the node of its start, its end, and of its first event.
    starts: Vec<NodeIndex>,
    ends: Vec<NodeIndex>,
    first_event: Vec<usize>,
    reach: RefCell<HashMap<NodeIndex, HashSet<u32>>>,
    /// What a node reaches without going round the loops of two templates (see
    /// `happens_before_in_one_round`), by node and templates.
    reach_in_one_round: RefCell<HashMap<(NodeIndex, TemplateId, TemplateId), HashSet<u32>>>,
    /// `self_parallel`'s answers, by template.
    self_parallel: RefCell<HashMap<TemplateId, bool>>,
}

impl<'m> HappensBefore<'m> {
    pub(crate) fn build(model: &'m Model) -> Self {
        let mut graph = DiGraph::new();
        let mut starts = Vec::with_capacity(model.templates.len());
        let mut ends = Vec::with_capacity(model.templates.len());
        let mut first_event = Vec::with_capacity(model.templates.len());
        for template in &model.templates {
            let start = graph.add_node(());
            first_event.push(graph.node_count());
            let mut order = ProgramOrder::new(start);
            for event in &template.events {
                let node = graph.add_node(());
                for from in order.enter(&event.arms, node) {
                    graph.add_edge(from, node, Edge::Program);
                }
            }
            let end = graph.add_node(());
            for from in order.enter(&[], end) {
                graph.add_edge(from, end, Edge::Program);
            }
            starts.push(start);
            ends.push(end);
        }
        let mut hb = Self {
            model,
            graph,
            starts,
            ends,
            first_event,
            reach: RefCell::default(),
            reach_in_one_round: RefCell::default(),
            self_parallel: RefCell::default(),
        };
        hb.add_thread_edges();
        hb.add_handoff_edges();
        hb
    }

    /// The node of event `event` of template `template`.
    pub(crate) fn node(&self, template: TemplateId, event: usize) -> NodeIndex {
        NodeIndex::new(self.first_event[template.0 as usize] + event)
    }

    /// The nodes that can come right after an event in its template (the next event of its
    /// arm, or the events after its branch, or the template's end).
    fn after(&self, template: TemplateId, event: usize) -> Vec<NodeIndex> {
        self.graph
            .edges(self.node(template, event))
            .filter(|edge| *edge.weight() == Edge::Program)
            .map(|edge| edge.target())
            .collect()
    }

    /// An edge from `from` to each node after event `event` of `template`.
    fn add_edges_after(&mut self, from: NodeIndex, template: TemplateId, event: usize) {
        for to in self.after(template, event) {
            self.graph.add_edge(from, to, Edge::Thread);
        }
    }

    fn add_thread_edges(&mut self) {
        for t in self.model.template_ids() {
            let template = self.model.template(t);
            // A round ends at each event of the loop that no later event of it follows (the
            // last event of each arm at the loop's end), and the next round starts at each event
            // no earlier one of it precedes (the first of each arm at the loop's start).
            for &(first, last) in &template.loops {
                let body = self.node(t, first)..=self.node(t, last);
                let within = |node: NodeIndex, direction| {
                    self.graph
                        .edges_directed(node, direction)
                        .filter(|edge| *edge.weight() == Edge::Program)
                        .any(|edge| {
                            let other = match direction {
                                Direction::Outgoing => edge.target(),
                                Direction::Incoming => edge.source(),
                            };
                            body.contains(&other)
                        })
                };
                let nodes: Vec<NodeIndex> = (first..=last).map(|i| self.node(t, i)).collect();
                let ends: Vec<NodeIndex> = nodes
                    .iter()
                    .copied()
                    .filter(|&n| !within(n, Direction::Outgoing))
                    .collect();
                let starts: Vec<NodeIndex> = nodes
                    .iter()
                    .copied()
                    .filter(|&n| !within(n, Direction::Incoming))
                    .collect();
                for &end in &ends {
                    for &start in &starts {
                        self.graph.add_edge(end, start, Edge::Round(t));
                    }
                }
            }
            for (i, event) in template.events.iter().enumerate() {
                match &event.op {
                    Op::Spawn { child } => {
                        self.graph.add_edge(
                            self.node(t, i),
                            self.starts[child.0 as usize],
                            Edge::Thread,
                        );
                    }
                    Op::Submit { task, sync, .. } => {
                        self.graph.add_edge(
                            self.node(t, i),
                            self.starts[task.0 as usize],
                            Edge::Thread,
                        );
                        if *sync {
                            self.add_edges_after(self.ends[task.0 as usize], t, i);
                        }
                    }
                    Op::Join { threads } => {
                        for child in threads {
                            self.graph.add_edge(
                                self.ends[child.0 as usize],
                                self.node(t, i),
                                Edge::Thread,
                            );
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// A blocking receive is satisfied by some send; when every send is made by one thread (of
    /// one instance), its first send happens before what follows the receive, and with it what
    /// precedes the send, but for a send in a loop whose rounds wait for nothing (a flusher on a
    /// timer) only what precedes the loop.
    fn add_handoff_edges(&mut self) {
        let mut senders: HashMap<PrimId, Vec<(TemplateId, usize)>> = HashMap::new();
        let mut receivers: HashMap<PrimId, Vec<(TemplateId, usize)>> = HashMap::new();
        // An operation on one of several channels may be another's: it orders nothing.
        for (t, i, event) in self.model.events().filter(|(_, _, e)| !e.alternative) {
            match event.op {
                Op::Put { queue, .. } => senders.entry(queue).or_default().push((t, i)),
                Op::Set { event } => senders.entry(event).or_default().push((t, i)),
                Op::Send { end } => {
                    if let Some(peer) = self.model.prim(end).peer {
                        senders.entry(peer).or_default().push((t, i));
                    }
                }
                Op::Get {
                    queue,
                    blocking: true,
                } => receivers.entry(queue).or_default().push((t, i)),
                Op::Wait {
                    event,
                    blocking: true,
                } => receivers.entry(event).or_default().push((t, i)),
                Op::Recv { end } => receivers.entry(end).or_default().push((t, i)),
                _ => {}
            }
        }
        for (prim, sends) in senders {
            let (sender, _) = sends[0];
            let single = sends.iter().all(|(t, _)| *t == sender)
                && self.model.template(sender).instances == Instances::One;
            if !single {
                continue;
            }
            let first = sends.iter().map(|(_, i)| *i).min().unwrap_or(0);
            // A send in a loop is made again in later rounds, after the events of the round
            // before it: unless each round waits for something (a server answering requests, a
            // client awaiting each reply), only what precedes the outermost loop around it is
            // ordered by it.
            let ordered_up_to = match self.outermost_loop(sender, first) {
                // (The receive of `for request in rx` or of a `while let` condition is walked
                // just before the loop's first event.)
                Some((start, end)) if !self.waits_in(sender, start.saturating_sub(1), end + 1) => {
                    start.checked_sub(1)
                }
                _ => Some(first),
            };
            let Some(last_ordered) = ordered_up_to else {
                continue;
            };
            for &(t, i) in receivers.get(&prim).into_iter().flatten() {
                if t != sender {
                    // Into what follows the receive: the receive itself starts unordered.
                    self.add_edges_after(self.node(sender, last_ordered), t, i);
                }
            }
        }
    }

    /// Whether template `t` blocks on a receive (a `get`, `recv` or event `wait`) among its
    /// events `from..to`.
    fn waits_in(&self, t: TemplateId, from: usize, to: usize) -> bool {
        let events = &self.model.template(t).events;
        events.get(from..to).unwrap_or_default().iter().any(|e| {
            matches!(
                e.op,
                Op::Get { blocking: true, .. } | Op::Recv { .. } | Op::Wait { blocking: true, .. }
            )
        })
    }

    /// The first and last events of the outermost loop of template `t` around its event
    /// `event`.
    fn outermost_loop(&self, t: TemplateId, event: usize) -> Option<(usize, usize)> {
        self.model
            .template(t)
            .loops
            .iter()
            .filter(|&&(first, last)| first <= event && event <= last)
            .min_by_key(|&&(first, _)| first)
            .copied()
    }

    /// Whether `from` happens before (or is) `to`. Reachable sets are computed once per source,
    /// and only span the source's own world (no edge leaves it).
    pub(crate) fn reaches(&self, from: NodeIndex, to: NodeIndex) -> bool {
        let mut cache = self.reach.borrow_mut();
        let set = cache
            .entry(from)
            .or_insert_with(|| self.reachable_unless(from, |_| false));
        set.contains(&(to.index() as u32))
    }

    /// Whether two instances of a template can run at the same time.
    pub(crate) fn self_parallel(&self, t: TemplateId) -> bool {
        if let Some(&known) = self.self_parallel.borrow().get(&t) {
            return known;
        }
        let parallel = self.instances_overlap(t);
        self.self_parallel.borrow_mut().insert(t, parallel);
        parallel
    }

    fn instances_overlap(&self, t: TemplateId) -> bool {
        let template = self.model.template(t);
        if !template.instances.is_many() {
            return false;
        }
        match template.origin {
            // Instances spawned and joined one after another are sequential: the end of one
            // reaches the spawn of the next round of the loop around the spawn. (Going round an
            // outer loop of the spawner reaches the spawns of its next round, whose instances
            // are others.)
            Origin::Spawned { parent, event } => {
                let innermost = self
                    .model
                    .template(parent)
                    .loops
                    .iter()
                    .filter(|&&(first, last)| first <= event && event <= last)
                    .min_by_key(|&&(first, last)| last - first)
                    .map(|&(first, last)| self.node(parent, first)..=self.node(parent, last));
                let outer_round = |edge: petgraph::graph::EdgeReference<'_, Edge>| {
                    let round_of_innermost = innermost.as_ref().is_some_and(|body| {
                        body.contains(&edge.target()) && body.contains(&edge.source())
                    });
                    *edge.weight() == Edge::Round(parent) && !round_of_innermost
                };
                !self
                    .reachable_unless(self.ends[t.0 as usize], outer_round)
                    .contains(&(self.node(parent, event).index() as u32))
            }
            Origin::Root => false,
        }
    }

    /// Whether no other thread can run while event `i` of `t` does: outside the loops of its
    /// template, with no other instance of it running, and every other thread of its world
    /// started after it or ended before it.
    pub(crate) fn runs_alone(&self, t: TemplateId, i: usize) -> bool {
        let template = self.model.template(t);
        let in_loop = template
            .loops
            .iter()
            .any(|&(first, last)| first <= i && i <= last);
        if in_loop || self.self_parallel(t) {
            return false;
        }
        let event = self.node(t, i);
        self.model.template_ids().all(|u| {
            u == t
                || self.model.template(u).world != template.world
                || self.reaches(event, self.starts[u.0 as usize])
                || self.reaches(self.ends[u.0 as usize], event)
        })
    }

    /// Whether two events may happen at the same time in some run.
    pub(crate) fn may_run_in_parallel(
        &self,
        a: (TemplateId, usize),
        b: (TemplateId, usize),
    ) -> bool {
        let (ta, tb) = (self.model.template(a.0), self.model.template(b.0));
        if ta.world != tb.world {
            return false;
        }
        if a.0 == b.0 {
            return self.self_parallel(a.0);
        }
        // An event in a loop stands for each of its rounds: an order that holds only from the
        // next round on (through the back-edge of its template's loop) leaves the first round
        // unordered.
        !self.happens_before_in_one_round(a, b) && !self.happens_before_in_one_round(b, a)
    }

    /// Whether the spawner of `t` waits for its work: the last operation of `t` (its
    /// acquisitions aside, which only guard what it hands over) happens before the spawner's
    /// end, through a join or a thread scope's end, or may wake a wait that does (a send the
    /// spawner receives, a notify it waits for, an event it waits on, a barrier both wait at, a
    /// permit or `task_done` it waits for), where that wait is not over before `t` starts.
    /// "May": with several senders the receive may take another's message; an absence rule
    /// stays quiet on such a doubt.
    pub(crate) fn waited_for(&self, t: TemplateId) -> bool {
        let template = self.model.template(t);
        let Origin::Spawned { parent, event } = template.origin else {
            return true;
        };
        let spawner_end = self.ends[parent.0 as usize];
        let spawn = self.node(parent, event);
        let Some(last) = template
            .events
            .iter()
            .rposition(|e| !matches!(e.op, Op::Acquire { .. }))
        else {
            return false;
        };
        if self.reaches(self.node(t, last), spawner_end) {
            return true;
        }
        let signal = &template.events[last].op;
        self.model.events().any(|(u, i, waiting)| {
            u != t
                && self.model.template(u).world == template.world
                && wakes(self.model, signal, &waiting.op)
                && (self.reaches(spawn, self.node(u, i)) || !self.reaches(self.node(u, i), spawn))
                && self
                    .after(u, i)
                    .into_iter()
                    .any(|next| self.reaches(next, spawner_end))
        })
    }

    /// Whether event `a` happens before event `b` in every run.
    pub(crate) fn happens_before(&self, a: (TemplateId, usize), b: (TemplateId, usize)) -> bool {
        self.model.template(a.0).world == self.model.template(b.0).world
            && self.reaches(self.node(a.0, a.1), self.node(b.0, b.1))
    }

    /// Whether event `a` happens before event `b` within one round of the loops of their
    /// templates: without going round a loop of `a`'s or `b`'s template. That `b`'s next round
    /// follows `a` (once `b`'s wait has ended, say) does not order them in this one.
    pub(crate) fn happens_before_in_one_round(
        &self,
        a: (TemplateId, usize),
        b: (TemplateId, usize),
    ) -> bool {
        if !self.happens_before(a, b) {
            return false;
        }
        let from = self.node(a.0, a.1);
        let to = self.node(b.0, b.1).index() as u32;
        // Asked for many pairs (every candidate of a cycle): each source's set is computed once.
        let mut cache = self.reach_in_one_round.borrow_mut();
        let set = cache.entry((from, a.0, b.0)).or_insert_with(|| {
            self.reachable_unless(
                from,
                |edge| matches!(edge.weight(), Edge::Round(t) if *t == a.0 || *t == b.0),
            )
        });
        set.contains(&to)
    }

    /// Every node `from` reaches without taking an edge `skip` refuses.
    fn reachable_unless(
        &self,
        from: NodeIndex,
        skip: impl Fn(petgraph::graph::EdgeReference<'_, Edge>) -> bool,
    ) -> HashSet<u32> {
        let mut seen = HashSet::from([from.index() as u32]);
        let mut stack = vec![from];
        while let Some(node) = stack.pop() {
            for edge in self.graph.edges(node) {
                if !skip(edge) && seen.insert(edge.target().index() as u32) {
                    stack.push(edge.target());
                }
            }
        }
        seen
    }
}

/// Whether operation `signal` can end the wait `waiting`: both on one primitive (a pipe's send
/// and its peer's receive).
fn wakes(model: &Model, signal: &Op, waiting: &Op) -> bool {
    match (signal, waiting) {
        (Op::Put { queue: a, .. }, Op::Get { queue: b, .. })
        | (Op::TaskDone { queue: a }, Op::QueueJoin { queue: b })
        | (Op::Set { event: a }, Op::Wait { event: b, .. })
        | (Op::Notify { condition: a }, Op::CondWait { condition: b, .. })
        | (Op::BarrierWait { barrier: a }, Op::BarrierWait { barrier: b })
        | (Op::SemRelease { semaphore: a }, Op::SemAcquire { semaphore: b, .. }) => a == b,
        (Op::Disconnect { end: a }, Op::Get { queue: b, .. }) => a == b,
        (Op::Send { end } | Op::Disconnect { end }, Op::Recv { end: receiver }) => {
            model.prim(*end).peer == Some(*receiver)
        }
        _ => false,
    }
}

/// Program order within a template, built event by event: an event follows the one before it
/// unless they are in different arms of one `if` or `match` (then it follows what preceded the
/// branch), and the first event after a branch follows the last event of each of its arms.
struct ProgramOrder {
    /// The branches the last event is in, outermost first.
    open: Vec<OpenBranch>,
    last: NodeIndex,
}

struct OpenBranch {
    branch: u32,
    arm: u32,
    /// What an arm of it starts after.
    before: Vec<NodeIndex>,
    /// The last events of its arms walked before the current one.
    ends: Vec<NodeIndex>,
}

impl ProgramOrder {
    fn new(start: NodeIndex) -> Self {
        ProgramOrder {
            open: Vec::new(),
            last: start,
        }
    }

    /// Places `node`, in the arms `arms`, after the events so far; returns what it follows.
    fn enter(&mut self, arms: &[(u32, u32)], node: NodeIndex) -> Vec<NodeIndex> {
        let common = self
            .open
            .iter()
            .zip(arms)
            .take_while(|(open, &(branch, arm))| open.branch == branch && open.arm == arm)
            .count();
        // The exits of the arms being left: the last event, then every arm of a branch left.
        let mut exits = vec![self.last];
        let mut follows = None;
        while self.open.len() > common {
            let mut left = self.open.pop().expect("deeper than the common part");
            left.ends.append(&mut exits);
            match arms.get(common) {
                // Another arm of the same branch: it starts where the branch did.
                Some(&(branch, arm)) if self.open.len() == common && branch == left.branch => {
                    left.arm = arm;
                    follows = Some(left.before.clone());
                    self.open.push(left);
                }
                _ => exits = left.ends,
            }
            if follows.is_some() {
                break;
            }
        }
        let follows = follows.unwrap_or(exits);
        for &(branch, arm) in &arms[self.open.len()..] {
            self.open.push(OpenBranch {
                branch,
                arm,
                before: follows.clone(),
                ends: Vec::new(),
            });
        }
        self.last = node;
        follows
    }
}
