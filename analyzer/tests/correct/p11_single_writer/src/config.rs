use racecheck::Lock;

pub struct ConfigStore {
    version: Lock<u64>,
}

impl ConfigStore {
    pub fn new() -> Self {
        ConfigStore { version: Lock::new(0) }
    }
    /// Only the main thread calls this; readers never write `version`.
    pub fn bump(&self) {
        let current = *self.version.acquire();
        let next = current + 1;
        println!("publishing version {next}");
        *self.version.acquire() = next;
    }
    pub fn version(&self) -> u64 {
        *self.version.acquire()
    }
}
