//! Hands an item from a put straight to a client in another process that is blocked in a `get`
//! (or a pipe's `recv`) on the same channel: the putting thread writes the client's reply to the
//! client's socket itself. The item then reaches the client in one hop, instead of waking the
//! server's connection thread to carry it.
//!
//! A channel that can be served keeps a [`Handoff`]: the clients waiting on it, first come first
//! served. Every put (and every change that ends a wait, such as a pipe's end closing) calls
//! [`Handoff::after_put`], which offers the channel's items to the waiting clients in order. A
//! client's connection thread registers with [`Handoff::wait`] and sleeps until its reply has been
//! written, its wait runs out, or the client is gone.

use std::collections::VecDeque;
use std::sync::atomic::{fence, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use parking_lot::{Condvar, Mutex};

/// How often a registered wait looks whether its client is still there.
const PEER_CHECK: Duration = Duration::from_millis(100);

/// What offering the channel to one waiting client did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Offer {
    /// Nothing to answer with yet: the client keeps waiting.
    Empty,
    /// The client's reply was written (an item, or the news that the channel ended).
    Answered,
    /// The client is gone; nothing was taken from the channel for it (or what was went back).
    Gone,
}

type OfferFn = Box<dyn Fn() -> Offer + Send + Sync>;

/// One waiting client.
struct Waiter {
    /// Takes the next item, if any, and writes the client's reply.
    offer: OfferFn,
    /// `Some` once a put answered the client (or found it gone).
    outcome: Mutex<Option<Offer>>,
    decided: Condvar,
}

impl Waiter {
    fn decide(&self, outcome: Offer) {
        *self.outcome.lock() = Some(outcome);
        self.decided.notify_one();
    }

    /// The outcome, once decided within `d`.
    fn outcome_within(&self, d: Duration) -> Option<Offer> {
        let mut outcome = self.outcome.lock();
        if outcome.is_none() {
            self.decided.wait_for(&mut outcome, d);
        }
        *outcome
    }
}

/// The clients of other processes waiting on one channel.
#[derive(Default)]
pub(crate) struct Handoff {
    /// How many clients wait (read without the lock on every put: almost always 0).
    waiting: AtomicUsize,
    waiters: Mutex<VecDeque<Arc<Waiter>>>,
}

impl Handoff {
    /// Offers the channel to the waiting clients, first come first served, until it has nothing
    /// more to give. Called after every put into the channel, by the putting thread.
    pub(crate) fn after_put(&self) {
        // Pairs with the fence in `wait`: either this put sees the client registered, or the
        // client's own first look at the channel sees the item.
        fence(Ordering::SeqCst);
        if self.waiting.load(Ordering::SeqCst) == 0 {
            return;
        }
        let mut waiters = self.waiters.lock();
        while let Some(waiter) = waiters.front() {
            let outcome = (waiter.offer)();
            if outcome == Offer::Empty {
                break;
            }
            let waiter = waiters.pop_front().expect("a front waiter");
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            waiter.decide(outcome);
        }
    }

