//! Where log bytes end up.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use super::record::Record;

pub trait LogSink: Send {
    fn write_batch(&mut self, records: &[Record]) -> io::Result<usize>;
    fn sync(&mut self) -> io::Result<()>;
    fn describe(&self) -> String;
}

fn encode_all(records: &[Record]) -> Vec<u8> {
    records.iter().flat_map(|r| r.encode()).collect()
}

pub struct FileSink {
    path: PathBuf,
    file: File,
}

impl LogSink for FileSink {
    fn write_batch(&mut self, records: &[Record]) -> io::Result<usize> {
        let buf = encode_all(records);
        self.file.write_all(&buf)?;
        Ok(buf.len())
    }

    fn sync(&mut self) -> io::Result<()> {
        self.file.sync_data()
    }

    fn describe(&self) -> String {
        format!("file {}", self.path.display())
    }
}

/// Keeps the log in memory; used when no directory is configured.
#[derive(Default)]
pub struct MemorySink {
    buf: Vec<u8>,
    syncs: u64,
}

impl LogSink for MemorySink {
    fn write_batch(&mut self, records: &[Record]) -> io::Result<usize> {
        let buf = encode_all(records);
        self.buf.extend_from_slice(&buf);
        Ok(buf.len())
    }

    fn sync(&mut self) -> io::Result<()> {
        self.syncs += 1;
        Ok(())
    }

    fn describe(&self) -> String {
        format!("memory ({} bytes, {} syncs)", self.buf.len(), self.syncs)
    }
}

pub fn open_sink(dir: Option<&Path>) -> Box<dyn LogSink> {
    let Some(dir) = dir else {
        return Box::new(MemorySink::default());
    };
    let path = dir.join(format!("kvstore-{}.wal", std::process::id()));
    let opened = fs::create_dir_all(dir).and_then(|_| OpenOptions::new().create(true).append(true).open(&path));
    match opened {
        Ok(file) => Box::new(FileSink { path, file }),
        Err(err) => {
            eprintln!("wal: cannot open {}: {err}; keeping the log in memory", path.display());
            Box::new(MemorySink::default())
        }
    }
}
