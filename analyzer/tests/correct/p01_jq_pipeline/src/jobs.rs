#[derive(Debug)]
pub enum Job {
    Resize { id: u32, width: u32 },
    Bad(u32),
}

impl Job {
    pub fn run(&self) -> Result<u32, String> {
        match self {
            Job::Resize { id, width } => Ok(id + width),
            Job::Bad(id) => Err(format!("job {id} is malformed")),
        }
    }
}
