mod tasks;
mod worker;

#[racecheck::main]
fn main() {
    let q = racecheck::JoinableQueue::new();
    let results = std::sync::Arc::new(racecheck::Lock::new(Vec::new()));
    let w = worker::spawn(q.clone(), std::sync::Arc::clone(&results));
    for n in [3u32, 0, 7] {
        q.put(tasks::Task { n });
    }
    q.join();
    q.put(tasks::Task { n: u32::MAX });
    w.join().unwrap();
    println!("{:?}", results.acquire());
}
