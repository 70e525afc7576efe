use std::collections::HashMap;
use std::sync::mpsc::{channel, Sender};
use std::thread;

enum Req {
    Get(String, Sender<Option<i64>>),
    Put(String, i64, Sender<()>),
    Shutdown,
}

fn server() -> (Sender<Req>, thread::JoinHandle<usize>) {
    let (tx, rx) = channel::<Req>();
    let h = thread::spawn(move || {
        let mut store = HashMap::new();
        for req in rx {
            match req {
                Req::Get(k, reply) => {
                    let _ = reply.send(store.get(&k).copied());
                }
                Req::Put(k, v, reply) => {
                    store.insert(k, v);
                    let _ = reply.send(());
                }
                Req::Shutdown => break,
            }
        }
        store.len()
    });
    (tx, h)
}

fn main() {
    let (srv, h) = server();
    let clients: Vec<_> = (0..3)
        .map(|i| {
            let srv = srv.clone();
            thread::spawn(move || {
                let (rtx, rrx) = channel();
                srv.send(Req::Put(format!("k{}", i), i, rtx)).unwrap();
                rrx.recv().unwrap();
                let (gtx, grx) = channel();
                srv.send(Req::Get(format!("k{}", i), gtx)).unwrap();
                grx.recv().unwrap()
            })
        })
        .collect();
    for c in clients {
        println!("{:?}", c.join().unwrap());
    }
    srv.send(Req::Shutdown).unwrap();
    println!("{}", h.join().unwrap());
}
