//! The search tree of the exhaustive strategy: a depth-first search over schedules with dynamic
//! partial-order reduction, so that schedules differing only in the order of independent steps
//! run once.
//!
//! The method is source-set DPOR with sleep sets (Abdulla, Aronis, Jonsson and Sagonas, "Optimal
//! dynamic partial order reduction", POPL 2014, Algorithm 1). After each schedule, every pair of
//! steps in a race (dependent, of different threads, with nothing ordering them but each other)
//! is reversed by adding, at the state before the first, a thread that starts the reversed
//! order (an *initial* of the steps that do not depend on it, then the second) unless one is
//! already there. A thread whose step was tried at a state sleeps in the states below it until a
//! dependent step runs: its schedules there would only reorder what was already explored.
//!
//! With a preemption bound (Musuvathi and Qadeer, "Iterative context bounding for systematic
//! testing of multithreaded programs", PLDI 2007) only schedules making at most that many
//! preemptions (switching away from a thread that could go on) are run. The reduction then
//! follows Coons, Musuvathi and McKinley ("Bounded partial-order reduction", OOPSLA 2013) as
//! loom does: each reversal is also tried at the last context switch before the race, where it
//! costs no extra preemption, and sleep sets are off, since they can hide a schedule the bound
//! allows behind one it does not.
//!
//! A schedule runs the steps of the one before it up to the first choice it changes: their
//! races were reversed then, so only the races whose second step is new are analysed, and the
//! happens-before clocks of the shared steps are kept from one schedule to the next.
//!
//! Steps are the engine's: what a thread does from one scheduling point to the next. Two steps
//! depend on each other when they act on the same primitive, or when one acts on the other's
//! thread (a spawn, a join); a thread whose next operation would only block (a held lock, an
//! unset event) is not offered, as it could not make progress.
//!
//! The top of the tree is the *region*: at each of its states with a choice every thread is
//! tried (a *split*), so no reversal can add to it, and the subtrees below it are searched each
//! on its own. A partition of the search into shares hands out those subtrees (*units*). A path
//! of a bounded search leaves the region once its splits have fanned out into [`SPLIT_UNITS`]
//! subtrees; without a bound the region is the first split alone (see
//! [`Search::region_units`]). The region
//! is the same whatever the number of shares, so the shares together run exactly the schedules
//! of one unsharded search. Units are dealt as the search reaches them, each to the share with
//! the least work so far, a unit weighing more the more preemptions it has left (with a bound,
//! the subtrees that have not preempted yet hold most schedules): every share deals all the
//! units alike, and runs its own.

use super::Candidate;
use crate::explore::ids::{ObjectId, ThreadId, MAIN_THREAD};
use crate::explore::trace::{Event, Target};

/// How a step acts on a target, as far as commuting goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Takes a lock (or a permit), blocking while it cannot.
    Acquire,
    /// Gives it back. It only enables acquires, and commutes with them and with other releases
    /// wherever both can run (a lock's holder alone releases it).
    Release,
    /// Anything else: depends on every access to the target.
    Other,
}

const ACCESSES: [Access; 3] = [Access::Acquire, Access::Release, Access::Other];

impl Access {
    fn of(verb: &str) -> Self {
        match verb {
            "acquire" | "acquire (woken)" | "acquire (after wait)" => Access::Acquire,
            "release" => Access::Release,
            _ => Access::Other,
        }
    }

    fn conflicts(self, other: Access) -> bool {
        matches!(
            (self, other),
            (Access::Other, _) | (_, Access::Other) | (Access::Acquire, Access::Acquire)
        )
    }
}

/// What one step acted on, and how: two steps of different threads acting on one target in
/// conflicting ways depend on each other.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Footprint {
    /// The first target, then the others: most steps act on one, and need no allocation.
    first: Option<(Target, Access)>,
    rest: Vec<(Target, Access)>,
    /// The step made a data choice: another outcome could act on anything.
    wild: bool,
}

impl Footprint {
    /// What `events` acted on. An attempt that blocked acted on nothing: it changed nothing,
    /// and the step that completes the operation once woken acts on the target.
    fn of(events: &[Event], wild: bool) -> Self {
        let mut footprint = Footprint {
            wild,
            ..Footprint::default()
        };
        for event in events.iter().filter(|e| !e.verb.ends_with("blocks)")) {
            let access = Access::of(event.verb);
            let seen = footprint
                .first
                .iter_mut()
                .chain(&mut footprint.rest)
                .find(|(t, _)| *t == event.target);
            match seen {
                Some((_, seen)) if *seen != access => *seen = Access::Other,
                Some(_) => {}
                None => match footprint.first {
                    None => footprint.first = Some((event.target, access)),
                    Some(_) => footprint.rest.push((event.target, access)),
                },
            }
        }
        footprint
    }

