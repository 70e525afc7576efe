//! `Shared`: each access atomic, a read-modify-write pair only under a lock.

use racecheck::{Lock, Shared, Thread};

#[test]
fn get_returns_the_last_set() {
    let value = Shared::new(1.5f64);
    value.set(2.5);
    assert_eq!(value.get(), 2.5);
    assert_eq!(format!("{value:?}"), "Shared(2.5)");
    assert_eq!(Shared::<u8>::default().get(), 0);
}

#[test]
fn guarded_increments_are_all_kept() {
    static COUNTER: Shared<u64> = Shared::new(0);
    static GUARD: Lock = Lock::new(());
    let workers: Vec<_> = (0..4)
        .map(|_| {
            Thread::spawn(|| {
                for _ in 0..5_000 {
                    let _guard = GUARD.acquire();
                    COUNTER.set(COUNTER.get() + 1);
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    assert_eq!(COUNTER.get(), 20_000);
}

#[test]
fn a_value_wider_than_a_word_is_never_torn() {
    static PAIR: Shared<[u64; 4]> = Shared::new([0; 4]);
    let writers: Vec<_> = (1..=2u64)
        .map(|n| Thread::spawn(move || (0..10_000).for_each(|_| PAIR.set([n; 4]))))
        .collect();
    for _ in 0..10_000 {
        let seen = PAIR.get();
        assert!(seen.iter().all(|&x| x == seen[0]), "torn read {seen:?}");
    }
    for writer in writers {
        writer.join().unwrap();
    }
}
