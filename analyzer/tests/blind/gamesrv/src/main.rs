mod chat;
mod config;
mod leaderboard;
mod matchmaking;
mod metrics;
mod net;
mod persistence;
mod server;
mod session;
mod tick;
mod types;
mod world;

use std::sync::Arc;

use config::ServerConfig;
use server::Server;
use tick::TickLoop;
use types::RegionId;

fn main() {
    let server = Server::new(ServerConfig::from_env());

    // persistence, chat-fanout and matchmaker threads
    server.start_services();

    // fixed-rate simulation thread (region workers are scoped inside it)
    let tick = TickLoop::start(Arc::clone(&server));

    // simulated players, one network-input thread each
    let clients = net::spawn_clients(&server);
    eprintln!("[main] {} clients, listeners: {:?}", clients, server.world.listener_names());
    server.gate.open();

    let presence = server.presence.wait_until_empty();
    eprintln!("[main] players gone ({} sessions served), shutting down", presence.total);

    let stats = tick.stop().unwrap_or_default();
    for i in 0..server.world.region_count() {
        server.persistence.schedule(server.world.snapshot(RegionId(i)));
    }
    server.stop_services();
    let joined = server.threads.join_all();

    println!("threads joined: {} ({} panicked)", joined, server.threads.panicked());
    println!("tick: {:?}", stats);
    println!("metrics: {}", server.metrics.report());
    println!("matches: {}, saves: {}", server.matchmaker.matches_formed(), server.persistence.saved());
    for entry in server.leaderboard.published() {
        println!("  #{} {} {}", entry.rank, entry.name, entry.score);
    }
    for record in server.leaderboard.recent_matches(5) {
        println!("  {}: {} beat {} ({})", record.id, record.winner, record.loser, record.winner_score);
    }
    for i in 0..server.world.region_count() {
        let stored = server.persistence.stored_entities(RegionId(i)).unwrap_or(0);
        println!("  region {}: {} entities stored", i, stored);
    }
}
