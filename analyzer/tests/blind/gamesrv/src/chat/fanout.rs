use std::sync::mpsc::Receiver;
use std::sync::Arc;
use std::thread::{self, JoinHandle};

use super::{ChatEnvelope, ChatHub, ChatLine};
use crate::metrics::Metrics;

pub trait MessageFilter: Send {
    /// Returns false to drop the line.  May rewrite the text.
    fn filter(&mut self, line: &mut ChatLine) -> bool;
}

/// Masks banned words in player messages and drops over-long lines.
pub struct WordFilter {
    pub banned: Vec<&'static str>,
    pub max_len: usize,
}

impl MessageFilter for WordFilter {
    fn filter(&mut self, line: &mut ChatLine) -> bool {
        if line.from.is_none() {
            return true;
        }
        let masked: Vec<String> = line
            .text
            .split_whitespace()
            .map(|w| if self.banned.iter().any(|b| w.to_lowercase().contains(b)) { "*".repeat(w.len()) } else { w.to_string() })
            .collect();
        line.text = masked.join(" ");
        !line.text.is_empty() && line.text.len() <= self.max_len
    }
}

pub struct Fanout<F: MessageFilter> {
    hub: Arc<ChatHub>,
    filter: F,
    metrics: Arc<Metrics>,
}

impl<F: MessageFilter + 'static> Fanout<F> {
    pub fn new(hub: Arc<ChatHub>, filter: F, metrics: Arc<Metrics>) -> Self {
        Fanout { hub, filter, metrics }
    }

    pub fn spawn(self) -> Option<JoinHandle<()>> {
        let rx = self.hub.take_receiver()?;
        let handle = thread::Builder::new()
            .name("chat-fanout".into())
            .spawn(move || {
                let delivered = self.run(rx);
                eprintln!("[chat] fan-out stopped after {} deliveries", delivered);
            })
            .expect("spawn chat fan-out");
        Some(handle)
    }

    fn run(mut self, rx: Receiver<ChatEnvelope>) -> u64 {
        let mut delivered = 0u64;
        while let Ok(envelope) = rx.recv() {
            let mut line = match envelope {
                ChatEnvelope::Line(line) => line,
                ChatEnvelope::Shutdown => break,
            };
            if !self.filter.filter(&mut line) {
                continue;
            }
            self.metrics.chat_line();
            let targets = self.hub.targets(line.room);
            for (pid, tx) in targets {
                if tx.send(line.clone()).is_err() { // CLEAN: blocking-while-holding: targets() cloned the senders and released rooms and subscribers before the bounded send
                    self.hub.drop_subscriber(pid);
                } else {
                    delivered += 1;
                }
            }
        }
        delivered
    }
}
