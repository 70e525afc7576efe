//! Text protocol: one command per line, whitespace separated.

use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Get(String),
    GetTtl(String),
    Set {
        key: String,
        value: String,
        ttl: Option<Duration>,
        replicated: bool,
    },
    Del(String),
    Incr(String, i64),
    Transfer {
        from: String,
        to: String,
        amount: i64,
    },
    Swap(String, String),
    Rename(String, String),
    Sync,
    Snapshot,
    SnapWait(u64),
    Compact,
    Stats,
    Quit,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Ok,
    Value(Vec<u8>),
    Int(i64),
    Nil,
    Text(String),
    Error(String),
}

impl Reply {
    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }
}

fn arg<'a>(parts: &[&'a str], i: usize, name: &str) -> Result<&'a str, String> {
    parts.get(i).copied().ok_or_else(|| format!("missing {name}"))
}

fn int(parts: &[&str], i: usize, name: &str) -> Result<i64, String> {
    arg(parts, i, name)?
        .parse()
        .map_err(|_| format!("{name} must be an integer"))
}

impl Command {
    pub fn parse(line: &str) -> Result<Command, String> {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let verb = parts.first().ok_or("empty command")?.to_ascii_uppercase();
        let key = |i: usize| arg(&parts, i, "key").map(str::to_string);
        let cmd = match verb.as_str() {
            "GET" => Command::Get(key(1)?),
            "TTL" => Command::GetTtl(key(1)?),
            "SET" | "SETR" => {
                let ttl = match parts.get(3).map(|p| p.to_ascii_uppercase()) {
                    None => None,
                    Some(opt) if opt == "PX" => Some(Duration::from_millis(int(&parts, 4, "ttl")?.max(0) as u64)),
                    Some(opt) => return Err(format!("unknown SET option `{opt}`")),
                };
                Command::Set {
                    key: key(1)?,
                    value: arg(&parts, 2, "value")?.to_string(),
                    ttl,
                    replicated: verb == "SETR",
                }
            }
            "DEL" => Command::Del(key(1)?),
            "INCR" => Command::Incr(key(1)?, 1),
            "INCRBY" => Command::Incr(key(1)?, int(&parts, 2, "delta")?),
            "TRANSFER" => Command::Transfer {
                from: key(1)?,
                to: key(2)?,
                amount: int(&parts, 3, "amount")?,
            },
            "SWAP" => Command::Swap(key(1)?, key(2)?),
            "RENAME" => Command::Rename(key(1)?, key(2)?),
            "SYNC" => Command::Sync,
            "SNAPSHOT" => Command::Snapshot,
            "SNAPWAIT" => Command::SnapWait(int(&parts, 1, "generation")? as u64),
            "COMPACT" => Command::Compact,
            "STATS" => Command::Stats,
            "QUIT" => Command::Quit,
            other => return Err(format!("unknown command `{other}`")),
        };
        Ok(cmd)
    }
}

