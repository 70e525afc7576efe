//! A std `RwLock`: two reads on one thread are not a double lock (std makes no promise that a
//! queued writer blocks the second), but writing while reading, or reading while writing, waits
//! for the thread itself.
use std::sync::RwLock;

static CONFIG: RwLock<Vec<u32>> = RwLock::new(Vec::new());

fn both_read() -> usize {
    let first = CONFIG.read().unwrap();
    let second = CONFIG.read().unwrap();
    first.len() + second.len()
}

fn read_then_write() {
    let current = CONFIG.read().unwrap();
    if current.is_empty() {
        CONFIG.write().unwrap().push(1); //~ D002
    }
}

fn write_then_read() {
    let mut config = CONFIG.write().unwrap();
    config.push(2);
    let len = CONFIG.read().unwrap().len(); //~ D002
    config.push(len as u32);
}

fn main() {
    both_read();
    read_then_write();
    write_then_read();
}
