mod account;
mod ledger;

use std::sync::Arc;

use account::Account;

#[racecheck::main]
fn main() {
    let alice = Arc::new(Account::new(1, 100));
    let bob = Arc::new(Account::new(2, 100));
    let t1 = {
        let (a, b) = (Arc::clone(&alice), Arc::clone(&bob));
        racecheck::Thread::spawn(move || ledger::transfer(&a, &b, 30))
    };
    let t2 = {
        let (a, b) = (Arc::clone(&alice), Arc::clone(&bob));
        racecheck::Thread::spawn(move || ledger::transfer(&b, &a, 20))
    };
    t1.join().unwrap();
    t2.join().unwrap();
    assert_eq!(alice.balance() + bob.balance(), 200);
    println!("{} {}", alice.balance(), bob.balance());
}
