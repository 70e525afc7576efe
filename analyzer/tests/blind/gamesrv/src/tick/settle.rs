use super::worker::RegionOutcome;
use crate::server::Server;
use crate::world::events::GameEvent;
use crate::world::physics::Kill;
use crate::world::region::Crossing;

/// Applies the per-region results of a tick to the rest of the server.
pub fn apply(server: &Server, outcomes: Vec<RegionOutcome>) -> (usize, usize) {
    let mut kills = 0;
    let mut moved = 0;
    for outcome in outcomes {
        kills += settle_kills(server, &outcome.kills);
        moved += move_crossings(server, &outcome.crossings);
    }
    (kills, moved)
}

/// Kill bonus shrinks for players already high on the board.
fn kill_bonus(current: i64, loot: u64) -> i64 {
    let base = 2 + loot as i64;
    if current > 200 {
        (base / 2).max(1)
    } else {
        base
    }
}

fn settle_kills(server: &Server, kills: &[Kill]) -> usize {
    for kill in kills {
        if let Some(pid) = kill.killer {
            let current = server.leaderboard.score(pid);
            let bonus = kill_bonus(current, kill.loot);
            server.leaderboard.set_score(pid, current + bonus); // PLANTED: stale-read: score read and written back in two critical sections; match hosts, quests and the kill listener update it in between
            server.sessions.add_gold(pid, kill.loot * server.config.kill_reward);
        }
        server.world.emit(GameEvent::NpcKilled(kill.clone()));
    }
    kills.len()
}

fn move_crossings(server: &Server, crossings: &[Crossing]) -> usize {
    let mut moved = 0;
    for c in crossings {
        match server.world.neighbor(c.from, c.direction) {
            Some(to) => {
                if server.world.migrate_player(c.player, c.from, to, c.pos).is_ok() {
                    moved += 1;
                }
            }
            None => server.world.bounce_player(c.player, c.from),
        }
    }
    moved
}