    fn targets(&self) -> impl Iterator<Item = (Target, Access)> + '_ {
        self.first.iter().chain(&self.rest).copied()
    }
}

/// A set of threads, a bit each: every state of the search holds one, so it stays small.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ThreadSet {
    /// Threads 0 to 63.
    low: u64,
    /// Threads from 64 on, 64 to a word (a boxed slice: the search's states stay small).
    high: Box<[u64]>,
}

impl ThreadSet {
    #[inline]
    fn insert(&mut self, thread: ThreadId) {
        match thread {
            0..64 => self.low |= 1 << thread,
            _ => self.insert_high(thread),
        }
    }

    /// Inserts a thread from 64 on: rare, and kept out of [`ThreadSet::insert`]'s way.
    #[cold]
    fn insert_high(&mut self, thread: ThreadId) {
        let word = thread / 64;
        if self.high.len() < word {
            let mut high = std::mem::take(&mut self.high).into_vec();
            high.resize(word, 0);
            self.high = high.into_boxed_slice();
        }
        self.high[word - 1] |= 1 << (thread % 64);
    }

    fn contains(&self, thread: ThreadId) -> bool {
        let word = match thread / 64 {
            0 => self.low,
            word => self.high.get(word - 1).copied().unwrap_or(0),
        };
        word >> (thread % 64) & 1 == 1
    }

    /// The threads, by id.
    fn iter(&self) -> impl Iterator<Item = ThreadId> + '_ {
        std::iter::once(self.low)
            .chain(self.high.iter().copied())
            .enumerate()
            .flat_map(|(word, mut bits)| {
                std::iter::from_fn(move || {
                    let bit = bits.trailing_zeros() as usize;
                    bits &= bits.checked_sub(1)?;
                    Some(word * 64 + bit)
                })
            })
    }

    fn first(&self) -> Option<ThreadId> {
        match self.low {
            0 => self.iter().next(),
            low => Some(low.trailing_zeros() as usize),
        }
    }

    fn len(&self) -> usize {
        let high: u32 = self.high.iter().map(|bits| bits.count_ones()).sum();
        (self.low.count_ones() + high) as usize
    }
}

/// The ids a state has handed out: an object or thread id below these names the same primitive
/// or thread in every schedule through that state; one at or above may name another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Known {
    objects: ObjectId,
    threads: ThreadId,
}

/// A thread whose step at some state was explored, with what that step acted on.
#[derive(Debug, Clone)]
struct Sleeper {
    thread: ThreadId,
    footprint: Footprint,
    /// The ids known at the state where the step ran.
    known: Known,
}

impl Sleeper {
    /// Whether a step of `thread` acting on `footprint` may not commute with the sleeper's step.
    /// Ids unknown where the sleeper's step ran may stand for anything unknown there.
    fn depends_on(&self, thread: ThreadId, footprint: &Footprint) -> bool {
        if self.footprint.wild || footprint.wild {
            return true;
        }
        let same = |a: Target, b: Target| match (a, b) {
            (Target::Object(x), Target::Object(y)) => {
                x == y || (x >= self.known.objects && y >= self.known.objects)
            }
            (Target::Thread(x), Target::Thread(y)) => {
                x == y || (x >= self.known.threads && y >= self.known.threads)
            }
            _ => false,
        };
        self.footprint.targets().any(|(a, access)| {
            same(a, Target::Thread(thread))
                || footprint
                    .targets()
                    .any(|(b, other)| same(a, b) && access.conflicts(other))
        }) || footprint
            .targets()
            .any(|(b, _)| same(Target::Thread(self.thread), b))
    }
}

/// A state where the scheduler picked a thread.
#[derive(Debug, Clone)]
struct Choice {
    /// The threads that can make progress here.
    enabled: ThreadSet,
    /// The thread that ran the step before, if it could go on here.
    running: Option<ThreadId>,
    chosen: ThreadId,
    /// Preemptions made before this state.
    preemptions: usize,
    /// Threads still to try here.
    to_try: Vec<ThreadId>,
    /// Threads tried here before `chosen`, with what their step acted on.
    tried: Vec<Sleeper>,
    /// Threads asleep on arrival.
    sleep: Vec<Sleeper>,
    /// What `chosen`'s step acted on in the schedule that ran it last.
    footprint: Footprint,
    known: Known,
    /// In the region: every thread is tried here.
    split: Option<Split>,
}

/// Where a split stands in the region.
#[derive(Debug, Clone, Copy)]
struct Split {
    /// The subtrees the region has fanned out into along the path, down to this split's
    /// branches: the product of the branch counts of the splits on it.
    fan_out: u32,
    /// Its branches are units: the region ends here.
    last: bool,
}

