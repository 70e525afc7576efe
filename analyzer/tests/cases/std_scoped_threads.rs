//! `std::thread::scope`: the threads spawned on the scope run in parallel and are joined at its
//! end. Two of them take two locks in opposite orders (D001); after the scope, main takes them
//! in any order alone, and holding a lock across a scope whose threads need it blocks (D003).
use std::sync::Mutex;
use std::thread;

fn main() {
    let left = Mutex::new(0);
    let right = Mutex::new(0);
    thread::scope(|s| {
        s.spawn(|| {
            let _l = left.lock().unwrap();
            *right.lock().unwrap() += 1; //~ D001
        });
        s.spawn(|| {
            let _r = right.lock().unwrap();
            *left.lock().unwrap() += 1;
        });
    });
    let _r = right.lock().unwrap();
    *left.lock().unwrap() += 1;
    drop(_r);
    let held = left.lock().unwrap();
    thread::scope(|s| {
        s.spawn(|| *left.lock().unwrap() += 1);
    }); //~^^ D003
    println!("{}", *held);
}
