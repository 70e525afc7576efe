//! Minimal request/response model shared by every layer of the gateway.

use std::fmt;
use std::time::Instant;

pub type ClientId = u32;
pub type RequestId = u64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    Get,
    Post,
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Method::Get => write!(f, "GET"),
            Method::Post => write!(f, "POST"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Request {
    pub id: RequestId,
    pub client: ClientId,
    pub method: Method,
    pub path: String,
    pub api_key: Option<String>,
    pub body: Vec<u8>,
    pub received_at: Instant,
}

impl Request {
    pub fn new(client: ClientId, method: Method, path: &str, api_key: Option<&str>) -> Self {
        Request {
            id: 0,
            client,
            method,
            path: path.to_string(),
            api_key: api_key.map(str::to_string),
            body: Vec::new(),
            received_at: Instant::now(),
        }
    }

    pub fn cache_key(&self) -> String {
        format!("{} {}", self.method, self.path)
    }
}

#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub body: Vec<u8>,
    pub upstream: Option<usize>,
    pub headers: Vec<(String, String)>,
}

impl Response {
    pub fn ok(body: Vec<u8>, upstream: usize) -> Self {
        Response {
            status: 200,
            body,
            upstream: Some(upstream),
            headers: Vec::new(),
        }
    }

    pub fn error(status: u16, msg: &str) -> Self {
        Response {
            status,
            body: msg.as_bytes().to_vec(),
            upstream: None,
            headers: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}