/// The fan-out at which a path leaves the region of a bounded search: 8 units a share for 4
/// shares. Every split may run what a reversal there would not have, so the region is small.
const SPLIT_UNITS: u32 = 32;

/// How much larger a unit is taken to be for each preemption it has left: a subtree that may
/// still preempt explores every place to do so.
const WEIGHT_PER_PREEMPTION: u64 = 8;

impl Choice {
    fn is_preemption(&self, thread: ThreadId) -> bool {
        self.running.is_some_and(|running| running != thread)
    }

    fn has_seen(&self, thread: ThreadId) -> bool {
        self.chosen == thread
            || self.to_try.contains(&thread)
            || self.tried.iter().any(|t| t.thread == thread)
    }
}

#[derive(Debug, Clone)]
enum Node {
    Thread(Choice),
    /// A data choice (a timeout firing early, a spurious wakeup): the usual outcome, then the
    /// unusual one if the schedule may still deviate.
    Data {
        outcomes: usize,
        unusual: bool,
        may_deviate: bool,
    },
}

/// One step of the running schedule; what it acted on is kept by the choice that picked it.
#[derive(Debug, Clone, Copy)]
struct Step {
    thread: ThreadId,
    /// The choice that picked it (none for the main thread's first step).
    node: Option<usize>,
}

/// Why the running schedule left the tree: its remaining steps only bring it to an end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Detour {
    /// Every thread that could run was asleep: whatever follows was explored already.
    Redundant,
    /// The program did not repeat the choices of the schedule it replays.
    Diverged,
    /// The schedule has left the region into a unit of another share.
    Probe,
}

/// Unusual data outcomes a schedule may make when no preemption bound limits them: a poll loop
/// that times out at every turn would otherwise never end.
const UNBOUNDED_DEVIATIONS: usize = 2;

/// Which units of the search a search explores: share `index` (from 0) of `count`. A unit is a
/// subtree below the region, or a schedule that ends in it; units are numbered and dealt in the
/// order the search reaches them, which is the same in every share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Share {
    pub(crate) index: usize,
    pub(crate) count: usize,
}

/// Deals units to shares: each to the share with the least weight dealt so far (the first such).
#[derive(Debug)]
struct Dealer {
    loads: Vec<u64>,
}

impl Dealer {
    fn new(shares: usize) -> Self {
        Dealer {
            loads: vec![0; shares],
        }
    }

    /// The share (from 0) the next unit, of `weight`, goes to.
    fn deal(&mut self, weight: u64) -> usize {
        let share = (0..self.loads.len())
            .min_by_key(|&share| self.loads[share])
            .unwrap_or(0);
        if let Some(load) = self.loads.get_mut(share) {
            *load += weight;
        }
        share
    }
}

/// The depth-first search, one schedule at a time: the path of the running schedule, the
/// choices left to try along it, and the running schedule's steps.
#[derive(Debug)]
pub(crate) struct Search {
    bound: Option<usize>,
    share: Share,
    dealer: Dealer,
    nodes: Vec<Node>,
    /// Nodes the running schedule has passed.
    position: usize,
    steps: Vec<Step>,
    /// What the main thread's first step (picked by no choice) acted on.
    first_footprint: Footprint,
    /// The running step made a data choice.
    step_chose: bool,
    known: Known,
    detour: Option<Detour>,
    /// The running schedule only learns what the step at this split (the region's last on its
    /// path) acts on, then leaves the tree: the unit below is another share's.
    probing: Option<usize>,
    /// The unit being searched below the region, whether it is this share's, and the next
    /// unit's number.
    unit: Option<(usize, bool)>,
    next_unit: usize,
    /// The unit of the schedule that ended last, and whether it is this share's.
    last_unit: (usize, bool),
    /// The first node the running schedule takes another way at than the schedule before it
    /// (0: analyse it all). The steps before the first step that passes it are the same as
    /// the last schedule's, and so are their races, already reversed.
    changed: usize,
    /// The first step that passed `changed`.
    first_new_step: Option<usize>,
    /// The race analysis's clocks and buffers, kept from one schedule to the next.
    analysis: Analysis,
    /// [`Search::last_switches`] of the last analysed schedule (a buffer kept for the next).
    switches: Vec<usize>,
    /// Schedules run to their end that were not redundant.
    interleavings: usize,
    finished: bool,
    diverged: bool,
}

