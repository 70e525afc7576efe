use racecheck::Lock;

pub struct Account {
    pub balance: i64,
    pub ops: u32,
}

pub struct Bank {
    accounts: Vec<Lock<Account>>,
}

impl Bank {
    pub fn new(n: usize, initial: i64) -> Self {
        Bank { accounts: (0..n).map(|_| Lock::new(Account { balance: initial, ops: 0 })).collect() }
    }

    pub fn transfer(&self, from: usize, to: usize, amount: i64) -> bool {
        if from == to {
            return false;
        }
        let (lo, hi) = (from.min(to), from.max(to));
        let mut first = self.accounts[lo].acquire();
        let mut second = self.accounts[hi].acquire();
        let (src, dst) = if from == lo { (&mut *first, &mut *second) } else { (&mut *second, &mut *first) };
        if src.balance < amount {
            return false;
        }
        src.balance -= amount;
        dst.balance += amount;
        src.ops += 1;
        dst.ops += 1;
        true
    }

    pub fn total(&self) -> i64 {
        self.accounts.iter().map(|a| a.acquire().balance).sum()
    }
}
