//! Processes and the objects they share, against the operating system's means used directly.
//!
//! Run: `cargo bench -p racecheck --bench processes` (`BENCH_REPS` / `BENCH_WARMUP` set the
//! rounds). Each comparison runs its cases round-robin and reports the median time per operation
//! and "racecheck ÷ direct" as the median of the rounds' ratios; the target is 2x.

#[path = "support/timing.rs"]
mod timing;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::os::linux::net::SocketAddrExt;
use std::os::unix::net::{SocketAddr, UnixListener, UnixStream};
use std::process::Command;
use std::time::Duration;

use racecheck::{Connection, Manager, Pipe, Process, Queue};
use timing::{paired_ratio, run_round_robin, time, Case, Rounds, Summary};

/// Round trips per sample.
const TRIPS: u64 = 2_000;
/// Processes started per sample.
const STARTS: u64 = 10;
/// Makes this bench binary exit at once: the `Command` baseline's child.
const NOOP_VAR: &str = "RACECHECK_BENCH_NOOP";

fn main() {
    racecheck::child_main();
    if std::env::var_os(NOOP_VAR).is_some() {
        return;
    }
    let rounds = Rounds::from_env(1, 7);
    // Ends each echo child once its comparison is over, so none outlives the objects it uses.
    let mut stoppers: Vec<Box<dyn FnOnce()>> = Vec::new();
    let comparisons = [
        (
            "message round trip through a `Queue` pair, parent ↔ child",
            queue_trip(&mut stoppers),
            unix_trip(),
            TRIPS,
        ),
        (
            "the old request/reply path from raw parts (channel, relay thread, Unix socket)",
            relay_trip(),
            unix_trip(),
            TRIPS,
        ),
        (
            "message round trip through a `Pipe`, parent ↔ child",
            pipe_trip(&mut stoppers),
            unix_trip(),
            TRIPS,
        ),
        (
            "`Process` start to join (same binary)",
            process_start(),
            command_start(),
            STARTS,
        ),
        (
            "`Manager` dict get on loopback",
            manager_call(),
            tcp_trip(),
            TRIPS,
        ),
    ];
    println!("| benchmark | racecheck | direct | racecheck ÷ direct (median of rounds) |");
    println!("| --- | --- | --- | --- |");
    for (title, ours, direct, per_sample) in comparisons {
        eprintln!("running: {title}");
        let mut cases = [ours, direct];
        let samples = run_round_robin(rounds, &mut cases);
        let micros = |durations: &[Duration]| -> Vec<f64> {
            durations
                .iter()
                .map(|d| d.as_secs_f64() * 1e6 / per_sample as f64)
                .collect()
        };
        let (ours, direct) = (micros(&samples[0]), micros(&samples[1]));
        println!(
            "| {title} | {:.1} µs ({}) | {:.1} µs ({}) | {:.2} |",
            Summary::of(&ours).median,
            cases[0].name,
            Summary::of(&direct).median,
            cases[1].name,
            paired_ratio(&ours, &direct)
        );
    }
    for stop in stoppers {
        stop();
    }
}

fn echo_queue((inbox, outbox): (Queue<u64>, Queue<u64>)) {
    loop {
        let n = inbox.get();
        outbox.put(n);
        if n == u64::MAX {
            return;
        }
    }
}

fn queue_trip(stoppers: &mut Vec<Box<dyn FnOnce()>>) -> Case<'static> {
    let (to_child, from_child) = (Queue::new(), Queue::new());
    // The handle keeps the queues served to the child until it is joined.
    let child = Process::new(echo_queue)
        .args((to_child.clone(), from_child.clone()))
        .start();
    let stop = to_child.clone();
    stoppers.push(Box::new(move || {
        stop.put(u64::MAX);
        child.join().unwrap();
    }));
    Case::new("`Queue`", move || {
        time(|| {
            for n in 0..TRIPS {
                to_child.put(n);
                assert_eq!(from_child.get(), n);
            }
        })
        .1
    })
}

fn echo_pipe(end: Connection<u64>) {
    while let Ok(n) = end.recv() {
        if end.send(n).is_err() {
            return;
        }
    }
}

fn pipe_trip(stoppers: &mut Vec<Box<dyn FnOnce()>>) -> Case<'static> {
    let (parent, child_end) = Pipe::new();
    let child = Process::new(echo_pipe).args(child_end).start();
    // The child ends once the case, and with it the parent's end, is dropped.
    stoppers.push(Box::new(move || child.join().unwrap()));
    Case::new("`Pipe`", move || {
        time(|| {
            for n in 0..TRIPS {
                parent.send(n).unwrap();
                assert_eq!(parent.recv(), Ok(n));
            }
        })
        .1
    })
}

fn echo_unix(name: String) {
    let address = SocketAddr::from_abstract_name(&name).unwrap();
    let mut stream = UnixStream::connect_addr(&address).unwrap();
    let mut word = [0u8; 8];
    while stream.read_exact(&mut word).is_ok() {
        if stream.write_all(&word).is_err() {
            return;
        }
    }
}

