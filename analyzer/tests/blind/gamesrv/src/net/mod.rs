pub mod client;
pub mod handler;

use std::sync::Arc;
use std::thread;

use crate::server::Server;
use crate::types::PlayerId;
use client::SimulatedClient;
use handler::{CommandHandler, Reply};

#[derive(Debug, Default, Clone)]
pub struct ClientReport {
    pub player: Option<PlayerId>,
    pub commands: usize,
    pub rejected: usize,
    pub matches: usize,
    pub chat_received: usize,
}

/// Starts one network-input thread per simulated player.  The threads are
/// owned by the server's thread registry.
pub fn spawn_clients(server: &Arc<Server>) -> usize {
    let count = server.config.clients;
    for i in 0..count {
        let shared = Arc::clone(server);
        let name = format!("net-input-{}", i);
        let handle = thread::Builder::new()
            .name(name.clone())
            .spawn(move || {
                let report = run_client(&shared, i);
                eprintln!(
                    "[net] {:?}: {} commands, {} rejected, {} matches, {} chat lines",
                    report.player, report.commands, report.rejected, report.matches, report.chat_received
                );
            })
            .expect("spawn client thread");
        server.threads.register(name, handle);
    }
    count
}

fn run_client(server: &Arc<Server>, index: usize) -> ClientReport {
    let config = &server.config;
    let pid = PlayerId(index as u32 + 1);
    let mut report = ClientReport { player: Some(pid), ..ClientReport::default() };
    server.gate.wait_open();

    let guest = config.guest_every > 0 && index % config.guest_every == 0;
    let name = format!("player{}", index);
    let (_region, chat_rx) = match server.connect(pid, &name, guest) {
        Ok(ok) => ok,
        Err(e) => {
            eprintln!("[net] {} could not connect: {:?}", pid, e);
            return report;
        }
    };

    let handler = CommandHandler::new(Arc::clone(server), pid);
    let mut client = SimulatedClient::new(pid, config.region_count, 0xC11E_47);
    let mut frame = server.clock.current();
    for round in 0..config.rounds_per_client {
        frame = server.clock.wait_past(frame);
        if server.clock.is_stopped() {
            break;
        }
        let command = client.next_command(round, frame);
        report.commands += 1;
        match handler.handle(command) {
            Reply::Matched { .. } => report.matches += 1,
            Reply::Rejected(_) => report.rejected += 1,
            _ => {}
        }
        while let Ok(_line) = chat_rx.try_recv() {
            report.chat_received += 1;
        }
    }

    server.disconnect(pid);
    report
}
