//! The lock-order graph: an edge `held → taken` for every blocking acquisition made while
//! another lock is held, labelled with the thread template and both spans. Elements of a family
//! whose index the model could not follow are left out: they could be any element. Two
//! acquisitions of one family by run-time ids not ordered by value (`v[a]` then `v[b]`) are a
//! self-edge: another call may pass the ids the other way round.
use crate::model::{IdRank, IndexKey, Model, Op, PrimId, TemplateId};
use petgraph::graphmap::DiGraphMap;
use std::collections::HashMap;
use std::hash::RandomState;

type Graph = DiGraphMap<PrimId, Vec<EdgeInstance>, RandomState>;

/// One acquisition of `taken` while `held` is held.
#[derive(Debug, Clone)]
pub(crate) struct EdgeInstance {
    pub template: TemplateId,
    pub event: usize,
    pub held: PrimId,
    pub taken: PrimId,
}

pub(crate) struct LockOrderGraph {
    graph: Graph,
}

impl LockOrderGraph {
    pub(crate) fn build(model: &Model) -> Self {
        let mut graph = Graph::default();
        let aliases = aliases(model);
        let alias =
            |p: PrimId| std::iter::once(p).chain(aliases.get(&p).into_iter().flatten().copied());
        for (template, event, e) in model.events() {
            let Op::Acquire {
                lock: taken,
                blocking: true,
                ..
            } = e.op
            else {
                continue;
            };
            if model.prim(taken).is_unknown_element() {
                continue;
            }
            // Taking a lock this thread already holds blocks on itself (D002) or, for an
            // `RLock`, not at all: either way it orders nothing against the other locks held.
            let again = (!model.prim(taken).several || e.same_element)
                && e.held.iter().any(|h| h.lock == taken);
            if again {
                continue;
            }
            for held in &e.held {
                let same_lock = held.lock == taken && !is_unordered_pair(model, taken);
                if same_lock || model.prim(held.lock).is_unknown_element() {
                    continue;
                }
                let instance = EdgeInstance {
                    template,
                    event,
                    held: held.lock,
                    taken,
                };
                // An element taken by a run-time id may be any element the program names. (An
                // unordered pair of one family is its own cycle too: two threads taking it.)
                let pair = held.lock == taken;
                for from in alias(held.lock) {
                    for to in alias(taken) {
                        if from == to && !(pair && from == held.lock) {
                            continue;
                        }
                        if !ranks_allow(model, held.lock, taken, from, to) {
                            continue;
                        }
                        match graph.edge_weight_mut(from, to) {
                            Some(instances) => instances.push(instance.clone()),
                            None => {
                                graph.add_edge(from, to, vec![instance.clone()]);
                            }
                        }
                    }
                }
            }
        }
        Self { graph }
    }

    /// Every acquisition edge.
    pub(crate) fn instances(&self) -> impl Iterator<Item = &EdgeInstance> {
        self.graph
            .all_edges()
            .flat_map(|(_, _, instances)| instances.iter())
    }

    pub(crate) fn edge(&self, held: PrimId, taken: PrimId) -> &[EdgeInstance] {
        self.graph
            .edge_weight(held, taken)
            .map_or(&[], Vec::as_slice)
    }

    /// The elementary cycles of the graph (each once, starting at its smallest lock), up to
    /// `max_len` locks long, shortest first: at most `limit` cycles, found in at most `steps`
    /// steps of the search. The cycles, and whether the search stopped at a bound (longer
    /// cycles, or more of the same length, may then be missing).
    pub(crate) fn cycles(
        &self,
        max_len: usize,
        limit: usize,
        steps: usize,
    ) -> (Vec<Vec<PrimId>>, bool) {
        let mut search = CycleSearch {
            out: Vec::new(),
            limit,
            steps,
        };
        let sccs: Vec<Vec<PrimId>> = petgraph::algo::tarjan_scc(&self.graph)
            .into_iter()
            .map(|mut scc| {
                scc.sort();
                scc
            })
            .collect();
        // Two elements of one family taken by run-time ids in either order.
        for scc in &sccs {
            search.out.extend(
                scc.iter()
                    .filter(|&&lock| self.graph.contains_edge(lock, lock))
                    .map(|&lock| vec![lock]),
            );
        }
        // Shortest first, so that no bound spent on long cycles hides a plain ABBA.
        for len in 2..=max_len {
            for nodes in sccs.iter().filter(|scc| scc.len() >= len) {
                for (i, &start) in nodes.iter().enumerate() {
                    // Cycles through `start` using only nodes greater than it: each cycle once.
                    let mut path = vec![start];
                    if !self.extend_cycles(&nodes[i..], len, &mut path, &mut search) {
                        return (search.out, true);
                    }
                }
            }
        }
        (search.out, false)
    }

