mod sync_util;
mod tracker;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let t = Arc::new(tracker::Tracker::new());
    let w = {
        let t = Arc::clone(&t);
        racecheck::Thread::spawn(move || {
            t.finish_download();
            t.finish_upload();
        })
    };
    t.await_download();
    t.await_upload();
    w.join().unwrap();
    println!("all done");
}