impl Search {
    pub(crate) fn new(bound: Option<usize>, share: Share) -> Self {
        Search {
            bound,
            share,
            dealer: Dealer::new(share.count),
            nodes: Vec::new(),
            position: 0,
            steps: Vec::new(),
            first_footprint: Footprint::default(),
            step_chose: false,
            known: Known {
                objects: 0,
                threads: 1,
            },
            detour: None,
            probing: None,
            unit: None,
            next_unit: 0,
            last_unit: (0, true),
            changed: 0,
            first_new_step: None,
            analysis: Analysis::default(),
            switches: Vec::new(),
            interleavings: 0,
            finished: false,
            diverged: false,
        }
    }

    pub(crate) fn interleavings(&self) -> usize {
        self.interleavings
    }

    pub(crate) fn bound(&self) -> Option<usize> {
        self.bound
    }

    /// Whether every schedule the search needs has run.
    pub(crate) fn finished(&self) -> bool {
        self.finished
    }

    /// The unit the last ended schedule belongs to, and whether it is this search's share.
    pub(crate) fn last_unit(&self) -> (usize, bool) {
        self.last_unit
    }

    /// Enters the unit below the branch the split `node` takes: a probe only, when another
    /// share's.
    fn enter_unit(&mut self, node: usize) {
        let Node::Thread(choice) = &self.nodes[node] else {
            return;
        };
        let spent = choice.preemptions + usize::from(choice.is_preemption(choice.chosen));
        let weight = self.bound.map_or(1, |bound| {
            let left = bound.saturating_sub(spent) as u32;
            WEIGHT_PER_PREEMPTION.saturating_pow(left)
        });
        let unit = self.deal(weight);
        self.unit = Some(unit);
        self.probing = (!unit.1).then_some(node);
    }

    /// Numbers the next unit and deals it: its number, and whether it is this share's.
    fn deal(&mut self, weight: u64) -> (usize, bool) {
        let owned = self.dealer.deal(weight) == self.share.index;
        self.next_unit += 1;
        (self.next_unit - 1, owned)
    }

    /// Whether a probe has run the step it learns from.
    fn probed(&self) -> bool {
        self.probing.is_some_and(|split| self.position > split)
    }

    /// Whether a schedule failed to follow the path it was given.
    pub(crate) fn diverged(&self) -> bool {
        self.diverged
    }

    /// The events of the step just run.
    pub(crate) fn step_done(&mut self, events: &[Event]) {
        if self.steps.is_empty() && self.position == 0 && self.detour.is_none() {
            self.steps.push(Step {
                thread: MAIN_THREAD,
                node: None,
            });
        }
        let wild = std::mem::take(&mut self.step_chose);
        if self.detour.is_some() {
            return;
        }
        for event in events {
            match event.target {
                Target::Object(id) => self.known.objects = self.known.objects.max(id + 1),
                Target::Thread(id) => self.known.threads = self.known.threads.max(id + 1),
            }
        }
        let Some(&step) = self.steps.last() else {
            return;
        };
        if self.first_new_step.is_none() && self.position > self.changed {
            self.first_new_step = Some(self.steps.len() - 1);
        }
        *self.footprint_mut(step) = Footprint::of(events, wild);
    }

    fn footprint(&self, step: Step) -> &Footprint {
        match step.node.map(|node| &self.nodes[node]) {
            Some(Node::Thread(choice)) => &choice.footprint,
            _ => &self.first_footprint,
        }
    }

    fn footprint_mut(&mut self, step: Step) -> &mut Footprint {
        match step.node.map(|node| &mut self.nodes[node]) {
            Some(Node::Thread(choice)) => &mut choice.footprint,
            _ => &mut self.first_footprint,
        }
    }

    /// Picks who runs the next step.
    pub(crate) fn next_thread(&mut self, candidates: &[Candidate], last: ThreadId) -> ThreadId {
        let mut enabled = ThreadSet::default();
        for candidate in candidates.iter().filter(|c| !c.would_block) {
            enabled.insert(candidate.thread);
        }
        if enabled.len() == 0 {
            // Whoever runs only blocks: one order is as good as another.
            enabled.insert(candidates[0].thread);
        }
        if let Some(newest) = candidates.last() {
            self.known.threads = self.known.threads.max(newest.thread + 1);
        }
        if self.probed() && self.detour.is_none() {
            self.detour = Some(Detour::Probe);
        }
        if self.detour.is_some() {
            return if enabled.contains(last) {
                last
            } else {
                enabled.first().unwrap_or(last)
            };
        }
        if self.position < self.nodes.len() {
            return match &self.nodes[self.position] {
                Node::Thread(choice) if enabled.contains(choice.chosen) => {
                    let chosen = choice.chosen;
                    self.take_step(chosen);
                    chosen
                }
                _ => self.diverge(enabled.first().unwrap_or(last)),
            };
        }
        self.new_choice(enabled, last)
    }

