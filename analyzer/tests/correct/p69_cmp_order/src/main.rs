use std::cmp::Ordering;
use std::sync::{Arc, Mutex};
use std::thread;

fn swap_vals(v: &[Mutex<u32>], i: usize, j: usize) {
    match i.cmp(&j) {
        Ordering::Equal => {}
        Ordering::Less => {
            let mut a = v[i].lock().unwrap();
            let mut b = v[j].lock().unwrap();
            std::mem::swap(&mut *a, &mut *b);
        }
        Ordering::Greater => {
            let mut b = v[j].lock().unwrap();
            let mut a = v[i].lock().unwrap();
            std::mem::swap(&mut *a, &mut *b);
        }
    }
}

fn main() {
    let v: Arc<Vec<Mutex<u32>>> = Arc::new((0..3).map(Mutex::new).collect());
    let hs: Vec<_> = (0..3)
        .map(|t| {
            let v = v.clone();
            thread::spawn(move || {
                for k in 0..100 {
                    swap_vals(&v, (t + k) % 3, (t + 2 * k) % 3);
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("{:?}", v.iter().map(|m| *m.lock().unwrap()).collect::<Vec<_>>());
}
