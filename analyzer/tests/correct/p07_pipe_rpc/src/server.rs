use std::collections::HashMap;

use racecheck::Connection;

use crate::proto::{Reply, Request};
use crate::Msg;

pub fn serve(conn: Connection<Msg>) -> usize {
    let mut map = HashMap::new();
    let mut served = 0;
    while let Ok(msg) = conn.recv() {
        let reply = match msg {
            Msg::Req(Request::Put(k, v)) => {
                map.insert(k, v);
                Reply::Ok
            }
            Msg::Req(Request::Get(k)) => Reply::Value(map.get(&k).copied()),
            Msg::Rep(_) => continue,
        };
        served += 1;
        if conn.send(Msg::Rep(reply)).is_err() {
            break;
        }
    }
    served
}
