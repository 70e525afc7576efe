use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::thread;

struct RateLimiter {
    tokens: AtomicU32,
}

impl RateLimiter {
    fn try_acquire(&self) -> bool {
        self.tokens
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |t| if t > 0 { Some(t - 1) } else { None })
            .is_ok()
    }
}

fn main() {
    let rl = Arc::new(RateLimiter { tokens: AtomicU32::new(50) });
    // single-threaded init phase: load/store before any thread exists
    let initial = rl.tokens.load(Ordering::Relaxed);
    rl.tokens.store(initial * 2, Ordering::Relaxed);
    let hs: Vec<_> = (0..4)
        .map(|_| {
            let rl = Arc::clone(&rl);
            thread::spawn(move || (0..40).filter(|_| rl.try_acquire()).count())
        })
        .collect();
    let got: usize = hs.into_iter().map(|h| h.join().unwrap()).sum();
    println!("{}", got);
}
