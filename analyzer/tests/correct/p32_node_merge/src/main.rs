use std::sync::{Arc, Mutex};
use std::thread;

struct Node {
    id: usize,
    items: Mutex<Vec<u32>>,
}

fn merge_into(dst: &Node, src: &Node) {
    if dst.id == src.id {
        return;
    }
    let (first, second) = if dst.id < src.id { (dst, src) } else { (src, dst) };
    let mut g1 = first.items.lock().unwrap();
    let mut g2 = second.items.lock().unwrap();
    if dst.id < src.id {
        let moved: Vec<u32> = g2.drain(..).collect();
        g1.extend(moved);
    } else {
        let moved: Vec<u32> = g1.drain(..).collect();
        g2.extend(moved);
    }
}

fn main() {
    let a = Arc::new(Node { id: 1, items: Mutex::new(vec![1, 2]) });
    let b = Arc::new(Node { id: 2, items: Mutex::new(vec![3]) });
    let (a1, b1) = (a.clone(), b.clone());
    let t1 = thread::spawn(move || {
        for _ in 0..100 {
            merge_into(&a1, &b1);
        }
    });
    let (a2, b2) = (a.clone(), b.clone());
    let t2 = thread::spawn(move || {
        for _ in 0..100 {
            merge_into(&b2, &a2);
        }
    });
    t1.join().unwrap();
    t2.join().unwrap();
    println!("{}", a.items.lock().unwrap().len() + b.items.lock().unwrap().len());
}
