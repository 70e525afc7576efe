/// A single logged mutation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    Put {
        key: String,
        value: Vec<u8>,
        ttl_ms: Option<u64>,
    },
    Delete {
        key: String,
    },
}

impl Change {
    pub fn key(&self) -> &str {
        match self {
            Change::Put { key, .. } | Change::Delete { key } => key,
        }
    }

    pub fn size(&self) -> usize {
        match self {
            Change::Put { key, value, .. } => key.len() + value.len(),
            Change::Delete { key } => key.len(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub lsn: u64,
    pub change: Change,
}

const TAG_PUT: u8 = 1;
const TAG_DELETE: u8 = 2;

impl Record {
    /// `lsn | tag | key_len key | [val_len val ttl] | checksum`
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 + self.change.size());
        out.extend_from_slice(&self.lsn.to_le_bytes());
        match &self.change {
            Change::Put { key, value, ttl_ms } => {
                out.push(TAG_PUT);
                put_bytes(&mut out, key.as_bytes());
                put_bytes(&mut out, value);
                out.extend_from_slice(&ttl_ms.unwrap_or(0).to_le_bytes());
            }
            Change::Delete { key } => {
                out.push(TAG_DELETE);
                put_bytes(&mut out, key.as_bytes());
            }
        }
        let sum = checksum(&out);
        out.extend_from_slice(&sum.to_le_bytes());
        out
    }
}

fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// FNV-1a, good enough to catch torn writes.
pub fn checksum(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for b in bytes {
        hash ^= *b as u32;
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

