//! A macro that takes several locks through a repetition, `lock_all!(a, b, c)`, with its clean
//! twin: the same order in both threads (`ordered`), then the reverse order in one (`crossed`).
use racecheck::{Lock, Thread};

static A: Lock<u32> = Lock::new(0);
static B: Lock<u32> = Lock::new(0);
static C: Lock<u32> = Lock::new(0);
static D: Lock<u32> = Lock::new(0);

macro_rules! lock_all {
    ($($lock:ident),+ $(,)?) => {
        $( let _held = $lock.acquire(); )+
    };
}

fn ordered() {
    let t = Thread::spawn(|| {
        lock_all!(A, B);
    });
    {
        lock_all!(A, B,);
    }
    t.join().unwrap();
}

fn crossed() {
    let t = Thread::spawn(|| {
        lock_all!(C, D); //~ D001
    });
    {
        lock_all!(D, C);
    }
    t.join().unwrap();
}

fn main() {
    ordered();
    crossed();
}
