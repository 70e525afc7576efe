use std::thread;
use std::time::Duration;
use chatsrv::{metrics, Command, RoomId, Server, ServerConfig, UserId};

const CLIENTS: u64 = 8;

fn simulate_client(server: &Server, n: u64) {
    let (user, room, peer) = (UserId(n), RoomId(1 + (n % 2) as u32), (n + 1) % CLIENTS);
    server.submit(Command::Login { user, name: format!("user{}", n) });
    server.submit(Command::Join { user, room });
    for i in 0..20 {
        let body = format!("message {} from user{} cc @user{}", i, n, peer);
        server.submit(Command::Post { user, room, body });
        server.submit(Command::Heartbeat { user });
        if i % 5 == 0 {
            server.submit(Command::Upvote { user: UserId(peer) });
            server.submit(Command::Downvote { user: UserId((n + 2) % CLIENTS) });
            server.submit(Command::ReadHistory { user, room, limit: 10 });
        }
        thread::sleep(Duration::from_millis(2));
    }
    server.submit(Command::Leave { user, room });
    server.submit(Command::Logout { user });
}

fn main() {
    let server = Server::new(ServerConfig::default());
    server.start();
    server.submit(Command::CreateRoom { room: RoomId(1), title: "lobby".to_string() });
    let outbox = server.outbox();
    thread::spawn(move || loop {
        outbox.wait_for_mail(UserId(0));
        let msg = outbox.next_message(UserId(0));
        println!("user0 <- {:?}: {}", msg.author, msg.body);
    });
    thread::scope(|scope| {
        for n in 0..CLIENTS {
            let server = &server;
            scope.spawn(move || simulate_client(server, n));
        }
        scope.spawn(|| {
            for _ in 0..10 {
                println!("user1 drained {} messages", server.outbox().drain_for(UserId(1)).len());
                thread::sleep(Duration::from_millis(20));
            }
        });
    });
    if std::env::args().any(|a| a == "--reload") {
        server.reload(ServerConfig { workers: 2, ..ServerConfig::default() });
    }
    server.submit(Command::FlushPush);
    server.submit(Command::Export { room: RoomId(1) });
    thread::sleep(Duration::from_millis(200));
    println!("search hits: {}", server.history().search("cc @user0").len());
    println!("{}", metrics::report());
    server.shutdown();
}
