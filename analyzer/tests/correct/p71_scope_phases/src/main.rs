use std::sync::Mutex;
use std::thread;

fn main() {
    let a = Mutex::new(0u32);
    let b = Mutex::new(0u32);
    thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                let mut ga = a.lock().unwrap();
                let mut gb = b.lock().unwrap();
                *ga += 1;
                *gb += *ga;
            });
        }
    });
    // all scoped threads have finished: no one else can hold a or b
    let gb = b.lock().unwrap();
    let ga = a.lock().unwrap();
    println!("{} {}", *ga, *gb);
}