    /// Extends `path` (from its first lock, through `allowed` locks) to cycles of exactly `len`
    /// locks; false when a bound of the search is reached.
    fn extend_cycles(
        &self,
        allowed: &[PrimId],
        len: usize,
        path: &mut Vec<PrimId>,
        search: &mut CycleSearch,
    ) -> bool {
        let start = path[0];
        let last = *path.last().expect("the path starts non-empty");
        for next in self.graph.neighbors(last) {
            if search.out.len() >= search.limit || search.steps == 0 {
                return false;
            }
            search.steps -= 1;
            if next == start {
                if path.len() == len {
                    search.out.push(path.clone());
                }
            } else if path.len() < len
                && allowed.binary_search(&next).is_ok()
                && !path.contains(&next)
            {
                path.push(next);
                let going_on = self.extend_cycles(allowed, len, path, search);
                path.pop();
                if !going_on {
                    return false;
                }
            }
        }
        true
    }
}

/// What a search for cycles found, and what it may still do.
struct CycleSearch {
    out: Vec<Vec<PrimId>>,
    limit: usize,
    steps: usize,
}

/// Whether the elements `from` and `to` that two acquisitions by run-time ids stand for can be
/// what they took: the lower and then the higher of an ordered pair (`min`/`max`, `if a < b`)
/// take two named elements only in the order of their indices.
fn ranks_allow(model: &Model, held: PrimId, taken: PrimId, from: PrimId, to: PrimId) -> bool {
    let rank = |p: PrimId| match model.prim(p).element {
        Some((_, IndexKey::Id(rank))) => Some(rank),
        _ => None,
    };
    let index = |p: PrimId| match model.prim(p).element {
        Some((_, IndexKey::Const(i))) => Some(i),
        _ => None,
    };
    let (Some(a), Some(b)) = (index(from), index(to)) else {
        return true;
    };
    match (rank(held), rank(taken)) {
        (Some(IdRank::Low), Some(IdRank::High)) => a < b,
        (Some(IdRank::High), Some(IdRank::Low)) => a > b,
        _ => true,
    }
}

/// Whether holding `lock` and taking it again is two elements of one family taken by run-time
/// ids in no particular order.
fn is_unordered_pair(model: &Model, lock: PrimId) -> bool {
    matches!(
        model.prim(lock).element,
        Some((_, IndexKey::Id(IdRank::Any)))
    )
}

/// For each element taken by a run-time id, the elements of its family the program names by a
/// constant index: the ones it may be. For a family taken whole (its elements taken in turn,
/// `for shard in &shards`), every element of it the program names (`shards[i]` in a loop over
/// indices among them).
fn aliases(model: &Model) -> HashMap<PrimId, Vec<PrimId>> {
    let mut constants: HashMap<PrimId, Vec<PrimId>> = HashMap::new();
    let mut elements: HashMap<PrimId, Vec<PrimId>> = HashMap::new();
    let mut by_id = Vec::new();
    for (i, info) in model.prims.iter().enumerate() {
        let Some((family, index)) = info.element else {
            continue;
        };
        let element = PrimId(i as u32);
        elements.entry(family).or_default().push(element);
        match index {
            IndexKey::Const(_) => constants.entry(family).or_default().push(element),
            IndexKey::Id(_) => by_id.push((element, family)),
            IndexKey::Rotated { .. } | IndexKey::Unknown => {}
        }
    }
    let mut aliases: HashMap<PrimId, Vec<PrimId>> = by_id
        .into_iter()
        .filter_map(|(element, family)| Some((element, constants.get(&family)?.clone())))
        .collect();
    aliases.extend(elements);
    aliases
}