    /// A data choice among `outcomes`: the last is the usual one (no spurious wakeup, no early
    /// timeout), the first the unusual one, which counts as a preemption.
    pub(crate) fn choose(&mut self, outcomes: usize) -> usize {
        self.step_chose = true;
        if self.probed() && self.detour.is_none() {
            // The split's step makes a data choice: as in the search, it may act on anything.
            if let Some(&step) = self.steps.last() {
                self.footprint_mut(step).wild = true;
            }
            self.detour = Some(Detour::Probe);
        }
        let usual = outcomes - 1;
        if self.detour.is_some() {
            return usual;
        }
        if self.position < self.nodes.len() {
            return match self.nodes[self.position] {
                Node::Data {
                    outcomes: recorded,
                    unusual,
                    ..
                } if recorded == outcomes => {
                    self.position += 1;
                    if unusual {
                        0
                    } else {
                        usual
                    }
                }
                _ => self.diverge(usual),
            };
        }
        let may_deviate = match self.bound {
            Some(bound) => self.spent() < bound,
            None => {
                let unusual = self.nodes[..self.position]
                    .iter()
                    .filter(|node| matches!(node, Node::Data { unusual: true, .. }))
                    .count();
                unusual < UNBOUNDED_DEVIATIONS
            }
        };
        self.nodes.push(Node::Data {
            outcomes,
            unusual: false,
            may_deviate,
        });
        self.position += 1;
        usual
    }

    /// Preemptions and unusual data outcomes of the running schedule so far.
    fn spent(&self) -> usize {
        let mut unusual = 0;
        for node in self.nodes[..self.position].iter().rev() {
            match node {
                Node::Data { unusual: true, .. } => unusual += 1,
                Node::Data { .. } => {}
                Node::Thread(choice) => {
                    return unusual
                        + choice.preemptions
                        + usize::from(choice.is_preemption(choice.chosen))
                }
            }
        }
        unusual
    }

    fn diverge<T>(&mut self, fallback: T) -> T {
        self.detour = Some(Detour::Diverged);
        self.diverged = true;
        fallback
    }

    fn take_step(&mut self, thread: ThreadId) {
        self.steps.push(Step {
            thread,
            node: Some(self.position),
        });
        self.position += 1;
    }

    /// A state the search has not been in: who sleeps here, and who runs first.
    fn new_choice(&mut self, enabled: ThreadSet, last: ThreadId) -> ThreadId {
        let parent = self.nodes.iter().rev().find_map(|node| match node {
            Node::Thread(choice) => Some(choice),
            Node::Data { .. } => None,
        });
        let preemptions = self.spent();
        let sleep = match (parent, self.bound) {
            (Some(parent), None) => parent
                .sleep
                .iter()
                .chain(&parent.tried)
                .filter(|s| {
                    s.thread != parent.chosen && !s.depends_on(parent.chosen, &parent.footprint)
                })
                .cloned()
                .collect(),
            _ => Vec::new(),
        };
        let in_region = enabled.len() > 1 && self.unit.is_none();
        let running = enabled.contains(last).then_some(last);
        let mut choice = Choice {
            enabled,
            running,
            chosen: last,
            preemptions,
            to_try: Vec::new(),
            tried: Vec::new(),
            sleep,
            footprint: Footprint::default(),
            known: self.known,
            split: None,
        };
        let allowed = |choice: &Choice, thread: ThreadId| {
            self.within_bound(choice, thread) && !choice.sleep.iter().any(|s| s.thread == thread)
        };
        // The running thread first: going on costs no preemption.
        let first = running
            .filter(|&thread| allowed(&choice, thread))
            .or_else(|| {
                choice
                    .enabled
                    .iter()
                    .find(|&thread| allowed(&choice, thread))
            });
        let Some(first) = first else {
            self.detour = Some(Detour::Redundant);
            return choice.running.or(choice.enabled.first()).unwrap_or(last);
        };
        choice.chosen = first;
        if in_region {
            choice.to_try = choice
                .enabled
                .iter()
                .filter(|&thread| thread != first && allowed(&choice, thread))
                .collect();
            let branches = u32::try_from(1 + choice.to_try.len()).unwrap_or(u32::MAX);
            let fan_out = self.fan_out().saturating_mul(branches);
            choice.split = Some(Split {
                fan_out,
                last: fan_out >= self.region_units(),
            });
        }
        let enters_unit = choice.split.is_some_and(|split| split.last);
        self.nodes.push(Node::Thread(choice));
        if enters_unit {
            self.enter_unit(self.nodes.len() - 1);
        }
        self.take_step(first);
        first
    }

