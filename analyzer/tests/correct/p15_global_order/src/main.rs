use std::sync::{Arc, Mutex};
use std::thread;

struct Resource {
    rank: usize,
    data: Mutex<Vec<u32>>,
}

fn with_both<F: FnOnce(&mut Vec<u32>, &mut Vec<u32>)>(x: &Resource, y: &Resource, f: F) {
    if x.rank < y.rank {
        let mut gx = x.data.lock().unwrap();
        let mut gy = y.data.lock().unwrap();
        f(&mut gx, &mut gy);
    } else {
        let mut gy = y.data.lock().unwrap();
        let mut gx = x.data.lock().unwrap();
        f(&mut gx, &mut gy);
    }
}

fn main() {
    let r1 = Arc::new(Resource { rank: 1, data: Mutex::new(vec![1, 2, 3]) });
    let r2 = Arc::new(Resource { rank: 2, data: Mutex::new(vec![]) });
    let (x1, y1) = (r1.clone(), r2.clone());
    let t1 = thread::spawn(move || {
        for _ in 0..100 {
            with_both(&x1, &y1, |a, b| {
                if let Some(v) = a.pop() {
                    b.push(v)
                }
            });
        }
    });
    let (x2, y2) = (r1.clone(), r2.clone());
    let t2 = thread::spawn(move || {
        for _ in 0..100 {
            with_both(&y2, &x2, |b, a| {
                if let Some(v) = b.pop() {
                    a.push(v)
                }
            });
        }
    });
    t1.join().unwrap();
    t2.join().unwrap();
    println!("{}", r1.data.lock().unwrap().len() + r2.data.lock().unwrap().len());
}
