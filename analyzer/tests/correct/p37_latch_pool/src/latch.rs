use racecheck::{Condition, Lock};

pub struct CountDown {
    left: Lock<usize>,
    zero: Condition,
}

impl CountDown {
    pub fn new(n: usize) -> Self {
        CountDown { left: Lock::new(n), zero: Condition::new() }
    }
    pub fn count_down(&self) {
        let mut left = self.left.acquire();
        *left -= 1;
        if *left == 0 {
            self.zero.notify_all();
        }
    }
    pub fn wait(&self) {
        let left = self.left.acquire();
        let _left = self.zero.wait_while(left, |n| *n > 0);
    }
}