    /// The fan-out at which a path leaves the region. Without a bound, the first split: there
    /// the search puts threads to sleep, and a split's extra branches can still run orders
    /// that the sleep sets of a search without it would have cut, so it is kept to one.
    fn region_units(&self) -> u32 {
        match self.bound {
            Some(_) => SPLIT_UNITS,
            None => 1,
        }
    }

    /// The subtrees the region has fanned out into along the running schedule's path so far.
    fn fan_out(&self) -> u32 {
        self.nodes
            .iter()
            .rev()
            .find_map(|node| match node {
                Node::Thread(choice) => choice.split.map(|split| split.fan_out),
                Node::Data { .. } => None,
            })
            .unwrap_or(1)
    }

    fn within_bound(&self, choice: &Choice, thread: ThreadId) -> bool {
        self.bound
            .is_none_or(|bound| !choice.is_preemption(thread) || choice.preemptions < bound)
    }

    /// The schedule ended: reverses its races, then moves to the next schedule to run, or
    /// finishes the search.
    pub(crate) fn schedule_ended(&mut self) {
        // One that ended in the region is a unit of its own, of one schedule.
        self.last_unit = match self.unit {
            Some(unit) => unit,
            None => self.deal(1),
        };
        if self.position < self.nodes.len() && self.detour.is_none() {
            // The program ended sooner than the schedule it replays.
            self.diverged = true;
        }
        let probed = self.probing.take().is_some();
        if self.detour.is_none() && !probed {
            self.interleavings += 1;
        }
        if !self.diverged {
            if !probed {
                let mut analysis = std::mem::take(&mut self.analysis);
                self.find_races(&mut analysis);
                let races = &analysis.races;
                let mut switches = std::mem::take(&mut self.switches);
                if self.bound.is_some() && !races.races.is_empty() {
                    self.last_switches(&mut switches);
                }
                let switches_if_bounded = self.bound.map(|_| switches.as_slice());
                for race in &races.races {
                    let initials = &races.initials[race.initials.clone()];
                    self.reverse(race.node, initials, switches_if_bounded);
                }
                self.switches = switches;
                self.analysis = analysis;
            }
            self.advance();
            if probed {
                // Its races were not reversed: the next schedule analyses all of its own.
                self.changed = 0;
            }
        }
        self.position = 0;
        self.steps.clear();
        self.first_new_step = None;
        self.step_chose = false;
        self.detour = None;
        self.known = Known {
            objects: 0,
            threads: 1,
        };
    }

    /// Into `analysis.races`, each race of the schedule whose second step is new to it (those
    /// of the steps it shares with the schedule before were reversed then): the choice before
    /// its first step, and the threads that could start its reversal there (the initials), in
    /// schedule order.
    fn find_races(&self, analysis: &mut Analysis) {
        let Analysis {
            clocks,
            width,
            last,
            seen,
            before,
            rivals,
            races,
        } = analysis;
        // Every id the schedule's steps act on is known by its end.
        let Known { threads, objects } = self.known;
        let steps = &self.steps;
        let new_from = self.first_new_step.unwrap_or(0).min(steps.len());
        // The rows of the steps before `new_from` are the last schedule's, if as wide.
        let kept = if threads == *width { new_from } else { 0 };
        *width = threads;
        clocks.truncate(kept * threads);
        clocks.resize(steps.len() * threads, 0);
        last.reset(threads, objects);
        for (j, &step) in steps[..kept].iter().enumerate() {
            last.passed(j, step.thread, self.footprint(step));
        }
        races.races.clear();
        races.initials.clear();
        seen.clear();
        seen.resize(threads, false);
        // What step `j` happens after directly (`before`), and which of those it races with
        // (`rivals`): a step acting on the same target in a conflicting way, with the release
        // it may discount (the end of the critical section an earlier acquire began orders the
        // two acquires, but reversing them is a race to take the lock first).
        for (j, &step) in steps.iter().enumerate().skip(kept) {
            let q = step.thread;
            let footprint = self.footprint(step);
            before.clear();
            rivals.clear();
            before.extend(last.of_thread[q]);
            rivals.extend(last.on_thread[q].map(|i| (i, None)));
            for (target, access) in footprint.targets() {
                match target {
                    Target::Object(id) => {
                        let [acquired, released, _] = last.on_object[id];
                        for (kind, earlier) in ACCESSES.iter().zip(last.on_object[id]) {
                            let Some(i) = earlier else { continue };
                            before.push(i);
                            if !access.conflicts(*kind) {
                                continue;
                            }
                            let ended = match (access, kind) {
                                (Access::Acquire, Access::Acquire) => {
                                    released.filter(|&r| Some(r) > acquired)
                                }
                                _ => None,
                            };
                            rivals.push((i, ended));
                        }
                    }
                    Target::Thread(id) => {
                        rivals.extend(last.of_thread[id].map(|i| (i, None)));
                        rivals.extend(last.on_thread[id].map(|i| (i, None)));
                    }
                }
            }
            before.extend(rivals.iter().map(|&(i, _)| i));
            before.sort_unstable();
            before.dedup();
            let (earlier, row) = clocks.split_at_mut(j * threads);
            let row = &mut row[..threads];
            row.fill(0);
            for &d in before.iter() {
                for (mine, theirs) in row.iter_mut().zip(&earlier[d * threads..(d + 1) * threads]) {
                    *mine = (*mine).max(*theirs);
                }
            }
            row[q] = j + 1;
            if j >= new_from {
                let clock = |k: usize| &clocks[k * threads..(k + 1) * threads];
                for &(i, ended) in rivals.iter() {
                    let p = steps[i].thread;
                    let before_j = || before.iter().filter(move |&&d| d != i && Some(d) != ended);
                    if p == q || before_j().any(|&d| clock(d)[p] > i) {
                        continue;
                    }
                    let Some(node) = steps[i].node else { continue };
                    let start = races.initials.len();
                    self.initials(
                        clocks,
                        threads,
                        (i, j),
                        before_j(),
                        seen,
                        &mut races.initials,
                    );
                    races.races.push(Race {
                        node,
                        initials: start..races.initials.len(),
                    });
                }
            }
            last.passed(j, q, footprint);
        }
    }

