//! The messages between a client and an object server: one [`Request`] frame, one [`Reply`]
//! frame. Items travel in their serde (JSON) form.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An operation on one served object.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Request {
    pub(crate) object: u64,
    pub(crate) op: Op,
    /// Sent without waiting: the server answers only if it fails, with
    /// [`Reply::Unacknowledged`].
    #[serde(default)]
    pub(crate) unacknowledged: bool,
}

impl Request {
    /// A request whose reply its sender waits for.
    pub(crate) fn awaited(object: u64, op: Op) -> Request {
        Request {
            object,
            op,
            unacknowledged: false,
        }
    }

    /// Whether applying it may wait. A get or a pipe's `recv` does not (the client waits in its
    /// channel's hand-off, `handoff.rs`), nor does a request sent without waiting (a put into an
    /// unbounded queue, a send).
    pub(crate) fn may_block(&self) -> bool {
        if self.unacknowledged {
            return false;
        }
        match self.op {
            Op::Put { wait, .. }
            | Op::Acquire { wait }
            | Op::WaitSet { wait }
            | Op::Poll { wait } => !matches!(wait, Wait::Never),
            Op::JoinTasks => true,
            _ => false,
        }
    }
}

/// How long a blocking operation may wait.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(crate) enum Wait {
    Never,
    Forever,
    Millis(u64),
}

impl Wait {
    pub(crate) fn timeout(d: Duration) -> Self {
        Wait::Millis(u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
    }
}

/// What a kind of object a [`Manager`](crate::Manager) serves by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) enum Kind {
    Queue,
    JoinableQueue,
    Event,
    Lock,
    Dict,
    List,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Op {
    // Queue, JoinableQueue
    Put { item: Value, wait: Wait },
    Get { wait: Wait },
    Len,
    Capacity,
    TaskDone,
    JoinTasks,
    // Event
    Set,
    Clear,
    IsSet,
    WaitSet { wait: Wait },
    // Lock
    Acquire { wait: Wait },
    Release,
    Locked,
    // one end of a Pipe
    Send { item: Value },
    Recv,
    Poll { wait: Wait },
    Close,
    // Dict
    DictGet { key: Value },
    DictInsert { key: Value, value: Value },
    DictRemove { key: Value },
    DictItems,
    // List
    ListPush { item: Value },
    ListGet { index: usize },
    ListSet { index: usize, item: Value },
    ListItems,
    // the server itself (object 0): a named object, created on first use
    Open { name: String, kind: Kind },
    // the server itself: answered once every request before it on the connection is applied
    Sync,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) enum Reply {
    Done,
    Flag(bool),
    Count(usize),
    Capacity(Option<usize>),
    Item(Value),
    Nothing,
    Items(Vec<Value>),
    Pairs(Vec<(Value, Value)>),
    Object(u64),
    /// The request was understood and refused; the server's explanation.
    Refused(String),
    /// A request to `object` sent without waiting failed: its reply.
    Unacknowledged {
        object: u64,
        reply: Box<Reply>,
    },
}
