use std::collections::HashMap;
use std::sync::Mutex;

pub struct Inventory {
    items: Mutex<HashMap<String, u32>>,
}

impl Inventory {
    pub fn new() -> Self {
        Inventory { items: Mutex::new(HashMap::new()) }
    }
    pub fn restock(&self, name: &str, n: u32) {
        *self.items.lock().unwrap().entry(name.to_string()).or_insert(0) += n;
    }
    pub fn take(&self, name: &str, n: u32) -> bool {
        let mut items = self.items.lock().unwrap();
        match items.get_mut(name) {
            Some(c) if *c >= n => {
                *c -= n;
                true
            }
            _ => false,
        }
    }
    pub fn stock(&self, name: &str) -> u32 {
        self.items.lock().unwrap().get(name).copied().unwrap_or(0)
    }
}
