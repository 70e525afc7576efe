use std::sync::{Arc, Mutex};
use std::thread;

fn with<T, R>(m: &Mutex<T>, f: impl FnOnce(&mut T) -> R) -> R {
    let mut g = m.lock().unwrap();
    f(&mut g)
}

struct Svc {
    users: Mutex<Vec<String>>,
    audit: Mutex<Vec<String>>,
}

impl Svc {
    fn add_user(&self, name: &str) {
        with(&self.users, |u| u.push(name.to_string()));
        with(&self.audit, |a| a.push(format!("add {}", name)));
    }
    fn report(&self) -> usize {
        let n = with(&self.audit, |a| a.len());
        n + with(&self.users, |u| u.len())
    }
}

fn main() {
    let s = Arc::new(Svc { users: Mutex::new(vec![]), audit: Mutex::new(vec![]) });
    let s1 = s.clone();
    let t = thread::spawn(move || {
        for i in 0..50 {
            s1.add_user(&format!("u{}", i));
        }
    });
    let s2 = s.clone();
    let r = thread::spawn(move || (0..50).map(|_| s2.report()).max());
    t.join().unwrap();
    println!("{:?}", r.join().unwrap());
}
