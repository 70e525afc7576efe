//! Locks named through type aliases: `type Shared = Mutex<u32>` and `type SharedArc =
//! Arc<Mutex<u32>>` in `let` types, struct fields and constructors (`Shared::new`), and a module
//! that names a generic alias of another crate's lock (`pub type Mutex<T> =
//! parking_lot::Mutex<T>`, reached as `crate::sync::Mutex`). An ABBA through each, and the same
//! locks taken in one order (`ordered`) beside them. Aliases naming each other (which rustc
//! rejects) name nothing.
use std::sync::Arc;
use std::thread;

type Shared = std::sync::Mutex<u32>;
type SharedArc = Arc<Shared>;

type Ping = Pong;
type Pong = Ping;

pub fn cycle_of_aliases(p: &Ping) {
    let _g = p.lock();
    let _h = Ping::new(0).lock();
}

mod sync {
    pub type Mutex<T> = parking_lot::Mutex<T>;
}

struct Ledger {
    entries: SharedArc,
    totals: crate::sync::Mutex<u64>,
}

fn abba_through_let_types() {
    let a: SharedArc = Arc::new(Shared::new(0));
    let b = SharedArc::new(std::sync::Mutex::new(0));
    let (a2, b2) = (a.clone(), b.clone());
    let t = thread::spawn(move || {
        let _x = a2.lock().unwrap();
        let _y = b2.lock().unwrap(); //~ D001
    });
    let _y = b.lock().unwrap();
    let _x = a.lock().unwrap();
    drop(_x);
    drop(_y);
    t.join().unwrap();
}

fn abba_through_fields(ledger: Arc<Ledger>) {
    let other = ledger.clone();
    let t = thread::spawn(move || {
        let _e = other.entries.lock().unwrap();
        let _t = other.totals.lock(); //~ D001
    });
    {
        let _t = ledger.totals.lock();
        let _e = ledger.entries.lock().unwrap();
    }
    t.join().unwrap();
}

fn ordered() {
    let a: SharedArc = Arc::new(Shared::new(0));
    let b: SharedArc = Arc::new(Shared::new(0));
    let (a2, b2) = (a.clone(), b.clone());
    let t = thread::spawn(move || {
        let _x = a2.lock().unwrap();
        let _y = b2.lock().unwrap();
    });
    let _x = a.lock().unwrap();
    let _y = b.lock().unwrap();
    drop(_y);
    drop(_x);
    t.join().unwrap();
}

fn main() {
    abba_through_let_types();
    abba_through_fields(Arc::new(Ledger {
        entries: Arc::new(Shared::new(0)),
        totals: crate::sync::Mutex::new(0),
    }));
    ordered();
}
