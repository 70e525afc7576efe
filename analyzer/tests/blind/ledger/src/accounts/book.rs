use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, RwLock};
use super::{AccountId, AccountKind, LedgerError};

#[derive(Debug)]
pub struct Account {
    pub id: AccountId,
    pub owner: String,
    pub kind: AccountKind,
    pub balance: i64,
}

pub struct Book {
    accounts: Vec<Mutex<Account>>,
    aliases: RwLock<HashMap<String, AccountId>>,
}

impl Book {
    pub fn with_accounts<S: Into<String>>(seed: impl IntoIterator<Item = (S, AccountKind, i64)>) -> Self {
        let (mut accounts, mut aliases) = (Vec::new(), HashMap::new());
        for (n, (owner, kind, balance)) in seed.into_iter().enumerate() {
            let (id, owner) = (AccountId(n as u32), owner.into());
            aliases.insert(owner.clone(), id);
            accounts.push(Mutex::new(Account { id, owner, kind, balance }));
        }
        Book { accounts, aliases: RwLock::new(aliases) }
    }

    pub fn ids(&self) -> impl Iterator<Item = AccountId> {
        (0..self.accounts.len() as u32).map(AccountId)
    }

    fn slot(&self, id: AccountId) -> Result<&Mutex<Account>, LedgerError> {
        self.accounts.get(id.0 as usize).ok_or(LedgerError::UnknownAccount(id))
    }

    pub fn account(&self, id: AccountId) -> Result<MutexGuard<'_, Account>, LedgerError> {
        self.slot(id)?.lock().map_err(|_| LedgerError::Poisoned)
    }

    pub fn try_account(&self, id: AccountId) -> Result<Option<MutexGuard<'_, Account>>, LedgerError> {
        Ok(self.slot(id)?.try_lock().ok())
    }

    pub fn balance(&self, id: AccountId) -> Result<i64, LedgerError> {
        Ok(self.account(id)?.balance)
    }

    pub fn set_balance(&self, id: AccountId, balance: i64) -> Result<(), LedgerError> {
        self.account(id)?.balance = balance;
        Ok(())
    }

    pub fn link_alias(&self, alias: &str, id: AccountId) -> Result<(), LedgerError> {
        self.slot(id)?;
        let aliases = self.aliases.read().map_err(|_| LedgerError::Poisoned)?;
        if aliases.get(alias) != Some(&id) {
            self.aliases.write().map_err(|_| LedgerError::Poisoned)?.insert(alias.to_string(), id); // PLANTED: double-lock: read guard `aliases` is still alive when write() is requested on the same RwLock
        }
        Ok(())
    }

    pub fn resolve_or_link(&self, alias: &str, id: AccountId) -> Result<AccountId, LedgerError> {
        let known = self.aliases.read().map_err(|_| LedgerError::Poisoned)?.get(alias).copied();
        match known {
            Some(existing) => Ok(existing),
            None => Ok(*self.aliases.write().map_err(|_| LedgerError::Poisoned)?.entry(alias.into()).or_insert(id)), // CLEAN: double-lock: the read guard was a temporary of the `let known` statement and is gone
        }
    }
}
