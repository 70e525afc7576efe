use crate::account::Account;

/// Locks the two accounts in id order, whichever direction the money goes.
pub fn transfer(from: &Account, to: &Account, amount: i64) -> bool {
    let (first, second) = if from.id < to.id { (from, to) } else { (to, from) };
    let mut g1 = first.funds.acquire();
    let mut g2 = second.funds.acquire();
    let (src, dst) = if from.id < to.id { (&mut *g1, &mut *g2) } else { (&mut *g2, &mut *g1) };
    if *src < amount {
        return false;
    }
    *src -= amount;
    *dst += amount;
    true
}
