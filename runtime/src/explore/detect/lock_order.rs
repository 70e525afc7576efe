//! The lock order a schedule actually took, and its cycles: the lock-order graph of GoodLock
//! (Havelund, SPIN 2000) with gate locks (Bensalem & Havelund, 2005). A cycle counts when its
//! edges were taken by two or more distinct threads and no one lock, outside the cycle, was held
//! across all of them.

use crate::explore::clock::{Epoch, VectorClock};
use crate::explore::ids::{HeldLock, Loc, ObjectId, ThreadId};

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
    /// The thread's necessary-order time when it requested `to`.
    request: Epoch,
    /// The thread's necessary-order clock when it took `from`.
    from_since: VectorClock,
}

impl Edge {
    /// Whether this edge necessarily ends before `other` begins: its thread requested (and so
    /// obtained, before handing anything on) `to` before `other`'s thread took `other.from`, in
    /// every schedule. Two such edges can never wait on each other.
    fn precedes(&self, other: &Edge) -> bool {
        self.request.happens_before(&other.from_since)
    }
}

#[derive(Debug, Default)]
pub(crate) struct LockOrderGraph {
    edges: Vec<Edge>,
}

/// Edges kept per (from, to, thread): the first and the latest, whose orderings may differ.
const EDGES_PER_KEY: usize = 2;

impl LockOrderGraph {
    /// `thread`, holding `held`, requests `to` at `location` at necessary-order time `request`.
    pub(crate) fn add(
        &mut self,
        thread: ThreadId,
        held: &[HeldLock],
        to: ObjectId,
        location: Loc,
        request: Epoch,
    ) {
        let locks: Vec<ObjectId> = held.iter().map(|h| h.lock).collect();
        for from in held.iter().filter(|h| h.lock != to) {
            let edge = Edge {
                from: from.lock,
                to,
                thread,
                from_location: from.taken_at,
                to_location: location,
                held: locks.clone(),
                request,
                from_since: from.since.clone(),
            };
            let same_key: Vec<usize> = (0..self.edges.len())
                .filter(|&i| {
                    let e = &self.edges[i];
                    e.from == edge.from && e.to == to && e.thread == thread
                })
                .collect();
            match same_key.get(EDGES_PER_KEY - 1) {
                Some(&latest) => self.edges[latest] = edge,
                None => self.edges.push(edge),
            }
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

    /// One edge per step of the cycle `nodes`, from pairwise distinct threads, pairwise unordered,
    /// with no gate lock.
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
        if chosen
            .iter()
            .any(|c| c.thread == edge.thread || c.precedes(edge) || edge.precedes(c))
        {
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

    fn held(locks: &[ObjectId]) -> Vec<HeldLock> {
        locks
            .iter()
            .map(|&lock| HeldLock {
                lock,
                taken_at: here(),
                since: VectorClock::default(),
            })
            .collect()
    }

    fn at(thread: ThreadId, time: u32) -> Epoch {
        Epoch { thread, time }
    }

    #[test]
    fn two_threads_in_opposite_orders_make_a_cycle() {
        let mut graph = LockOrderGraph::default();
        graph.add(0, &held(&[1]), 2, here(), at(0, 1));
        assert!(graph.find_cycle().is_none());
        graph.add(1, &held(&[2]), 1, here(), at(1, 1));
        let cycle = graph.find_cycle().expect("ABBA");
        let edges: Vec<_> = cycle.iter().map(|e| (e.from, e.to, e.thread)).collect();
        assert_eq!(edges, [(1, 2, 0), (2, 1, 1)]);
    }

    #[test]
    fn one_thread_alone_or_a_gate_lock_is_no_cycle() {
        let mut alone = LockOrderGraph::default();
        alone.add(0, &held(&[1]), 2, here(), at(0, 1));
        alone.add(0, &held(&[2]), 1, here(), at(0, 2));
        assert!(alone.find_cycle().is_none());

        let mut gated = LockOrderGraph::default();
        gated.add(0, &held(&[9, 1]), 2, here(), at(0, 1));
        gated.add(1, &held(&[9, 2]), 1, here(), at(1, 1));
        assert!(gated.find_cycle().is_none());
    }

    #[test]
    fn edges_ordered_by_a_hand_off_are_no_cycle() {
        let mut graph = LockOrderGraph::default();
        graph.add(0, &held(&[1]), 2, here(), at(0, 3));
        // Thread 1 took lock 2 after learning thread 0's time 3 (a join, a queue get…).
        let mut since = VectorClock::default();
        for _ in 0..3 {
            since.tick(0);
        }
        let after = [HeldLock {
            lock: 2,
            taken_at: here(),
            since,
        }];
        graph.add(1, &after, 1, here(), at(1, 1));
        assert!(graph.find_cycle().is_none());
    }

    #[test]
    fn three_philosophers_make_a_three_cycle() {
        let mut graph = LockOrderGraph::default();
        graph.add(0, &held(&[1]), 2, here(), at(0, 1));
        graph.add(1, &held(&[2]), 3, here(), at(1, 1));
        graph.add(2, &held(&[3]), 1, here(), at(2, 1));
        assert_eq!(graph.find_cycle().map(|c| c.len()), Some(3));
    }
}
