use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let registry = Arc::new(Mutex::new(Vec::<String>::new()));
    let (ready_tx, ready_rx) = channel::<()>();
    let r2 = Arc::clone(&registry);
    let worker = thread::spawn(move || {
        r2.lock().unwrap().push("worker registered".into());
        ready_tx.send(()).unwrap();
        // long-running work that no longer touches the registry
        (0..1_000_000u64).sum::<u64>()
    });
    ready_rx.recv().unwrap();
    let mut reg = registry.lock().unwrap();
    reg.push("main saw worker".into());
    let total = worker.join().unwrap();
    reg.push(format!("worker result {}", total));
    println!("{:?}", *reg);
}
