mod stages;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let s = Arc::new(stages::Stages::new());
    let loader = {
        let s = Arc::clone(&s);
        racecheck::Thread::new(move || s.load()).name("loader").start()
    };
    let checker = {
        let s = Arc::clone(&s);
        racecheck::Thread::new(move || s.check()).name("checker").start()
    };
    loader.join().unwrap();
    let ok = checker.join().unwrap();
    println!("ok={ok}");
}