/// 8 bytes each way over a Unix socket between this process and a child.
fn unix_trip() -> Case<'static> {
    let mut stream = child_connected(echo_unix);
    Case::new("Unix socket", move || time(|| round_trips(&mut stream)).1)
}

/// A child process running `child`, given the name of an abstract Unix socket this process
/// listens on, and the stream it connects with.
fn child_connected(child: fn(String)) -> UnixStream {
    let name = format!("racecheck-bench-{}-{}", std::process::id(), next_id());
    let listener =
        UnixListener::bind_addr(&SocketAddr::from_abstract_name(&name).unwrap()).unwrap();
    let _child = Process::new(child).args(name).start();
    listener.accept().unwrap().0
}

fn next_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

fn round_trips(stream: &mut (impl Read + Write)) {
    let mut word = [0u8; 8];
    for n in 0..TRIPS {
        stream.write_all(&n.to_le_bytes()).unwrap();
        stream.read_exact(&mut word).unwrap();
        assert_eq!(u64::from_le_bytes(word), n);
    }
}

fn noop(_: ()) {}

fn process_start() -> Case<'static> {
    Case::new("`Process`", || {
        time(|| {
            for _ in 0..STARTS {
                Process::new(noop).start().join().unwrap();
            }
        })
        .1
    })
}

fn command_start() -> Case<'static> {
    let exe = std::env::current_exe().unwrap();
    Case::new("`Command`", move || {
        time(|| {
            for _ in 0..STARTS {
                let status = Command::new(&exe).env(NOOP_VAR, "1").status().unwrap();
                assert!(status.success());
            }
        })
        .1
    })
}

fn manager_call() -> Case<'static> {
    let server = Manager::serve("127.0.0.1:0", b"bench").unwrap();
    let client = Manager::connect(&server.address(), b"bench").unwrap();
    let dict = client.dict::<u64, u64>("d").unwrap();
    dict.insert(1, 2).unwrap();
    Case::new("`Manager` dict", move || {
        let _serving = &server;
        time(|| {
            for _ in 0..TRIPS {
                assert_eq!(dict.get(&1).unwrap(), Some(2));
            }
        })
        .1
    })
}

/// 8 bytes each way over loopback TCP to an echo thread.
fn tcp_trip() -> Case<'static> {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_nodelay(true).unwrap();
        let mut word = [0u8; 8];
        while stream.read_exact(&mut word).is_ok() {
            if stream.write_all(&word).is_err() {
                return;
            }
        }
    });
    let mut stream = TcpStream::connect(address).unwrap();
    stream.set_nodelay(true).unwrap();
    Case::new("TCP", move || time(|| round_trips(&mut stream)).1)
}

/// The path a child's `Queue` round trip took when every request awaited its reply, built from
/// raw parts: the parent's thread hands the item over a channel to a relay thread (the object
/// server's connection thread), which answers the child's "get" request on a Unix socket; the
/// child's "put" request goes back through the relay and a second channel, and the relay
/// acknowledges it. The floor of that design, without racecheck's framing, serde or
/// bookkeeping: what sending puts without waiting and handing items to waiting getters left
/// behind.
fn relay_trip() -> Case<'static> {
    let mut stream = child_connected(echo_relay);
    let (to_child, items) = crossbeam_channel::unbounded::<u64>();
    let (back, from_child) = crossbeam_channel::unbounded::<u64>();
    std::thread::spawn(move || {
        let mut request = [0u8; 9];
        while stream.read_exact(&mut request).is_ok() {
            let reply = match request[0] {
                GET => items.recv().ok(),
                _ => back
                    .send(u64::from_le_bytes(request[1..].try_into().unwrap()))
                    .ok()
                    .map(|()| 0),
            };
            // The case was dropped: the parent's ends of the channels are gone.
            let Some(reply) = reply else { return };
            if stream.write_all(&reply.to_le_bytes()).is_err() {
                return;
            }
        }
    });
    Case::new("relay + Unix socket", move || {
        time(|| {
            for n in 0..TRIPS {
                to_child.send(n).unwrap();
                assert_eq!(from_child.recv().unwrap(), n);
            }
        })
        .1
    })
}

const GET: u8 = 0;
const PUT: u8 = 1;

/// The child's side of [`relay_trip`]: a get request, then a put request, each awaiting its
/// answer, as a child's `Queue` calls do.
fn echo_relay(name: String) {
    let address = SocketAddr::from_abstract_name(&name).unwrap();
    let mut stream = UnixStream::connect_addr(&address).unwrap();
    let mut word = [0u8; 8];
    loop {
        let asked = stream
            .write_all(&[GET; 9])
            .and_then(|()| stream.read_exact(&mut word));
        let mut put = [PUT; 9];
        put[1..].copy_from_slice(&word);
        let echoed = asked.and_then(|()| stream.write_all(&put));
        if echoed.and_then(|()| stream.read_exact(&mut word)).is_err() {
            return;
        }
    }
}
