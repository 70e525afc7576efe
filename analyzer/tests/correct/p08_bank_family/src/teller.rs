use std::sync::Arc;

use racecheck::{JoinHandle, Thread};

use crate::bank::Bank;

pub fn spawn(bank: Arc<Bank>, plan: Vec<(usize, usize, i64)>) -> JoinHandle<usize> {
    Thread::spawn(move || plan.into_iter().filter(|&(f, t, a)| bank.transfer(f, t, a)).count())
}