    /// Appends to `initials` the threads whose first step among `v` (the steps after `i` that
    /// do not happen after it, then `j`) has nothing of `v` before it, in order; `before_j` is
    /// what `j` happens after directly, but for `i` and the release the race discounts.
    fn initials<'a>(
        &self,
        clocks: &[usize],
        threads: usize,
        (i, j): (usize, usize),
        mut before_j: impl Iterator<Item = &'a usize>,
        seen: &mut [bool],
        initials: &mut Vec<ThreadId>,
    ) {
        let clock = |k: usize| &clocks[k * threads..(k + 1) * threads];
        let p = self.steps[i].thread;
        seen.fill(false);
        for k in i + 1..j {
            let t = self.steps[k].thread;
            if clock(k)[p] > i || seen[t] {
                continue;
            }
            seen[t] = true;
            // Its first step in `v`: one of `v` before it would be a step after `i`.
            if clock(k)
                .iter()
                .enumerate()
                .all(|(u, &last)| u == t || last <= i + 1)
            {
                initials.push(t);
            }
        }
        let q = self.steps[j].thread;
        if !seen[q] && before_j.all(|&d| clock(d).iter().all(|&last| last <= i + 1)) {
            initials.push(q);
        }
    }

    /// Makes sure the race whose first step was chosen at `node` is reversed: unless one of
    /// `initials` is already tried there, the first one is (every thread, when none can run
    /// there). With a bound, also at the last context switch before it (`switches`).
    fn reverse(&mut self, node: usize, initials: &[ThreadId], switches: Option<&[usize]>) {
        let Node::Thread(choice) = &self.nodes[node] else {
            return;
        };
        if initials.iter().any(|&t| choice.has_seen(t)) {
            return;
        }
        let wanted = initials.first().copied();
        let runnable = initials.iter().find(|&&t| choice.enabled.contains(t));
        let at = match (runnable, wanted) {
            (Some(&thread), _) => Some((node, thread)),
            // It waits there for what the race's first step holds (a lock, a thread's end): the
            // race is reversed where it last could run.
            (None, Some(thread)) => self.last_choice_running(node, thread).map(|m| (m, thread)),
            (None, None) => None,
        };
        let (node, wanted) = match at {
            Some((node, thread)) => (node, Some(thread)),
            None => (node, wanted),
        };
        self.try_at(node, wanted);
        if let Some(switches) = switches {
            self.try_at(switches[node], wanted);
        }
    }

    /// The last choice before `node` where `thread` could run.
    fn last_choice_running(&self, node: usize, thread: ThreadId) -> Option<usize> {
        (0..node).rev().find(
            |&m| matches!(&self.nodes[m], Node::Thread(choice) if choice.enabled.contains(thread)),
        )
    }

    /// Adds `thread` to what `node` tries, or every thread if it cannot run there.
    fn try_at(&mut self, node: usize, thread: Option<ThreadId>) {
        let Node::Thread(choice) = &self.nodes[node] else {
            return;
        };
        if choice.split.is_some() {
            // It tries every thread already.
            return;
        }
        let only = thread.filter(|&t| choice.enabled.contains(t));
        let added: Vec<ThreadId> = choice
            .enabled
            .iter()
            .filter(|&t| only.is_none_or(|only| only == t))
            .filter(|&t| !choice.has_seen(t) && self.within_bound(choice, t))
            .collect();
        if let Node::Thread(choice) = &mut self.nodes[node] {
            choice.to_try.extend(added);
        }
    }

    /// Into `switches`, for each node, the last choice before it that switched to another
    /// thread than the choice before it, else the first choice.
    fn last_switches(&self, switches: &mut Vec<usize>) {
        switches.clear();
        let mut first = None;
        let mut switch = None;
        let mut previous: Option<ThreadId> = None;
        for (index, node) in self.nodes.iter().enumerate() {
            switches.push(switch.or(first).unwrap_or(index));
            if let Node::Thread(choice) = node {
                first.get_or_insert(index);
                if previous.is_some_and(|thread| thread != choice.chosen) {
                    switch = Some(index);
                }
                previous = Some(choice.chosen);
            }
        }
    }

    /// Moves to the deepest state with something left to try, or finishes.
    fn advance(&mut self) {
        while let Some(node) = self.nodes.last_mut() {
            match node {
                Node::Data {
                    unusual,
                    may_deviate: true,
                    ..
                } if !*unusual => {
                    *unusual = true;
                    self.changed = self.nodes.len() - 1;
                    return;
                }
                Node::Thread(choice) => {
                    choice
                        .to_try
                        .retain(|&t| !choice.sleep.iter().any(|s| s.thread == t));
                    if choice.split.is_none() {
                        choice.to_try.sort_unstable();
                    }
                    if !choice.to_try.is_empty() {
                        let next = choice.to_try.remove(0);
                        choice.tried.push(Sleeper {
                            thread: choice.chosen,
                            footprint: std::mem::take(&mut choice.footprint),
                            known: choice.known,
                        });
                        choice.chosen = next;
                        if choice.split.is_some_and(|split| split.last) {
                            self.enter_unit(self.nodes.len() - 1);
                        }
                        self.changed = self.nodes.len() - 1;
                        return;
                    }
                }
                Node::Data { .. } => {}
            }
            if let Some(Node::Thread(Choice {
                split: Some(Split { last: true, .. }),
                ..
            })) = self.nodes.pop()
            {
                self.unit = None;
            }
        }
        self.finished = true;
    }
}

