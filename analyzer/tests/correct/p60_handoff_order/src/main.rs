use std::sync::mpsc::channel;
use std::sync::{Arc, Mutex};
use std::thread;

fn main() {
    let x = Arc::new(Mutex::new(0u32));
    let y = Arc::new(Mutex::new(0u32));
    let (tx, rx) = channel::<u32>();
    let (x1, y1) = (x.clone(), y.clone());
    let a = thread::spawn(move || {
        let v = {
            let mut gx = x1.lock().unwrap();
            let mut gy = y1.lock().unwrap();
            *gx += 1;
            *gy += 2;
            *gx + *gy
        };
        tx.send(v).unwrap();
    });
    let (x2, y2) = (x.clone(), y.clone());
    let b = thread::spawn(move || {
        let v = rx.recv().unwrap();
        let mut gy = y2.lock().unwrap();
        let mut gx = x2.lock().unwrap();
        *gy += v;
        *gx += v;
    });
    a.join().unwrap();
    b.join().unwrap();
    println!("{} {}", x.lock().unwrap(), y.lock().unwrap());
}
