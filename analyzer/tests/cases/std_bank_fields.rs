//! Two `Mutex` fields of one `Arc`-shared struct, taken in opposite orders by two methods run on
//! threads that each got a clone of the `Arc`; the guards come through `?`.
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

struct Bank {
    checking: Mutex<i64>,
    savings: Mutex<i64>,
}

impl Bank {
    fn sweep(&self) -> Result<(), PoisonError<()>> {
        let mut checking = self.checking.lock().map_err(|_| PoisonError::new(()))?;
        let mut savings = self.savings.lock().map_err(|_| PoisonError::new(()))?; //~ D001
        *savings += *checking;
        *checking = 0;
        Ok(())
    }

    fn top_up(&self) {
        let mut savings = self.savings.lock().unwrap_or_else(PoisonError::into_inner);
        let mut checking = self.checking.lock().unwrap_or_else(PoisonError::into_inner);
        *checking += 10;
        *savings -= 10;
    }
}

fn main() {
    let bank = Arc::new(Bank {
        checking: Mutex::new(50),
        savings: Mutex::new(0),
    });
    let sweeper = {
        let bank = Arc::clone(&bank);
        thread::spawn(move || bank.sweep())
    };
    let bank2 = bank.clone();
    let topper = thread::spawn(move || bank2.top_up());
    sweeper.join().unwrap().unwrap();
    topper.join().unwrap();
}
