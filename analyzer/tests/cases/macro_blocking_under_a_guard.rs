//! A guard held across a macro that blocks: `finish!(t)` joins the thread, which needs the lock
//! `main` holds. The statement macro's trailing `;` ends its temporaries as rustc does, and the
//! finding is shown at the invocation.
use racecheck::{Lock, Thread};

static STATE: Lock<u32> = Lock::new(0);

macro_rules! finish {
    ($handle:ident) => {
        $handle.join().unwrap()
    };
}

fn main() {
    let t = Thread::spawn(|| {
        *STATE.acquire() += 1;
    });
    let _state = STATE.acquire();
    finish!(t); //~ D003
}