    /// Waits, on behalf of a client's blocked call, until `offer` answers it: at once if the
    /// channel has something now, else from a later put's [`after_put`](Handoff::after_put).
    /// `None` if `deadline` passed or the client left (`gone`) before anything was taken for it.
    pub(crate) fn wait(
        &self,
        offer: impl Fn() -> Offer + Send + Sync + 'static,
        deadline: Option<Instant>,
        gone: &dyn Fn() -> bool,
    ) -> Option<Offer> {
        let waiter = {
            let mut waiters = self.waiters.lock();
            self.waiting.fetch_add(1, Ordering::SeqCst);
            fence(Ordering::SeqCst);
            // Behind earlier waiters only: with none, the channel is this client's to look at.
            if waiters.is_empty() {
                let outcome = offer();
                if outcome != Offer::Empty {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Some(outcome);
                }
            }
            let waiter = Arc::new(Waiter {
                offer: Box::new(offer),
                outcome: Mutex::new(None),
                decided: Condvar::new(),
            });
            waiters.push_back(Arc::clone(&waiter));
            waiter
        };
        // An item put between the look above and the registration is offered now.
        self.after_put();
        loop {
            let slice = deadline.map_or(PEER_CHECK, |deadline| {
                deadline
                    .saturating_duration_since(Instant::now())
                    .min(PEER_CHECK)
            });
            if let Some(outcome) = waiter.outcome_within(slice) {
                return Some(outcome);
            }
            let expired = deadline.is_some_and(|deadline| Instant::now() >= deadline);
            if !expired && !gone() {
                continue;
            }
            let mut waiters = self.waiters.lock();
            if let Some(at) = waiters.iter().position(|w| Arc::ptr_eq(w, &waiter)) {
                waiters.remove(at);
                self.waiting.fetch_sub(1, Ordering::SeqCst);
                return None;
            }
            drop(waiters);
            // A put took the waiter off the list and is answering it: that takes no longer than
            // one socket write.
            loop {
                if let Some(outcome) = waiter.outcome_within(PEER_CHECK) {
                    return Some(outcome);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossbeam_channel::{unbounded, Receiver, Sender};

    /// A channel and its hand-off, and what the "client" received.
    fn offer_to(
        receiver: Receiver<u32>,
        received: Sender<u32>,
    ) -> impl Fn() -> Offer + Send + Sync + 'static {
        move || match receiver.try_recv() {
            Ok(item) => {
                received.send(item).unwrap();
                Offer::Answered
            }
            Err(_) => Offer::Empty,
        }
    }

    #[test]
    fn an_item_present_at_registration_answers_at_once() {
        let handoff = Handoff::default();
        let (sender, receiver) = unbounded();
        let (received, got) = unbounded();
        sender.send(7).unwrap();
        let outcome = handoff.wait(offer_to(receiver, received), None, &|| false);
        assert_eq!(outcome, Some(Offer::Answered));
        assert_eq!(got.try_recv(), Ok(7));
    }

    #[test]
    fn a_later_put_hands_its_item_to_the_waiting_clients_in_order() {
        let handoff = Arc::new(Handoff::default());
        let (sender, receiver) = unbounded::<u32>();
        let (received, got) = unbounded();
        let clients: Vec<_> = (0..2)
            .map(|_| {
                let (shared, receiver, received) =
                    (Arc::clone(&handoff), receiver.clone(), received.clone());
                let client = std::thread::spawn(move || {
                    shared.wait(offer_to(receiver, received), None, &|| false)
                });
                // The second client registers after the first.
                while handoff.waiting.load(Ordering::SeqCst) == 0 {
                    std::thread::yield_now();
                }
                client
            })
            .collect();
        while handoff.waiting.load(Ordering::SeqCst) < 2 {
            std::thread::yield_now();
        }
        for item in [1, 2] {
            sender.send(item).unwrap();
            handoff.after_put();
        }
        for client in clients {
            assert_eq!(client.join().unwrap(), Some(Offer::Answered));
        }
        assert_eq!(got.try_iter().collect::<Vec<_>>(), [1, 2]);
        assert!(receiver.is_empty());
    }

    #[test]
    fn a_wait_that_runs_out_takes_nothing_and_leaves_the_list() {
        let handoff = Handoff::default();
        let (sender, receiver) = unbounded::<u32>();
        let (received, got) = unbounded();
        let deadline = Instant::now() + Duration::from_millis(20);
        let outcome = handoff.wait(
            offer_to(receiver.clone(), received),
            Some(deadline),
            &|| false,
        );
        assert_eq!(outcome, None);
        sender.send(3).unwrap();
        handoff.after_put();
        assert_eq!(receiver.try_recv(), Ok(3), "no waiter took it");
        assert!(got.is_empty());
    }

    #[test]
    fn a_client_gone_is_dropped_from_the_list() {
        let handoff = Handoff::default();
        let (_sender, receiver) = unbounded::<u32>();
        let (received, _got) = unbounded();
        assert_eq!(
            handoff.wait(offer_to(receiver, received), None, &|| true),
            None
        );
        assert_eq!(handoff.waiting.load(Ordering::SeqCst), 0);
        assert!(handoff.waiters.lock().is_empty());
    }
}
