//! Handle used by other threads to talk to the admin console.

use crossbeam_channel::{bounded, Receiver, Sender};

use super::commands::{AdminRequest, Command, Reply};
use crate::router::{QueryObserver, SlowQuery};

#[derive(Clone)]
pub struct AdminClient {
    tx: Sender<AdminRequest>,
}

impl AdminClient {
    pub(super) fn new(tx: Sender<AdminRequest>) -> Self {
        AdminClient { tx }
    }

    /// Queue `command`; the reply arrives on the returned receiver.
    pub fn submit(&self, command: Command) -> Receiver<Reply> {
        let (reply_tx, reply_rx) = bounded(1);
        let _ = self.tx.send(AdminRequest { command, reply: reply_tx });
        reply_rx
    }

    /// Queue `command` and wait for the console to answer.
    pub fn call(&self, command: Command) -> Reply {
        let pending = self.submit(command);
        pending.recv().unwrap_or_else(|_| Reply::Error("admin console unavailable".into()))
    }
}

impl QueryObserver for AdminClient {
    fn slow_query(&self, report: SlowQuery) {
        let shard = report.shard;
        let pending = self.submit(Command::SlowQuery(report));
        let reply = pending.recv(); // PLANTED: blocking-while-holding: Router::execute calls this with the shard mutex held; the console locks that shard to answer
        if let Ok(Reply::Error(e)) = reply {
            eprintln!("slow query report for shard {shard} rejected: {e:?}");
        }
    }
}
