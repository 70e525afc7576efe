use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let users = Arc::new(Mutex::new(vec![String::from("root")]));
    let groups = Arc::new(Mutex::new(vec![String::from("wheel")]));
    // phase 1: importer locks users then groups
    let (u, g) = (users.clone(), groups.clone());
    let importer = thread::spawn(move || {
        let mut us = u.lock().unwrap();
        let mut gs = g.lock().unwrap();
        us.push("alice".into());
        gs.push("staff".into());
    });
    importer.join().unwrap();
    // phase 2 (after join): reporter locks groups then users
    let (u, g) = (users.clone(), groups.clone());
    let reporter = thread::spawn(move || {
        let gs = g.lock().unwrap();
        let us = u.lock().unwrap();
        format!("{} users, {} groups", us.len(), gs.len())
    });
    println!("{}", reporter.join().unwrap());
}
