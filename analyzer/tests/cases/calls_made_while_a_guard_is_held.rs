//! Calls made while a guard is held: the second acquisition (D001, D002) or the blocking wait
//! (D003) happens in a callee, and each finding names the calls from the function that holds
//! the guard down to the inner operation.
use racecheck::{Lock, Queue, Thread};
use std::sync::Arc;

struct Bank {
    accounts: Lock<Vec<u64>>,
    audit: Lock<Vec<String>>,
    jobs: Queue<u64>,
}

impl Bank {
    fn transfer(&self, amount: u64) {
        let mut accounts = self.accounts.acquire();
        accounts[0] -= amount;
        self.record(amount);
    }

    fn record(&self, amount: u64) {
        self.write_log(format!("moved {amount}"));
    }

    fn write_log(&self, line: String) {
        self.audit.acquire().push(line); //~ D001
    }

    fn report(&self) -> u64 {
        let _log = self.audit.acquire();
        self.balance()
    }

    fn balance(&self) -> u64 {
        self.accounts.acquire().iter().sum() //~ D002
    }

    fn close(&self) -> u64 {
        let _accounts = self.accounts.acquire();
        self.balance()
    }

    fn submit(&self, job: u64) {
        self.write_log(format!("job {job}"));
        self.jobs.put(job);
    }

    fn serve(&self) -> u64 {
        let _log = self.audit.acquire();
        self.next_job()
    }

    fn next_job(&self) -> u64 {
        self.jobs.get() //~ D003
    }
}

fn main() {
    let bank = Arc::new(Bank {
        accounts: Lock::new(vec![10, 20]),
        audit: Lock::new(Vec::new()),
        jobs: Queue::new(),
    });
    let teller = Arc::clone(&bank);
    let t = Thread::new(move || {
        teller.transfer(5);
        teller.submit(1);
    })
    .name("teller")
    .start();
    println!("{} {} {}", bank.report(), bank.serve(), bank.close());
    t.join().unwrap();
}
