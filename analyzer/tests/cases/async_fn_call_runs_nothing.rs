//! Calling an async fn makes a future; its body runs only when polled, and nothing here polls it:
//! the thread takes no lock, so main's `B` then `A` is no inversion.
use racecheck::{Lock, Thread};
static A: Lock<u32> = Lock::new(0);
static B: Lock<u32> = Lock::new(0);
async fn both() {
    let _a = A.acquire();
    let _b = B.acquire();
}
fn main() {
    let t = Thread::spawn(|| {
        let _future = both();
    });
    {
        let _b = B.acquire();
        let _a = A.acquire();
    }
    t.join().unwrap();
}
