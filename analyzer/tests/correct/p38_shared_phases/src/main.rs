mod counters;

#[racecheck::main]
fn main() {
    counters::reset_epoch();
    let hs: Vec<_> = (0..2).map(|_| racecheck::Thread::spawn(counters::worker)).collect();
    for h in hs {
        h.join().unwrap();
    }
    counters::advance_epoch();
    println!("epoch {} hits {}", counters::epoch(), counters::hits());
}
