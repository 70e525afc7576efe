use racecheck::Lock;

pub struct Account {
    pub id: u32,
    pub funds: Lock<i64>,
}

impl Account {
    pub fn new(id: u32, funds: i64) -> Self {
        Account { id, funds: Lock::new(funds) }
    }
    pub fn balance(&self) -> i64 {
        *self.funds.acquire()
    }
}
