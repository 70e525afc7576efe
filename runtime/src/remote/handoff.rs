//! Hands an item from a put straight to a client in another process that is blocked in a `get`
//! (or a pipe's `recv`) on the same channel: the putting thread writes the client's reply to the
//! client's socket itself. The item then reaches the client in one hop, and the server's
//! connection thread is not woken for it.
//!
//! A channel that can be served keeps a [`Handoff`]: the clients waiting on it, first come first
//! served. Every put (and every change that ends a wait, such as a pipe's end closing) calls
//! [`Handoff::after_put`], which offers the channel's items to the waiting clients in order. A
//! client's connection thread registers the wait with [`Handoff::register`] and goes back to
//! reading its socket: the client sends nothing until it is answered, so the next thing there is
//! its next request (or its end). Only a wait that runs out, or a client gone, is taken back
//! ([`Handoff::withdraw`]).

use std::collections::VecDeque;
use std::sync::atomic::{fence, AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock, Weak};

use parking_lot::Mutex;

use super::lane::{self, Bell, Lane};

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

/// Takes the next item, if any, and writes the waiting client's reply.
type OfferFn = Box<dyn Fn() -> Offer + Send + Sync>;

/// A registered wait, until a put answers it or it is withdrawn.
pub(crate) struct Ticket(Arc<OfferFn>);

/// The clients of other processes waiting on one channel, and the connections that put into it.
#[derive(Default)]
pub(crate) struct Handoff {
    /// How many clients wait (read without the lock on every put: almost always 0).
    waiting: AtomicUsize,
    waiters: Mutex<VecDeque<Arc<OfferFn>>>,
    /// The server's connections whose requests have put into the channel: a thread of this
    /// process that waits on it reads their requests itself (`lane.rs`).
    feeders: Mutex<Vec<Weak<Lane>>>,
    /// Whether any has (read without the lock on every blocking get: almost always false).
    fed: AtomicBool,
    /// How many such threads wait, and the bell that wakes them when an item comes another way.
    watchers: AtomicUsize,
    bell: OnceLock<Option<Bell>>,
}

impl Handoff {
    /// Offers the channel to the waiting clients, first come first served, until it has nothing
    /// more to give. Called after every put into the channel, by the putting thread.
    pub(crate) fn after_put(&self) {
        if let Some(lane) = lane::applying() {
            self.fed_by(lane);
        }
        // Pairs with the fences in `register` and `watch`: either this put sees the client (or
        // the watching thread) registered, or its own first look at the channel sees the item.
        fence(Ordering::SeqCst);
        if self.watchers.load(Ordering::SeqCst) > 0 && !lane::watching(self) {
            if let Some(Some(bell)) = self.bell.get() {
                bell.ring();
            }
        }
        if self.waiting.load(Ordering::SeqCst) == 0 {
            return;
        }
        let mut waiters = self.waiters.lock();
        while let Some(offer) = waiters.front() {
            if offer() == Offer::Empty {
                break;
            }
            waiters.pop_front();
            self.waiting.fetch_sub(1, Ordering::SeqCst);
        }
    }

    /// Registers a client's blocked call: `Ok` with what `offer` did if the channel answers it
    /// now, else the wait's ticket: a later put's [`after_put`](Handoff::after_put) answers it.
    pub(crate) fn register(
        &self,
        offer: impl Fn() -> Offer + Send + Sync + 'static,
    ) -> Result<Offer, Ticket> {
        let offer: Arc<OfferFn> = Arc::new(Box::new(offer));
        {
            let mut waiters = self.waiters.lock();
            self.waiting.fetch_add(1, Ordering::SeqCst);
            fence(Ordering::SeqCst);
            // Behind earlier waiters only: with none, the channel is this client's to look at.
            if waiters.is_empty() {
                let outcome = offer();
                if outcome != Offer::Empty {
                    self.waiting.fetch_sub(1, Ordering::SeqCst);
                    return Ok(outcome);
                }
            }
            waiters.push_back(Arc::clone(&offer));
        }
        // An item put between the look above and the registration is offered now.
        self.after_put();
        Err(Ticket(offer))
    }

    /// Records that `lane`'s requests put into the channel.
    fn fed_by(&self, lane: Weak<Lane>) {
        let mut feeders = self.feeders.lock();
        self.fed.store(true, Ordering::Relaxed);
        if !feeders.iter().any(|fed| fed.ptr_eq(&lane)) {
            feeders.retain(|fed| fed.upgrade().is_some_and(|lane| !lane.ended()));
            feeders.push(lane);
        }
    }

