//! The Manager on loopback: named objects shared by clients and processes, mutual
//! authentication by key, and clear errors for a wrong key and a server that is gone.

use std::time::Duration;

use racecheck::{Lock, Manager, Process, Queue, RemoteError};

const KEY: &[u8] = b"loopback key";

#[test]
fn clients_share_named_objects() {
    let server = Manager::serve("127.0.0.1:0", KEY).unwrap();
    let client = Manager::connect(&server.address(), KEY).unwrap();

    let scores = server.dict::<String, u32>("scores").unwrap();
    assert_eq!(scores.insert("ada".to_owned(), 3).unwrap(), None);
    let seen = client.dict::<String, u32>("scores").unwrap();
    assert_eq!(seen.get(&"ada".to_owned()).unwrap(), Some(3));
    assert_eq!(seen.insert("ada".to_owned(), 4).unwrap(), Some(3));
    assert_eq!(scores.items().unwrap(), [("ada".to_owned(), 4)]);
    assert_eq!(scores.remove(&"ada".to_owned()).unwrap(), Some(4));
    assert!(seen.is_empty().unwrap());

    let log = client.list::<String>("log").unwrap();
    assert_eq!(log.push("first".to_owned()).unwrap(), 1);
    assert_eq!(
        server
            .list::<String>("log")
            .unwrap()
            .set(0, "one".to_owned())
            .unwrap(),
        "first"
    );
    assert_eq!(log.get(0).unwrap().as_deref(), Some("one"));
    assert!(matches!(
        log.set(5, "x".to_owned()),
        Err(RemoteError::Refused { .. })
    ));

    let jobs: Queue<u8> = client.queue("jobs").unwrap();
    server.queue::<u8>("jobs").unwrap().put(9);
    assert_eq!(jobs.get_timeout(Duration::from_secs(30)), Ok(9));
    assert_eq!(jobs.try_get(), Err(racecheck::Empty));

    let done = client.event("done").unwrap();
    assert!(!done.is_set());
    server.event("done").unwrap().set();
    assert!(done.wait_timeout(Duration::from_secs(30)));

    let error = client.queue::<u8>("log").map(drop).unwrap_err();
    assert!(
        error.to_string().contains("is a List, not a Queue"),
        "{error}"
    );
}

#[test]
fn a_wrong_key_is_refused_and_never_admitted() {
    let server = Manager::serve("127.0.0.1:0", KEY).unwrap();
    let error = Manager::connect(&server.address(), b"not the key").unwrap_err();
    assert!(matches!(error, RemoteError::KeyRefused { .. }), "{error}");
    assert!(error.to_string().contains("refused the authentication key"));
}

#[test]
fn a_server_that_is_gone_is_a_clear_error() {
    let server = Manager::serve("127.0.0.1:0", KEY).unwrap();
    let address = server.address();
    let client = Manager::connect(&address, KEY).unwrap();
    let log = client.list::<u8>("log").unwrap();
    server.shutdown();
    let error = log.push(1).unwrap_err();
    assert!(
        matches!(
            error,
            RemoteError::Connection { .. } | RemoteError::Unreachable { .. }
        ),
        "{error}"
    );
    let error = Manager::connect(&address, KEY).unwrap_err();
    assert!(matches!(error, RemoteError::Unreachable { .. }), "{error}");
    assert!(error
        .to_string()
        .starts_with("cannot reach the server at tcp:127.0.0.1:"));
}

/// The server runs in a child process that is killed while a client is blocked in a call.
#[test]
fn a_server_dying_mid_call_fails_the_call_instead_of_hanging() {
    fn serve_until_killed(port_out: Queue<String>) {
        let server = Manager::serve("127.0.0.1:0", KEY).unwrap();
        port_out.put(server.address());
        std::thread::sleep(Duration::from_secs(600));
    }
    let addresses = Queue::new();
    let server = Process::new(serve_until_killed)
        .args(addresses.clone())
        .start();
    let address = addresses.get_timeout(Duration::from_secs(60)).unwrap();
    let client = Manager::connect(&address, KEY).unwrap();
    let empty: Queue<u8> = client.queue("never filled").unwrap();
    let blocked = std::thread::spawn(move || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| empty.get())).map_err(|payload| {
            payload
                .downcast_ref::<String>()
                .cloned()
                .unwrap_or_default()
        })
    });
    std::thread::sleep(Duration::from_millis(200));
    server.terminate();
    let message = blocked.join().unwrap().unwrap_err();
    assert!(
        message.contains("Queue shared from another process"),
        "{message}"
    );
    assert!(
        message.contains("closed the connection mid-call"),
        "{message}"
    );
    assert!(server.join().is_err());
}

#[test]
fn a_managers_objects_reach_a_process() {
    fn record((log, total): (racecheck::List<u32>, racecheck::Dict<String, u32>)) {
        for n in 1..=3 {
            log.push(n).unwrap();
        }
        total
            .insert("sum".to_owned(), log.items().unwrap().iter().sum())
            .unwrap();
    }
    let manager = Manager::start().unwrap();
    let log = manager.list::<u32>("log").unwrap();
    let total = manager.dict::<String, u32>("total").unwrap();
    Process::new(record)
        .args((log.clone(), total.clone()))
        .start()
        .join()
        .unwrap();
    assert_eq!(log.items().unwrap(), [1, 2, 3]);
    assert_eq!(total.get(&"sum".to_owned()).unwrap(), Some(6));
}

#[test]
fn a_managers_lock_excludes_clients_and_is_let_go_by_a_client_that_leaves() {
    fn hold_and_leave((lock, out): (Lock, Queue<()>)) {
        std::mem::forget(lock.acquire());
        out.put(());
        std::process::exit(0);
    }
    let server = Manager::serve("127.0.0.1:0", KEY).unwrap();
    let client = Manager::connect(&server.address(), KEY).unwrap();
    let mine = server.lock("printing").unwrap();
    let theirs = client.lock("printing").unwrap();
    let held = mine.acquire();
    assert!(theirs.locked());
    assert!(theirs.try_acquire().is_none());
    assert!(theirs.acquire_timeout(Duration::from_millis(20)).is_none());
    drop(held);
    assert!(theirs.try_acquire().is_some());
    assert!(!mine.locked());

    let out = Queue::new();
    let child = Process::new(hold_and_leave)
        .args((client.lock("printing").unwrap(), out.clone()))
        .start();
    out.get_timeout(Duration::from_secs(60)).unwrap();
    assert!(child.join().is_err());
    assert!(mine.acquire_timeout(Duration::from_secs(60)).is_some());
}
