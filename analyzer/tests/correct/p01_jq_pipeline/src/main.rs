mod jobs;
mod workers;

use jobs::Job;
use workers::WorkerPool;

#[racecheck::main]
fn main() {
    let pool = WorkerPool::start(3);
    for i in 0..12u32 {
        let job = if i % 5 == 0 { Job::Bad(i) } else { Job::Resize { id: i, width: 10 * i } };
        pool.submit(job);
    }
    pool.wait_idle();
    let stats = pool.shutdown();
    println!("done={} failed={}", stats.0, stats.1);
}