    /// The connections that feed the channel and may still send.
    pub(crate) fn feeders(&self) -> Vec<Arc<Lane>> {
        if !self.fed.load(Ordering::Relaxed) {
            return Vec::new();
        }
        self.feeders
            .lock()
            .iter()
            .filter_map(Weak::upgrade)
            .filter(|lane| !lane.ended())
            .collect()
    }

    /// Registers a thread waiting on the channel's feeders: the bell every put then rings,
    /// until [`unwatch`](Handoff::unwatch). `None` if no bell can be had.
    pub(crate) fn watch(&self) -> Option<&Bell> {
        let bell = self.bell.get_or_init(|| Bell::new().ok()).as_ref()?;
        self.watchers.fetch_add(1, Ordering::SeqCst);
        fence(Ordering::SeqCst);
        Some(bell)
    }

    pub(crate) fn unwatch(&self) {
        self.watchers.fetch_sub(1, Ordering::SeqCst);
    }

    /// Takes back a wait that ran out or whose client left: `true` if nothing had answered it
    /// (nothing was taken for it), `false` if a put has answered it or is answering it.
    pub(crate) fn withdraw(&self, ticket: &Ticket) -> bool {
        let mut waiters = self.waiters.lock();
        let Some(at) = waiters.iter().position(|w| Arc::ptr_eq(w, &ticket.0)) else {
            return false;
        };
        waiters.remove(at);
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        true
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
        let outcome = handoff.register(offer_to(receiver, received));
        assert!(matches!(outcome, Ok(Offer::Answered)));
        assert_eq!(got.try_recv(), Ok(7));
    }

    #[test]
    fn a_later_put_hands_its_item_to_the_waiting_clients_in_order() {
        let handoff = Handoff::default();
        let (sender, receiver) = unbounded::<u32>();
        let (first, got_first) = unbounded();
        let (second, got_second) = unbounded();
        let tickets = [
            handoff.register(offer_to(receiver.clone(), first)),
            handoff.register(offer_to(receiver.clone(), second)),
        ];
        assert!(tickets.iter().all(Result::is_err), "both wait");
        for item in [1, 2] {
            sender.send(item).unwrap();
            handoff.after_put();
        }
        assert_eq!(got_first.try_iter().collect::<Vec<_>>(), [1]);
        assert_eq!(got_second.try_iter().collect::<Vec<_>>(), [2]);
        assert!(receiver.is_empty());
        // Both were answered: neither can be withdrawn.
        for ticket in tickets {
            let Err(ticket) = ticket else { unreachable!() };
            assert!(!handoff.withdraw(&ticket));
        }
        assert_eq!(handoff.waiting.load(Ordering::SeqCst), 0);
    }

    #[test]
    fn a_withdrawn_wait_takes_nothing_and_leaves_the_list() {
        let handoff = Handoff::default();
        let (sender, receiver) = unbounded::<u32>();
        let (received, got) = unbounded();
        let Err(ticket) = handoff.register(offer_to(receiver.clone(), received)) else {
            panic!("the channel is empty: the client waits");
        };
        assert!(handoff.withdraw(&ticket));
        assert_eq!(handoff.waiting.load(Ordering::SeqCst), 0);
        sender.send(3).unwrap();
        handoff.after_put();
        assert_eq!(receiver.try_recv(), Ok(3), "no waiter took it");
        assert!(got.is_empty());
    }

    #[test]
    fn a_client_found_gone_by_a_put_leaves_the_list_and_the_next_is_offered() {
        let handoff = Handoff::default();
        let (sender, receiver) = unbounded::<u32>();
        let (received, got) = unbounded();
        // A client found gone by the put, not at registration.
        let registered = std::sync::atomic::AtomicBool::new(false);
        let Err(gone) = handoff.register(move || {
            if registered.swap(true, Ordering::SeqCst) {
                Offer::Gone
            } else {
                Offer::Empty
            }
        }) else {
            panic!("nothing to take yet");
        };
        let Err(_) = handoff.register(offer_to(receiver, received)) else {
            panic!("nothing to take yet");
        };
        sender.send(5).unwrap();
        handoff.after_put();
        assert_eq!(got.try_recv(), Ok(5));
        assert!(!handoff.withdraw(&gone));
        assert_eq!(handoff.waiting.load(Ordering::SeqCst), 0);
    }
}
