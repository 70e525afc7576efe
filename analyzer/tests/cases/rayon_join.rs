//! `rayon::join` runs both closures, maybe in parallel: locks taken in opposite orders by the
//! two are an inversion. A `rayon::scope`'s tasks are joined at its end, so main may then take
//! the locks in either order.
use std::sync::Mutex;

static LEFT: Mutex<u32> = Mutex::new(0);
static RIGHT: Mutex<u32> = Mutex::new(0);

fn main() {
    rayon::join(
        || {
            let _l = LEFT.lock().unwrap();
            *RIGHT.lock().unwrap() += 1; //~ D001
        },
        || {
            let _r = RIGHT.lock().unwrap();
            *LEFT.lock().unwrap() += 1;
        },
    );
    rayon::scope(|s| {
        s.spawn(|_| {
            let _l = LEFT.lock().unwrap();
            *RIGHT.lock().unwrap() += 1;
        });
    });
    let _r = RIGHT.lock().unwrap();
    *LEFT.lock().unwrap() += 1;
}
