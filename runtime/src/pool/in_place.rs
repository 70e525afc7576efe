//! `Pool::map` in place: each batch's worker reads its items straight out of the caller's vector
//! and writes its results straight into the output vector, so the caller makes no serial copy of
//! the data (no split into batch vectors, no concatenation of batch results).

use std::mem::{ManuallyDrop, MaybeUninit};
use std::ptr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::real::{run_caught, send, Outcome, RealPool};
use super::PoolError;

/// The caller's items and the results of one map, shared by its batches.
///
/// Every index belongs to exactly one batch, whose worker reads the item once and writes the
/// result once. Dropping this frees both allocations without dropping any element: after a
/// panic, the items not yet read and the results not handed over are leaked, never dropped twice
/// nor read uninitialised.
struct Buffers<A, R> {
    input: *mut ManuallyDrop<A>,
    input_capacity: usize,
    output: *mut MaybeUninit<R>,
    output_capacity: usize,
    /// Set once the caller has taken the output as its `Vec<R>`.
    claimed: AtomicBool,
}

// SAFETY: the buffers hand each `A` to one worker and each `R` back to the caller: sharing them
// needs only that both can move between threads.
unsafe impl<A: Send, R: Send> Send for Buffers<A, R> {}
// SAFETY: see `Send`; no two threads touch the same element.
unsafe impl<A: Send, R: Send> Sync for Buffers<A, R> {}

impl<A, R> Drop for Buffers<A, R> {
    fn drop(&mut self) {
        // SAFETY: both allocations came from `Vec`s of these capacities; a length of 0 drops no
        // element.
        unsafe {
            drop(Vec::from_raw_parts(self.input, 0, self.input_capacity));
            if !self.claimed.load(Ordering::Acquire) {
                drop(Vec::from_raw_parts(self.output, 0, self.output_capacity));
            }
        }
    }
}

/// How a map ended without its results.
pub(crate) enum MapFailure {
    Rejected(PoolError),
    /// A task panicked; its message.
    Panicked(String),
    /// Pool::terminate threw a batch away before it ran.
    Discarded,
}

impl RealPool {
    /// `items.map(f)` in batches of `batch_len`, one job each, results in order.
    pub(crate) fn map_in_place<A, R, F>(
        &self,
        f: F,
        items: Vec<A>,
        batch_len: usize,
    ) -> Result<Vec<R>, MapFailure>
    where
        A: Send + 'static,
        R: Send + 'static,
        F: Fn(A) -> R + Send + Sync + 'static,
    {
        let submitter = self.submitter().map_err(MapFailure::Rejected)?;
        let len = items.len();
        let mut items = ManuallyDrop::new(items);
        let mut output = ManuallyDrop::new(Vec::<MaybeUninit<R>>::with_capacity(len));
        let buffers = Arc::new(Buffers {
            input: items.as_mut_ptr().cast::<ManuallyDrop<A>>(),
            input_capacity: items.capacity(),
            output: output.as_mut_ptr(),
            output_capacity: output.capacity(),
            claimed: AtomicBool::new(false),
        });
        let f = Arc::new(f);
        let (report, outcomes) = crossbeam_channel::unbounded::<Outcome<()>>();
        let batches = len.div_ceil(batch_len.max(1));
        for batch in 0..batches {
            let (start, end) = (batch * batch_len, ((batch + 1) * batch_len).min(len));
            let (buffers, f, report) = (buffers.clone(), f.clone(), report.clone());
            send(&submitter, move || {
                let outcome = run_caught(|| {
                    for index in start..end {
                        // SAFETY: `index` is this batch's alone, below `len`: its item is
                        // initialised and read only here; its result slot is written only here.
                        unsafe {
                            let item =
                                ManuallyDrop::into_inner(ptr::read(buffers.input.add(index)));
                            buffers.output.add(index).write(MaybeUninit::new(f(item)));
                        }
                    }
                });
                // The caller stops listening once a batch panicked: nobody to tell.
                let _ = report.send(outcome);
            });
        }
        drop(report);
        for _ in 0..batches {
            match outcomes.recv() {
                Ok(Ok(())) => {}
                Ok(Err(message)) => return Err(MapFailure::Panicked(message)),
                Err(_) => return Err(MapFailure::Discarded),
            }
        }
        buffers.claimed.store(true, Ordering::Release);
        // SAFETY: every batch reported success, so all `len` results are written (and the
        // channel ordered those writes before this read); `claimed` keeps `Buffers` from freeing
        // the allocation, which was a `Vec<MaybeUninit<R>>` of this capacity.
        Ok(
            unsafe {
                Vec::from_raw_parts(buffers.output.cast::<R>(), len, buffers.output_capacity)
            },
        )
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use crate::Pool;

    /// Counts its drops.
    struct Tracked(Arc<AtomicUsize>, u32);

    impl Drop for Tracked {
        fn drop(&mut self) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn results_keep_the_input_order_across_uneven_batches() {
        let pool = Pool::new(3);
        for len in [0, 1, 11, 1000] {
            let mapped = pool.map(|n: u32| n * 2, (0..len).collect::<Vec<_>>());
            assert_eq!(mapped, (0..len).map(|n| n * 2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn every_item_and_result_is_dropped_exactly_once() {
        let (items, results) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
        let pool = Pool::new(2);
        let input: Vec<Tracked> = (0..100).map(|n| Tracked(items.clone(), n)).collect();
        let counter = results.clone();
        let mapped = pool.map(
            move |item: Tracked| Tracked(counter.clone(), item.1 + 1),
            input,
        );
        assert_eq!(items.load(Ordering::SeqCst), 100);
        assert_eq!(
            mapped.iter().map(|t| t.1).sum::<u32>(),
            (1..=100).sum::<u32>()
        );
        drop(mapped);
        assert_eq!(results.load(Ordering::SeqCst), 100);
    }

    #[test]
    fn a_panicking_item_drops_nothing_twice() {
        let dropped = Arc::new(AtomicUsize::new(0));
        let pool = Pool::new(2);
        let input: Vec<Tracked> = (0..50).map(|n| Tracked(dropped.clone(), n)).collect();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            pool.map(
                |item: Tracked| if item.1 == 7 { panic!("seven") } else { item.1 },
                input,
            )
        }));
        let message = outcome.unwrap_err();
        assert!(message.downcast_ref::<String>().unwrap().contains("seven"));
        pool.close();
        pool.join().unwrap();
        // Items a failed batch never reached are leaked, not dropped: at most one drop each.
        assert!(dropped.load(Ordering::SeqCst) <= 50);
    }
}
