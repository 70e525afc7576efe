use std::collections::HashMap;
use std::io;

pub trait SnapshotStore {
    fn name(&self) -> &'static str;
    fn put(&mut self, key: &str, bytes: Vec<u8>) -> io::Result<()>;
    fn get(&self, key: &str) -> Option<Vec<u8>>;
    fn len(&self) -> usize;
    fn bytes_written(&self) -> u64;
}

/// Keeps the latest value of every key; the write counter is what the
/// exit report prints.
#[derive(Default)]
pub struct MemoryStore {
    entries: HashMap<String, Vec<u8>>,
    written: u64,
}

impl SnapshotStore for MemoryStore {
    fn name(&self) -> &'static str {
        "memory"
    }

    fn put(&mut self, key: &str, bytes: Vec<u8>) -> io::Result<()> {
        self.written += bytes.len() as u64;
        self.entries.insert(key.to_string(), bytes);
        Ok(())
    }

    fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.entries.get(key).cloned()
    }

    fn len(&self) -> usize {
        self.entries.len()
    }

    fn bytes_written(&self) -> u64 {
        self.written
    }
}
