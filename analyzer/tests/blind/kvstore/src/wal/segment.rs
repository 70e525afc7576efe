use super::record::Record;

/// A run of consecutive log records. The active segment receives records as
/// they become durable; once full it is sealed and becomes eligible for
/// compaction.
#[derive(Clone, Debug)]
pub struct Segment {
    pub id: u64,
    pub records: Vec<Record>,
    pub sealed: bool,
}

impl Segment {
    pub fn new(id: u64) -> Self {
        Segment { id, records: Vec::new(), sealed: false }
    }

    pub fn from_records(id: u64, records: Vec<Record>) -> Self {
        Segment { id, records, sealed: true }
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn first_lsn(&self) -> Option<u64> {
        self.records.first().map(|r| r.lsn)
    }

    pub fn records_after(&self, lsn: u64) -> impl Iterator<Item = &Record> {
        self.records.iter().filter(move |r| r.lsn > lsn)
    }
}
