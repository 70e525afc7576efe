use super::region::{EntityKind, Region};
use crate::types::{EntityId, PlayerId, RegionId, Vec2};

const FRICTION: f32 = 0.92;
const ATTACK_RANGE: f32 = 6.0;
const PLAYER_DAMAGE: i32 = 7;
const NPC_DAMAGE: i32 = 2;
const GHOST_AVOID_RANGE: f32 = 4.0;

#[derive(Debug, Clone)]
pub struct Kill {
    pub region: RegionId,
    pub victim: EntityId,
    pub killer: Option<PlayerId>,
    pub loot: u64,
}

/// Advance positions.  Players keep their velocity (damped); NPCs wander.
pub fn integrate(region: &mut Region, dt: f32, max_speed: f32) {
    let wander: Vec<Vec2> = (0..region.entities().len())
        .map(|_| {
            let rng = region.rng();
            Vec2::new(rng.range_f32(-1.0, 1.0), rng.range_f32(-1.0, 1.0))
        })
        .collect();
    let bounds = region.bounds;
    for (entity, jitter) in region.entities_mut().iter_mut().zip(wander) {
        match entity.kind {
            EntityKind::Player(_) => {
                entity.vel = (entity.vel * FRICTION).clamp_length(max_speed);
                entity.pos = entity.pos + entity.vel * dt;
                entity.pos.y = entity.pos.y.clamp(bounds.min.y, bounds.max.y - 0.01);
            }
            EntityKind::Npc { aggression } => {
                entity.vel = (entity.vel + jitter * aggression).clamp_length(max_speed * 0.5);
                entity.pos = bounds.clamp(entity.pos + entity.vel * dt);
            }
        }
    }
}

/// Players damage NPCs in range and NPCs hit back.  Dead NPCs are removed
/// and reported as kills.
pub fn resolve_combat(region: &mut Region) -> Vec<Kill> {
    let players: Vec<(PlayerId, Vec2)> = region
        .entities()
        .iter()
        .filter_map(|e| e.player_id().map(|p| (p, e.pos)))
        .collect();
    let mut damage_to_players: Vec<(PlayerId, i32)> = Vec::new();
    for entity in region.entities_mut().iter_mut() {
        if !entity.is_npc() {
            continue;
        }
        for (pid, pos) in &players {
            if entity.pos.distance(*pos) <= ATTACK_RANGE {
                entity.hp -= PLAYER_DAMAGE;
                entity.last_hit_by = Some(*pid);
                damage_to_players.push((*pid, NPC_DAMAGE));
            }
        }
    }
    for (pid, dmg) in damage_to_players {
        if let Some(p) = region.find_player_mut(pid) {
            p.hp = (p.hp - dmg).max(1);
        }
    }
    let id = region.id;
    let dead: Vec<(EntityId, Option<PlayerId>)> = region
        .entities()
        .iter()
        .filter(|e| e.is_npc() && !e.is_alive())
        .map(|e| (e.id, e.last_hit_by))
        .collect();
    let mut kills = Vec::with_capacity(dead.len());
    for (victim, killer) in dead {
        region.remove(victim);
        let loot = 1 + region.rng().range(0, 4);
        kills.push(Kill { region: id, victim, killer, loot });
    }
    region.entities_mut().retain(|e| e.is_alive() || e.player_id().is_some());
    kills
}

/// Push NPCs away from ghosts mirrored from neighbouring regions.
pub fn avoid_ghosts(region: &mut Region) {
    if region.ghosts.is_empty() {
        return;
    }
    let ghosts = region.ghosts.clone();
    for entity in region.entities_mut().iter_mut().filter(|e| e.is_npc()) {
        for g in &ghosts {
            let d = entity.pos - *g;
            if d.length() < GHOST_AVOID_RANGE {
                entity.vel = entity.vel + d.normalized();
            }
        }
    }
}
