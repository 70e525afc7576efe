use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

enum Job {
    Work(u64),
    Stop,
}

fn main() {
    let (job_tx, job_rx) = mpsc::channel::<Job>();
    let job_rx = Arc::new(Mutex::new(job_rx));
    let (res_tx, res_rx) = mpsc::channel::<u64>();
    let mut handles = Vec::new();
    for _ in 0..4 {
        let rx = Arc::clone(&job_rx);
        let tx = res_tx.clone();
        handles.push(thread::spawn(move || loop {
            let job = {
                let g = rx.lock().unwrap();
                g.recv()
            };
            match job {
                Ok(Job::Work(n)) => tx.send(n * n).unwrap(),
                Ok(Job::Stop) | Err(_) => break,
            }
        }));
    }
    drop(res_tx);
    for i in 0..100 {
        job_tx.send(Job::Work(i)).unwrap();
    }
    for _ in 0..4 {
        job_tx.send(Job::Stop).unwrap();
    }
    let total: u64 = res_rx.iter().sum();
    for h in handles {
        h.join().unwrap();
    }
    println!("total {}", total);
}
