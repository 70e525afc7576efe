//! Client connections as seen by a session.

use std::collections::VecDeque;

use super::command::Reply;

pub trait ClientConn: Send {
    fn peer(&self) -> String;
    fn next_request(&mut self) -> Option<String>;
    fn respond(&mut self, reply: Reply);
}

/// Replays a fixed list of commands; used by the load generator.
pub struct ScriptedClient {
    name: String,
    script: VecDeque<String>,
    replies: usize,
    last_error: Option<String>,
}

impl ScriptedClient {
    pub fn new(name: impl Into<String>, script: Vec<String>) -> Self {
        ScriptedClient {
            name: name.into(),
            script: script.into(),
            replies: 0,
            last_error: None,
        }
    }
}

impl ClientConn for ScriptedClient {
    fn peer(&self) -> String {
        format!("{} ({} replies)", self.name, self.replies)
    }

    fn next_request(&mut self) -> Option<String> {
        self.script.pop_front()
    }

    fn respond(&mut self, reply: Reply) {
        self.replies += 1;
        if let Reply::Error(err) = reply {
            self.last_error = Some(err);
        }
    }
}
