use std::sync::Barrier;

use crate::config::ServerConfig;
use crate::types::RegionId;
use crate::world::physics::{self, Kill};
use crate::types::Vec2;
use crate::world::region::{Crossing, Direction};
use crate::world::World;

const GHOST_MARGIN: f32 = 8.0;

#[derive(Debug, Default)]
pub struct RegionOutcome {
    pub kills: Vec<Kill>,
    pub crossings: Vec<Crossing>,
    pub players: usize,
    pub npcs: usize,
}

/// One region's share of a tick.  Phase one simulates the region on its own;
/// after every region has finished (barrier) phase two mirrors the
/// neighbours' border entities for the next frame.
pub fn step_region(world: &World, id: RegionId, frame: u64, barrier: &Barrier, config: &ServerConfig) -> RegionOutcome {
    let mut outcome = RegionOutcome::default();
    {
        let mut region = world.write_region(id);
        region.frame = frame;
        physics::avoid_ghosts(&mut region);
        physics::integrate(&mut region, config.dt(), config.max_speed);
        outcome.kills = physics::resolve_combat(&mut region);
        outcome.crossings = region.collect_crossings();
        outcome.players = region.player_count();
        outcome.npcs = region.npc_count();
    }
    barrier.wait(); // CLEAN: blocking-while-holding: the region write guard is dropped with the block above, so neighbours can read it in phase two
    let ghosts = collect_ghosts(world, id);
    world.write_region(id).ghosts = ghosts;
    outcome
}

fn collect_ghosts(world: &World, id: RegionId) -> Vec<Vec2> {
    let mut ghosts = Vec::new();
    if let Some(west) = world.neighbor(id, Direction::West) {
        ghosts.extend(world.read_region(west).border_entities(Direction::East, GHOST_MARGIN));
    }
    if let Some(east) = world.neighbor(id, Direction::East) {
        ghosts.extend(world.read_region(east).border_entities(Direction::West, GHOST_MARGIN));
    }
    ghosts
}
