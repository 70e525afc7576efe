//! Middleware chain. Layers are trait objects kept behind a lock so that the
//! admin API can add layers at run time.

pub mod builtin;

use std::sync::{Arc, RwLock};

use crate::http::{Request, Response};

pub enum Verdict {
    Continue,
    Reject(Response),
}

pub trait Middleware: Send + Sync {
    fn name(&self) -> &str;

    fn on_request(&self, req: &mut Request) -> Verdict;

    fn on_response(&self, _req: &Request, _resp: &mut Response) {}
}

#[derive(Default)]
pub struct Chain {
    layers: RwLock<Vec<Arc<dyn Middleware>>>,
}

impl Chain {
    pub fn new() -> Chain {
        Chain::default()
    }

    pub fn push(&self, layer: Arc<dyn Middleware>) {
        self.layers.write().unwrap().push(layer);
    }

    /// Runs every layer in order; the first rejection short-circuits.
    pub fn run_request(&self, req: &mut Request) -> Option<Response> {
        let layers = self.layers.read().unwrap();
        for layer in layers.iter() {
            if let Verdict::Reject(resp) = layer.on_request(req) {
                return Some(resp.with_header("x-rejected-by", layer.name()));
            }
        }
        None
    }

    /// Response hooks run in reverse order, like unwinding a stack.
    pub fn run_response(&self, req: &Request, resp: &mut Response) {
        let layers = self.layers.read().unwrap();
        for layer in layers.iter().rev() {
            layer.on_response(req, resp);
        }
    }

    pub fn names(&self) -> Vec<String> {
        self.layers
            .read()
            .unwrap()
            .iter()
            .map(|l| l.name().to_string())
            .collect()
    }
}
