use std::cell::RefCell;

use racecheck::RLock;

pub struct Registry {
    names: RLock<RefCell<Vec<String>>>,
}

impl Registry {
    pub fn new() -> Self {
        Registry { names: RLock::new(RefCell::new(Vec::new())) }
    }
    pub fn register(&self, name: &str) {
        let g = self.names.acquire();
        if !self.contains(name) {
            g.borrow_mut().push(name.to_string());
        }
    }
    pub fn contains(&self, name: &str) -> bool {
        let g = self.names.acquire();
        let found = g.borrow().iter().any(|n| n == name);
        found
    }
    /// Registers a batch atomically: the RLock is re-entered by `register`.
    pub fn register_many(&self, names: &[String]) {
        let _batch = self.names.acquire();
        for n in names {
            self.register(n);
        }
    }
    pub fn count(&self) -> usize {
        let g = self.names.acquire();
        let n = g.borrow().len();
        n
    }
}
