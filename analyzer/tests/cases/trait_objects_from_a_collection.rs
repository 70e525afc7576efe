//! Sinks kept as trait objects in a locked list and called while iterating it: the one `Log`
//! in the list is the object whose methods run, so `write` taking `lines` and then calling
//! `trim`, which takes `lines` again, is a double acquisition (D002). `Tidy` releases its guard
//! before trimming, and is not reported.
use racecheck::Lock;
use std::sync::Arc;

trait Sink: Send + Sync {
    fn write(&self, line: &str);
}

#[derive(Default)]
struct Log {
    lines: Lock<Vec<String>>,
}

impl Log {
    fn trim(&self) {
        let mut lines = self.lines.acquire(); //~ D002
        lines.clear();
    }
}

impl Sink for Log {
    fn write(&self, line: &str) {
        let mut lines = self.lines.acquire();
        lines.push(line.to_owned());
        self.trim();
    }
}

#[derive(Default)]
struct Tidy {
    lines: Lock<Vec<String>>,
}

impl Tidy {
    fn trim(&self) {
        self.lines.acquire().clear();
    }
}

impl Sink for Tidy {
    fn write(&self, line: &str) {
        let mut lines = self.lines.acquire();
        lines.push(line.to_owned());
        drop(lines);
        self.trim();
    }
}

struct Trail {
    sinks: Lock<Vec<Arc<dyn Sink>>>,
}

impl Trail {
    fn attach(&self, sink: Arc<dyn Sink>) {
        self.sinks.acquire().push(sink);
    }

    fn record(&self, line: &str) {
        for sink in self.sinks.acquire().iter() {
            sink.write(line);
        }
    }
}

fn main() {
    let trail = Trail {
        sinks: Lock::new(Vec::new()),
    };
    let log = Arc::new(Log::default());
    trail.attach(log.clone());
    trail.attach(Arc::new(Tidy::default()));
    trail.record("started");
}
