use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;

fn lock_sorted<'a>(accts: &'a [Mutex<i64>], ids: &[usize]) -> Vec<(usize, MutexGuard<'a, i64>)> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter().map(|i| (i, accts[i].lock().unwrap())).collect()
}

fn audit_all(accts: &[Mutex<i64>]) -> i64 {
    let guards: Vec<_> = accts.iter().map(|m| m.lock().unwrap()).collect();
    guards.iter().map(|g| **g).sum()
}

fn main() {
    let accts: Arc<Vec<Mutex<i64>>> = Arc::new((0..5).map(|_| Mutex::new(100)).collect());
    let hs: Vec<_> = (0..4)
        .map(|t| {
            let a = Arc::clone(&accts);
            thread::spawn(move || {
                for i in 0..100 {
                    let ids = [(t + i) % 5, (t * 3 + i) % 5, (i * 7) % 5];
                    let mut gs = lock_sorted(&a, &ids);
                    let n = gs.len() as i64;
                    if n > 1 {
                        *gs[0].1 -= n - 1;
                        for (_, g) in gs.iter_mut().skip(1) {
                            **g += 1;
                        }
                    }
                }
            })
        })
        .collect();
    let a = Arc::clone(&accts);
    let auditor = thread::spawn(move || (0..10).map(|_| audit_all(&a)).collect::<Vec<_>>());
    for h in hs {
        h.join().unwrap();
    }
    println!("{:?}", auditor.join().unwrap());
}
