use std::sync::{Arc, Mutex};
use std::thread;

struct Bag {
    items: Mutex<Vec<u32>>,
}

impl Bag {
    fn absorb(&self, other: &Bag) {
        let mut mine = self.items.lock().unwrap();
        let mut theirs = other.items.lock().unwrap();
        mine.append(&mut theirs);
    }
}

fn main() {
    let a = Arc::new(Bag { items: Mutex::new(vec![1]) });
    let b = Arc::new(Bag { items: Mutex::new(vec![2]) });
    let hs: Vec<_> = [a.clone(), b.clone()]
        .into_iter()
        .map(|bag| {
            thread::spawn(move || {
                for i in 0..10 {
                    bag.items.lock().unwrap().push(i);
                }
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    // single-threaded again: a absorbs b
    a.absorb(&b);
    println!("{}", a.items.lock().unwrap().len());
}
