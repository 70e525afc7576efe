use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TxnError {
    SameKey,
    NotANumber(String),
    Insufficient { key: String, balance: i64, wanted: i64 },
    Missing(String),
    Contended,
}

impl fmt::Display for TxnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TxnError::SameKey => write!(f, "source and destination are the same key"),
            TxnError::NotANumber(key) => write!(f, "value of `{key}` is not an integer"),
            TxnError::Insufficient { key, balance, wanted } => {
                write!(f, "`{key}` holds {balance}, cannot take {wanted}")
            }
            TxnError::Missing(key) => write!(f, "`{key}` does not exist"),
            TxnError::Contended => write!(f, "gave up after repeated lock contention"),
        }
    }
}

impl std::error::Error for TxnError {}

/// What a committed two-key transaction wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TxnOutcome {
    pub first: (String, i64),
    pub second: (String, i64),
    pub lsn: u64,
}

impl TxnOutcome {
    pub fn pair(k1: &str, v1: i64, k2: &str, v2: i64, lsn: u64) -> Self {
        TxnOutcome {
            first: (k1.to_string(), v1),
            second: (k2.to_string(), v2),
            lsn,
        }
    }

    pub fn describe(&self) -> String {
        format!(
            "{}={} {}={} @{}",
            self.first.0, self.first.1, self.second.0, self.second.1, self.lsn
        )
    }
}
