mod relay;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let r = Arc::new(relay::Relay::new());
    let first = {
        let r = Arc::clone(&r);
        racecheck::Thread::new(move || r.first_leg()).name("first").start()
    };
    let second = {
        let r = Arc::clone(&r);
        racecheck::Thread::new(move || r.second_leg()).name("second").start()
    };
    first.join().unwrap();
    second.join().unwrap();
    assert_eq!(r.distance(), 30);
    println!("ok");
}