/// The race analysis's happens-before clocks and buffers, kept from one schedule to the next
/// (see [`Search::find_races`]).
#[derive(Debug, Default)]
struct Analysis {
    /// `clocks[j * width + t]`: 1 + the last step of `t` that happens before step `j` (0:
    /// none), for the steps of the last analysed schedule: those a schedule shares with it
    /// keep theirs.
    clocks: Vec<usize>,
    width: usize,
    last: LastSteps,
    /// Threads seen, while finding a race's initials.
    seen: Vec<bool>,
    /// What the step being analysed happens after directly, and which of those it races with.
    before: Vec<usize>,
    rivals: Vec<(usize, Option<usize>)>,
    /// The races found.
    races: Races,
}

/// The last step of a schedule so far by each thread, on each thread, and on each object in
/// each way (acquire, release, other).
#[derive(Debug, Default)]
struct LastSteps {
    of_thread: Vec<Option<usize>>,
    on_thread: Vec<Option<usize>>,
    on_object: Vec<[Option<usize>; 3]>,
}

impl LastSteps {
    /// Forgets every step, for a schedule of `threads` threads and `objects` objects.
    fn reset(&mut self, threads: usize, objects: usize) {
        for (steps, len) in [
            (&mut self.of_thread, threads),
            (&mut self.on_thread, threads),
        ] {
            steps.clear();
            steps.resize(len, None);
        }
        self.on_object.clear();
        self.on_object.resize(objects, [None; 3]);
    }

    /// Step `j` of `thread`, acting on `footprint`, ran.
    fn passed(&mut self, j: usize, thread: ThreadId, footprint: &Footprint) {
        self.of_thread[thread] = Some(j);
        for (target, access) in footprint.targets() {
            match target {
                Target::Object(id) => self.on_object[id][access as usize] = Some(j),
                Target::Thread(id) => self.on_thread[id] = Some(j),
            }
        }
    }
}

/// A race of a schedule: the choice before its first step, and where its initials are in
/// [`Races::initials`].
#[derive(Debug)]
struct Race {
    node: usize,
    initials: std::ops::Range<usize>,
}

/// The races of a schedule, their initials in one buffer.
#[derive(Debug, Default)]
struct Races {
    races: Vec<Race>,
    initials: Vec<ThreadId>,
}
