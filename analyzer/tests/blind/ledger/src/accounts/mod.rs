mod book;

pub use book::{Account, Book};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(pub u32);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AccountKind { Checking, Savings, Internal }

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerError {
    UnknownAccount(AccountId),
    SameAccount(AccountId),
    Insufficient(AccountId),
    LimitExceeded { id: AccountId, cap: i64, requested: i64 },
    Busy(AccountId),
    Poisoned,
}
