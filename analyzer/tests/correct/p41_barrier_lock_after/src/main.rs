use std::sync::{Arc, Barrier, Mutex};
use std::thread;

fn main() {
    let board = Arc::new(Mutex::new(Vec::<String>::new()));
    let start = Arc::new(Barrier::new(3));
    let mut hs = Vec::new();
    // leader: writes the header while holding the board, then releases everyone
    {
        let board = Arc::clone(&board);
        let start = Arc::clone(&start);
        hs.push(thread::spawn(move || {
            let mut b = board.lock().unwrap();
            b.push("header".into());
            start.wait();
            b.push("leader".into());
        }));
    }
    for i in 0..2 {
        let board = Arc::clone(&board);
        let start = Arc::clone(&start);
        hs.push(thread::spawn(move || {
            start.wait();
            board.lock().unwrap().push(format!("follower {}", i));
        }));
    }
    for h in hs {
        h.join().unwrap();
    }
    println!("{:?}", board.lock().unwrap());
}
