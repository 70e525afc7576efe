//! The lock order a schedule actually took, and its cycles: the lock-order graph of GoodLock
//! (Havelund, SPIN 2000) with gate locks (Bensalem & Havelund, 2005). A cycle counts when its
//! edges were taken by two or more distinct threads and no one lock, outside the cycle, was held
//! across all of them.

use crate::explore::scheduler::ThreadId;
use crate::explore::state::{Loc, ObjectId};

/// Longest cycle searched for; longer ones are vanishingly rare and costly to enumerate.
const MAX_CYCLE_LEN: usize = 6;

#[derive(Debug, Clone)]
pub(crate) struct Edge {
    pub(crate) from: ObjectId,
    pub(crate) to: ObjectId,
    pub(crate) thread: ThreadId,
    /// Where `from` was taken.
    pub(crate) from_location: Loc,
    /// Where `to` was requested while `from` was held.
    pub(crate) to_location: Loc,
    /// Every lock held at that moment.
    held: Vec<ObjectId>,
}

#[derive(Debug, Default)]
pub(crate) struct LockOrderGraph {
    edges: Vec<Edge>,
}

impl LockOrderGraph {
    /// `thread`, holding `held`, requests `to` at `location`.
    pub(crate) fn add(
        &mut self,
        thread: ThreadId,
        held: &[(ObjectId, Loc)],
        to: ObjectId,
        location: Loc,
    ) {
        let locks: Vec<ObjectId> = held.iter().map(|&(id, _)| id).collect();
        for &(from, from_location) in held {
            if from == to
                || self
                    .edges
                    .iter()
                    .any(|e| e.from == from && e.to == to && e.thread == thread)
            {
                continue;
            }
            self.edges.push(Edge {
                from,
                to,
                thread,
                from_location,
                to_location: location,
                held: locks.clone(),
            });
        }
    }

    /// The first cycle (by lock ids, then edge order) that could deadlock, as its edges in order.
    pub(crate) fn find_cycle(&self) -> Option<Vec<&Edge>> {
        let mut nodes: Vec<ObjectId> = self.edges.iter().flat_map(|e| [e.from, e.to]).collect();
        nodes.sort_unstable();
        nodes.dedup();
        for &start in &nodes {
            let mut path = vec![start];
            if let Some(cycle) = self.search(start, &mut path) {
                return Some(cycle);
            }
        }
        None
    }

    /// Extends `path` (a simple path from its smallest node `path[0]`) back to `path[0]`.
    fn search(&self, start: ObjectId, path: &mut Vec<ObjectId>) -> Option<Vec<&Edge>> {
        let last = *path.last().expect("paths start with a node");
        let mut successors: Vec<ObjectId> = self
            .edges
            .iter()
            .filter(|e| e.from == last)
            .map(|e| e.to)
            .collect();
        successors.sort_unstable();
        successors.dedup();
        for next in successors {
            if next == start && path.len() >= 2 {
                if let Some(edges) = self.choose_edges(path) {
                    return Some(edges);
                }
            } else if next > start && !path.contains(&next) && path.len() < MAX_CYCLE_LEN {
                path.push(next);
                if let Some(cycle) = self.search(start, path) {
                    return Some(cycle);
                }
                path.pop();
            }
        }
        None
    }

    /// One edge per step of the cycle `nodes`, from pairwise distinct threads, with no gate lock.
    fn choose_edges(&self, nodes: &[ObjectId]) -> Option<Vec<&Edge>> {
        let steps: Vec<Vec<&Edge>> = (0..nodes.len())
            .map(|i| {
                let (from, to) = (nodes[i], nodes[(i + 1) % nodes.len()]);
                self.edges
                    .iter()
                    .filter(|e| e.from == from && e.to == to)
                    .collect()
            })
            .collect();
        let mut chosen = Vec::with_capacity(steps.len());
        assign(&steps, &mut chosen)
    }
}

fn assign<'a>(steps: &[Vec<&'a Edge>], chosen: &mut Vec<&'a Edge>) -> Option<Vec<&'a Edge>> {
    let Some(options) = steps.get(chosen.len()) else {
        return (!has_gate(chosen)).then(|| chosen.clone());
    };
    for &edge in options {
        if chosen.iter().any(|c| c.thread == edge.thread) {
            continue;
        }
        chosen.push(edge);
        if let Some(found) = assign(steps, chosen) {
            return Some(found);
        }
        chosen.pop();
    }
    None
}

/// Whether one lock was held across every edge: it serialises them, so they cannot deadlock.
fn has_gate(edges: &[&Edge]) -> bool {
    let (first, rest) = edges.split_first().expect("a cycle has edges");
    first
        .held
        .iter()
        .any(|lock| rest.iter().all(|edge| edge.held.contains(lock)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::panic::Location;

    #[track_caller]
    fn here() -> Loc {
        Location::caller()
    }

    #[test]
    fn two_threads_in_opposite_orders_make_a_cycle() {
        let mut graph = LockOrderGraph::default();
        graph.add(0, &[(1, here())], 2, here());
        assert!(graph.find_cycle().is_none());
        graph.add(1, &[(2, here())], 1, here());
        let cycle = graph.find_cycle().expect("ABBA");
        assert_eq!(
            cycle
                .iter()
                .map(|e| (e.from, e.to, e.thread))
                .collect::<Vec<_>>(),
            [(1, 2, 0), (2, 1, 1)]
        );
    }

    #[test]
    fn one_thread_alone_or_a_gate_lock_is_no_cycle() {
        let mut alone = LockOrderGraph::default();
        alone.add(0, &[(1, here())], 2, here());
        alone.add(0, &[(2, here())], 1, here());
        assert!(alone.find_cycle().is_none());

        let mut gated = LockOrderGraph::default();
        gated.add(0, &[(9, here()), (1, here())], 2, here());
        gated.add(1, &[(9, here()), (2, here())], 1, here());
        assert!(gated.find_cycle().is_none());
    }

    #[test]
    fn three_philosophers_make_a_three_cycle() {
        let mut graph = LockOrderGraph::default();
        graph.add(0, &[(1, here())], 2, here());
        graph.add(1, &[(2, here())], 3, here());
        graph.add(2, &[(3, here())], 1, here());
        assert_eq!(graph.find_cycle().map(|c| c.len()), Some(3));
    }
}
