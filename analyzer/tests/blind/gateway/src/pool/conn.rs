//! A simulated keep-alive connection to one upstream server.

use std::thread;
use std::time::Duration;

use crate::http::{Request, Response};

const MAX_REQUESTS_PER_CONN: u64 = 500;

#[derive(Debug)]
pub enum UpstreamError {
    Reset,
    Timeout,
}

#[derive(Debug)]
pub struct Conn {
    pub id: u64,
    pub upstream: usize,
    pub addr: String,
    served: u64,
    broken: bool,
}

impl Conn {
    pub fn open(upstream: usize, addr: &str, id: u64) -> Conn {
        Conn {
            id,
            upstream,
            addr: addr.to_string(),
            served: 0,
            broken: false,
        }
    }

    /// Sends the request and waits for the upstream's answer. Failures are
    /// deterministic in the request id so that runs are reproducible.
    pub fn roundtrip(&mut self, req: &Request) -> Result<Response, UpstreamError> {
        thread::sleep(Duration::from_micros(200 + (req.id % 7) * 50));
        self.served += 1;
        if (req.id + self.upstream as u64 * 3) % 13 == 0 {
            self.broken = true;
            return Err(UpstreamError::Reset);
        }
        if req.id % 29 == 0 {
            return Err(UpstreamError::Timeout);
        }
        let body = format!("{} from {} via conn#{}", req.path, self.addr, self.id);
        Ok(Response::ok(body.into_bytes(), self.upstream))
    }

    /// Health probe. Upstream 2 is flaky in rounds 3..5 of every 8.
    pub fn ping(&mut self, round: u64) -> bool {
        thread::sleep(Duration::from_micros(100));
        !(self.upstream == 2 && (3..5).contains(&(round % 8)))
    }

    pub fn is_reusable(&self) -> bool {
        !self.broken && self.served < MAX_REQUESTS_PER_CONN
    }
}
