pub mod registry;
pub mod retry;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct JobId(pub u64);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobState { Pending, Running, Done, Failed, Cancelled }

#[derive(Clone, Debug, Default)]
pub struct Job {
    pub id: JobId,
    pub name: String,
    pub tenant: String,
    pub priority: u8,
    pub cost: u64,
    pub work_ms: u64,
    pub fail_times: u32,
    pub attempt: u32,
    pub affinity: Option<usize>,
}

pub trait JobHook: Send + Sync {
    fn on_event(&self, id: JobId, state: JobState);
}
