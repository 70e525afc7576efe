//! One client session: reads commands from its connection and executes them
//! against the engine.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::client::ClientConn;
use super::command::{Command, Reply};
use super::{Server, SessionId};

const SNAPWAIT_TIMEOUT: Duration = Duration::from_millis(500);

fn reply<T, E: std::fmt::Display>(result: Result<T, E>, ok: impl FnOnce(T) -> Reply) -> Reply {
    match result {
        Ok(v) => ok(v),
        Err(err) => Reply::Error(err.to_string()),
    }
}

#[derive(Debug, Clone, Default)]
pub struct SessionSummary {
    pub id: SessionId,
    pub peer: String,
    pub handled: u64,
    pub errors: u64,
    pub elapsed: Duration,
}

pub struct Session {
    server: Arc<Server>,
    conn: Box<dyn ClientConn>,
    summary: SessionSummary,
}

impl Session {
    pub fn new(id: SessionId, server: Arc<Server>, conn: Box<dyn ClientConn>) -> Self {
        let peer = conn.peer();
        let summary = SessionSummary { id, peer, ..SessionSummary::default() };
        Session { server, conn, summary }
    }

    pub fn run(mut self) -> SessionSummary {
        let started = Instant::now();
        self.server.engine().metrics().session_opened();
        while !self.server.is_closing() {
            let Some(line) = self.conn.next_request() else {
                break;
            };
            let t0 = Instant::now();
            let reply = match Command::parse(&line) {
                Ok(Command::Quit) => {
                    self.conn.respond(Reply::Ok);
                    break;
                }
                Ok(cmd) => self.execute(cmd),
                Err(err) => Reply::Error(err),
            };
            self.server.engine().metrics().observe_latency(t0.elapsed());
            if reply.is_error() {
                self.summary.errors += 1;
            }
            self.summary.handled += 1;
            self.conn.respond(reply);
        }
        self.server.engine().metrics().session_closed();
        self.summary.elapsed = started.elapsed();
        self.summary
    }

    fn execute(&mut self, cmd: Command) -> Reply {
        let engine = Arc::clone(self.server.engine());
        match cmd {
            Command::Get(key) => engine.get(&key).map_or(Reply::Nil, Reply::Value),
            Command::GetTtl(key) => match engine.get_with_ttl(&key) {
                None => Reply::Int(-2),
                Some((_, None)) => Reply::Int(-1),
                Some((_, Some(ttl))) => Reply::Int(ttl.as_millis() as i64),
            },
            Command::Set {
                key,
                value,
                ttl,
                replicated,
            } => {
                let result = if replicated {
                    engine.put_replicated(&key, value.into_bytes(), ttl).map(|(lsn, _)| lsn)
                } else {
                    engine.put(&key, value.into_bytes(), ttl)
                };
                reply(result, |_| Reply::Ok)
            }
            Command::Del(key) => Reply::Int(engine.delete(&key) as i64),
            Command::Incr(key, delta) => reply(engine.incr(&key, delta), Reply::Int),
            Command::Transfer { from, to, amount } => reply(engine.txn().transfer(&from, &to, amount), |o| Reply::Text(o.describe())),
            Command::Swap(a, b) => reply(engine.txn().swap(&a, &b), |o| Reply::Text(o.describe())),
            Command::Rename(from, to) => reply(engine.txn().rename(&from, &to), |o| Reply::Text(o.describe())),
            Command::Sync => Reply::Int(engine.sync() as i64),
            Command::Snapshot => match engine.snapshots().request_now() {
                Some(generation) => Reply::Int(generation as i64),
                None => Reply::Error("snapshotter unavailable".into()),
            },
            Command::SnapWait(after) => match engine.snapshots().wait_for_next(after, SNAPWAIT_TIMEOUT) {
                Some(image) => Reply::Text(format!("gen={} keys={}", image.generation, image.key_count())),
                None => Reply::Nil,
            },
            Command::Compact => {
                if engine.request_compaction() {
                    Reply::Ok
                } else {
                    Reply::Error("compactor stopped".into())
                }
            }
            Command::Stats => Reply::Text(engine.stats_line()),
            Command::Quit => Reply::Ok,
        }
    }
}
