mod court;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let c = Arc::new(court::Court::new());
    let pong = {
        let c = Arc::clone(&c);
        racecheck::Thread::new(move || c.pong_player(3)).name("pong").start()
    };
    c.ping_player(3);
    pong.join().unwrap();
    println!("rallies {}", c.rallies());
}
