//! `Barrier`: parties arrive; the last one releases the generation, and everything before any
//! arrival happens before every departure.

use std::collections::VecDeque;

use super::Patience;
use crate::explore::clock::{Order, SyncClock};
use crate::explore::context::Cx;
use crate::explore::ids::{Loc, ObjectId, WaitFor};
use crate::explore::object::Stamp;
use crate::explore::side_table::{BarrierModel, ObjectKind, ObjectState};

/// Released generations whose clocks are kept for waiters yet to wake.
const KEPT_GENERATIONS: usize = 4;

impl Cx {
    /// `wait`: `true` for exactly one thread per generation, the last to arrive.
    pub(crate) fn barrier_wait(&self, stamp: &Stamp, parties: usize, location: Loc) -> bool {
        let id: ObjectId = self.object(stamp, ObjectKind::Barrier, || {
            ObjectState::Barrier(BarrierModel {
                parties: parties.max(1),
                arrived: 0,
                generation: 0,
                clock: SyncClock::default(),
                released: VecDeque::new(),
            })
        });
        self.schedule(location);
        let generation = {
            let mut state = self.state();
            let me = state.current;
            let clock = state.publish(me, Order::Necessary);
            state.progressed(me);
            let barrier = state.barrier_mut(id);
            barrier.arrived += 1;
            barrier.clock.join(&clock);
            let generation = barrier.generation;
            if barrier.arrived == barrier.parties {
                barrier.arrived = 0;
                barrier.generation += 1;
                let all = std::mem::take(&mut barrier.clock);
                barrier.released.push_back((generation, all.clone()));
                if barrier.released.len() > KEPT_GENERATIONS {
                    barrier.released.pop_front();
                }
                state.learn(me, &all);
                state.changed(id);
                drop(state);
                self.record("wait (releases the barrier)", id, location);
                return true;
            }
            generation
        };
        self.record("wait (blocks)", id, location);
        self.wait_for(
            WaitFor::Barrier(id, generation),
            Patience::Forever,
            location,
        );
        let mut state = self.state();
        let me = state.current;
        if let Some((_, all)) = state
            .barrier(id)
            .released
            .iter()
            .find(|(g, _)| *g == generation)
        {
            let all = all.clone();
            state.learn(me, &all);
        }
        drop(state);
        self.record("wait (released)", id, location);
        false
    }
}
