use std::collections::VecDeque;

use racecheck::{Condition, Lock};

use crate::model::Sample;

struct BufferState {
    items: VecDeque<Sample>,
    closed: bool,
    high_water: usize,
    dropped: u64,
}

/// Collected samples waiting for the downstream stages, with a condition that says "the
/// buffer has data". Consumers get `None` once the buffer is closed and empty.
pub struct SampleBuffer {
    state: Lock<BufferState>,
    has_data: Condition,
    limit: usize,
}

impl SampleBuffer {
    pub fn new(limit: usize) -> Self {
        SampleBuffer {
            state: Lock::new(BufferState {
                items: VecDeque::new(),
                closed: false,
                high_water: 0,
                dropped: 0,
            }),
            has_data: Condition::new(),
            limit: limit.max(1),
        }
    }

    /// Adds a sample; beyond the limit the oldest sample is dropped.
    pub fn push(&self, sample: Sample) {
        let mut state = self.state.acquire();
        if state.closed {
            state.dropped += 1;
            return;
        }
        if state.items.len() >= self.limit {
            state.items.pop_front();
            state.dropped += 1;
        }
        state.items.push_back(sample);
        state.high_water = state.high_water.max(state.items.len());
        drop(state);
        self.has_data.notify();
    }

    /// Takes up to `max` samples, waiting while there are none.
    pub fn drain_batch(&self, max: usize) -> Option<Vec<Sample>> {
        let mut state = self.state.acquire();
        while state.items.is_empty() && !state.closed {
            state = self.has_data.wait(state); // CLEAN: wait-without-loop: re-checks emptiness and closed in a while loop
        }
        if state.items.is_empty() {
            return None;
        }
        let take = max.min(state.items.len());
        Some(state.items.drain(..take).collect())
    }

    /// Takes the next single sample for the live view.
    pub fn next_sample(&self) -> Option<Sample> {
        let mut state = self.state.acquire();
        if state.closed && state.items.is_empty() {
            return None;
        }
        if state.items.is_empty() {
            state = self.has_data.wait(state); // PLANTED: wait-without-loop: the aggregator may drain the buffer before this thread reacquires the lock
        }
        state.items.pop_front()
    }

    /// Stops taking samples and wakes every consumer so they can finish.
    pub fn close(&self) {
        self.state.acquire().closed = true;
        self.has_data.notify_all();
    }

    pub fn len(&self) -> usize {
        self.state.acquire().items.len()
    }

    pub fn stats(&self) -> (usize, u64) {
        let state = self.state.acquire();
        (state.high_water, state.dropped)
    }
}
