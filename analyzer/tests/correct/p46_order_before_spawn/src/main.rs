use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let index = Arc::new(Mutex::new(Vec::<u32>::new()));
    let data = Arc::new(Mutex::new(Vec::<u32>::new()));
    {
        // setup, before any other thread exists: data then index
        let mut d = data.lock().unwrap();
        let mut i = index.lock().unwrap();
        d.push(0);
        i.push(0);
    }
    let hs: Vec<_> = (1..4)
        .map(|k| {
            let (index, data) = (index.clone(), data.clone());
            thread::spawn(move || {
                let mut i = index.lock().unwrap();
                let mut d = data.lock().unwrap();
                i.push(d.len() as u32);
                d.push(k);
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("{}", data.lock().unwrap().len());
}
