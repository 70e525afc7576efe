use std::sync::Mutex;

pub struct OrderBook {
    orders: Mutex<Vec<(String, usize)>>,
}

impl OrderBook {
    pub fn new() -> Self {
        OrderBook { orders: Mutex::new(Vec::new()) }
    }
    pub fn record(&self, item: &str, who: usize) {
        self.orders.lock().unwrap().push((item.to_string(), who));
    }
    pub fn count(&self) -> usize {
        self.orders.lock().unwrap().len()
    }
}
