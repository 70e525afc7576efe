mod proto;
mod server;

use racecheck::Pipe;

use proto::{Reply, Request};

#[racecheck::main]
fn main() {
    let (client, server_end) = Pipe::new::<Msg>();
    let srv = racecheck::Thread::new(move || server::serve(server_end)).name("kv-server").start();
    client.send(Msg::Req(Request::Put("a".into(), 1))).unwrap();
    client.send(Msg::Req(Request::Get("a".into()))).unwrap();
    let mut replies = Vec::new();
    for _ in 0..2 {
        match client.recv().unwrap() {
            Msg::Rep(r) => replies.push(r),
            Msg::Req(_) => unreachable!(),
        }
    }
    drop(client);
    let served = srv.join().unwrap();
    println!("{replies:?} served={served}");
    let _ = Reply::Ok;
}

#[derive(Debug)]
pub enum Msg {
    Req(Request),
    Rep(Reply),
}
