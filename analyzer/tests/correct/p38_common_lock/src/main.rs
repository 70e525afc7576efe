use std::sync::{Arc, Mutex};
use std::thread;

struct Graph {
    big: Mutex<()>,
    nodes: Mutex<Vec<u32>>,
    edges: Mutex<Vec<(u32, u32)>>,
}

fn add_edge(g: &Graph, a: u32, b: u32) {
    let _all = g.big.lock().unwrap();
    let mut e = g.edges.lock().unwrap();
    let mut n = g.nodes.lock().unwrap();
    n.push(a);
    n.push(b);
    e.push((a, b));
}

fn remove_node(g: &Graph, a: u32) {
    let _all = g.big.lock().unwrap();
    let mut n = g.nodes.lock().unwrap();
    let mut e = g.edges.lock().unwrap();
    n.retain(|&x| x != a);
    e.retain(|&(x, y)| x != a && y != a);
}

fn main() {
    let g = Arc::new(Graph { big: Mutex::new(()), nodes: Mutex::new(vec![]), edges: Mutex::new(vec![]) });
    let g1 = g.clone();
    let t1 = thread::spawn(move || {
        for i in 0..100 {
            add_edge(&g1, i, i + 1);
        }
    });
    let g2 = g.clone();
    let t2 = thread::spawn(move || {
        for i in 0..100 {
            remove_node(&g2, i);
        }
    });
    t1.join().unwrap();
    t2.join().unwrap();
    println!("{}", g.nodes.lock().unwrap().len());
}
