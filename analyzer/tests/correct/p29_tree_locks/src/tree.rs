use std::sync::Arc;

use racecheck::Lock;

/// Every thread locks top-down (a parent before its children), never bottom-up.
pub struct Node {
    value: Lock<u64>,
    children: Vec<Arc<Node>>,
}

impl Node {
    pub fn build(depth: u32, fanout: usize) -> Arc<Node> {
        let children = if depth == 0 { Vec::new() } else { (0..fanout).map(|_| Node::build(depth - 1, fanout)).collect() };
        Arc::new(Node { value: Lock::new(0), children })
    }
    /// Adds `d` to this node and, while still holding it, to each child in turn.
    pub fn add_all(&self, d: u64) {
        let mut mine = self.value.acquire();
        *mine += d;
        for child in &self.children {
            let mut theirs = child.value.acquire();
            *theirs += d;
        }
        drop(mine);
        for child in &self.children {
            child.add_all_below(d);
        }
    }
    fn add_all_below(&self, d: u64) {
        let _mine = self.value.acquire();
        for child in &self.children {
            let mut theirs = child.value.acquire();
            *theirs += d;
        }
    }
    pub fn sum(&self) -> u64 {
        let own = *self.value.acquire();
        own + self.children.iter().map(|c| c.sum()).sum::<u64>()
    }
}
