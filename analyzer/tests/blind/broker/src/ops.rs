//! Operations console: a scripted operator that pokes the broker through the
//! admin channel while traffic is flowing.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::admin::AdminClient;
use crate::broker::Broker;

pub fn run(
    broker: Arc<Broker>,
    client: AdminClient,
    history: Arc<Mutex<Vec<String>>>,
    stop: Arc<AtomicBool>,
) {
    let mut round = 0usize;
    while !stop.load(Ordering::SeqCst) {
        thread::sleep(Duration::from_millis(120));
        round += 1;
        match round {
            1 => {
                let created = client.create_topic("billing", 2);
                note(&history, format!("create billing: {created}"));
            }
            r if r % 4 == 0 => {
                let moved = client.rebalance("orders", 0, 3, 16);
                note(&history, format!("rebalance orders 0->3: {moved}"));
            }
            r if r % 4 == 1 => {
                let moved = client.reassign(r % 3, (r + 1) % 3, 1);
                note(&history, format!("reassign: {moved}"));
            }
            r if r % 4 == 2 => {
                client.pause();
                thread::sleep(Duration::from_millis(15));
                client.resume();
                let replayed = client.replay_dead_letters(8);
                note(&history, format!("replayed {replayed} dead letters"));
            }
            _ => {
                let mut log = history.lock().unwrap();
                if let Some(report) = client.stats() {
                    log.push(format!("stats: {report:?}"));
                }
            }
        }

        if round == 18 {
            let detached = client.delete_group("analytics");
            note(&history, format!("deleted group analytics ({detached} members)"));
        }

        if round >= 24 && round % 8 == 0 {
            tighten_retention(&broker, &client, &history);
        }
    }
}

/// Shortens retention and applies it right away. The config stays locked
/// until the run finished so nobody retunes it halfway.
fn tighten_retention(broker: &Broker, client: &AdminClient, history: &Mutex<Vec<String>>) {
    let mut config = broker.config.lock().unwrap();
    config.retention = config
        .retention
        .mul_f32(0.8)
        .max(Duration::from_millis(500));
    config.last_tuned = Some(Instant::now());
    let removed = client.apply_retention().unwrap_or(0);
    let retention = config.retention;
    drop(config);
    note(history, format!("retention {retention:?}: removed {removed}"));
}

fn note(history: &Mutex<Vec<String>>, line: String) {
    history.lock().unwrap().push(line);
}
