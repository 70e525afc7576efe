pub mod events;
pub mod physics;
pub mod region;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::config::ServerConfig;
use crate::types::{EntityId, PlayerId, RegionId, Rng, Vec2};
use events::{EventListener, GameEvent};
use region::{Bounds, Direction, Entity, Region, RegionSnapshot};

#[derive(Debug)]
pub enum WorldError {
    UnknownRegion(RegionId),
    UnknownPlayer(PlayerId),
    RegionFull(RegionId),
}

pub struct World {
    regions: Vec<RwLock<Region>>,
    listeners: RwLock<Vec<Box<dyn EventListener + Send + Sync>>>,
    locations: Mutex<HashMap<PlayerId, RegionId>>,
    next_entity: AtomicU64,
    max_players_per_region: usize,
    seed: u64,
}

impl World {
    pub fn new(config: &ServerConfig) -> Self {
        let regions = (0..config.region_count)
            .map(|i| {
                let min = Vec2::new(i as f32 * config.region_width, 0.0);
                let max = Vec2::new((i + 1) as f32 * config.region_width, config.region_height);
                RwLock::new(Region::new(RegionId(i), Bounds { min, max }, config.npc_capacity))
            })
            .collect();
        World {
            regions,
            listeners: RwLock::new(Vec::new()),
            locations: Mutex::new(HashMap::new()),
            next_entity: AtomicU64::new(1),
            max_players_per_region: config.clients.max(4),
            seed: 0x5EED,
        }
    }

    pub fn region_count(&self) -> usize {
        self.regions.len()
    }

    pub fn read_region(&self, id: RegionId) -> RwLockReadGuard<'_, Region> {
        self.regions[id.0].read().unwrap()
    }

    pub fn write_region(&self, id: RegionId) -> RwLockWriteGuard<'_, Region> {
        self.regions[id.0].write().unwrap()
    }

    pub fn neighbor(&self, id: RegionId, direction: Direction) -> Option<RegionId> {
        match direction {
            Direction::West if id.0 > 0 => Some(RegionId(id.0 - 1)),
            Direction::East if id.0 + 1 < self.regions.len() => Some(RegionId(id.0 + 1)),
            _ => None,
        }
    }

    pub fn add_listener(&self, listener: Box<dyn EventListener + Send + Sync>) {
        self.listeners.write().unwrap().push(listener);
    }

    pub fn listener_names(&self) -> Vec<&'static str> {
        self.listeners.read().unwrap().iter().map(|l| l.name()).collect()
    }

    pub fn emit(&self, event: GameEvent) {
        let listeners = self.listeners.read().unwrap();
        for listener in listeners.iter() {
            listener.on_event(&event);
        }
    }

    fn alloc_entity_id(&self) -> EntityId {
        let id = self.next_entity.load(Ordering::Acquire);
        self.next_entity.store(id + 1, Ordering::Release); // PLANTED: atomic-split: load and store are separate, two spawning threads can hand out the same entity id
        EntityId(id)
    }

    pub fn region_of(&self, pid: PlayerId) -> Option<RegionId> {
        self.locations.lock().unwrap().get(&pid).copied()
    }

    pub fn snapshot(&self, id: RegionId) -> RegionSnapshot {
        self.read_region(id).snapshot()
    }

    /// Places a newly connected player in the least crowded region.
    pub fn spawn_player(&self, pid: PlayerId) -> Result<RegionId, WorldError> {
        let mut best: Option<(RegionId, usize)> = None;
        for i in 0..self.regions.len() {
            let players = self.regions[i].read().unwrap().player_count();
            if best.map_or(true, |(_, n)| players < n) {
                best = Some((RegionId(i), players));
            }
        }
        let (target, _) = best.ok_or(WorldError::UnknownRegion(RegionId(0)))?;
        let spawn_at = {
            let region = self.regions[target.0].read().unwrap();
            let mut rng = Rng::new(self.seed ^ pid.0 as u64);
            region.bounds.random_point(&mut rng)
        };
        let id = self.alloc_entity_id();
        let mut region = self.regions[target.0].write().unwrap(); // CLEAN: double-lock: the read guard lived only in the block above
        if region.player_count() >= self.max_players_per_region {
            return Err(WorldError::RegionFull(target));
        }
        region.insert(Entity::player(id, pid, spawn_at));
        drop(region);
        self.locations.lock().unwrap().insert(pid, target);
        Ok(target)
    }

    pub fn despawn_player(&self, pid: PlayerId) -> bool {
        let region = match self.locations.lock().unwrap().remove(&pid) {
            Some(r) => r,
            None => return false,
        };
        self.write_region(region).take_player(pid).is_some()
    }

    pub fn set_player_velocity(&self, pid: PlayerId, vel: Vec2) -> Result<(), WorldError> {
        let region = self.region_of(pid).ok_or(WorldError::UnknownPlayer(pid))?;
        let mut guard = self.write_region(region);
        match guard.find_player_mut(pid) {
            Some(p) => {
                p.vel = vel;
                Ok(())
            }
            None => Err(WorldError::UnknownPlayer(pid)),
        }
    }

    /// Keeps a player that ran into the world edge inside its region.
    pub fn bounce_player(&self, pid: PlayerId, region: RegionId) {
        let mut guard = self.write_region(region);
        let bounds = guard.bounds;
        if let Some(p) = guard.find_player_mut(pid) {
            p.pos = bounds.clamp(p.pos);
            p.vel = Vec2::new(-p.vel.x * 0.5, p.vel.y);
        }
    }

    pub fn player_position(&self, pid: PlayerId) -> Option<(RegionId, Vec2)> {
        let region = self.region_of(pid)?;
        let guard = self.read_region(region);
        guard
            .entities()
            .iter()
            .find(|e| e.player_id() == Some(pid))
            .map(|e| (region, e.pos))
    }

    /// Moves a player entity from one region to another, keeping its state.
    pub fn migrate_player(&self, pid: PlayerId, from: RegionId, to: RegionId, pos: Vec2) -> Result<(), WorldError> {
        if from == to {
            return Ok(());
        }
        if to.0 >= self.regions.len() {
            return Err(WorldError::UnknownRegion(to));
        }
        let mut src = self.regions[from.0].write().unwrap();
        let entity = src.take_player(pid).ok_or(WorldError::UnknownPlayer(pid))?;
        let mut dst = self.regions[to.0].write().unwrap(); // PLANTED: lock-order: source region locked before destination, opposite migrations (tick crossing vs teleport) lock the pair in reverse order
        dst.admit(entity, pos);
        self.locations.lock().unwrap().insert(pid, to);
        drop(dst);
        drop(src);
        self.emit(GameEvent::RegionChanged { player: pid, from, to });
        Ok(())
    }

    /// Moves up to `count` NPCs from region `a` to region `b`.
    pub fn rebalance_npcs(&self, a: RegionId, b: RegionId, count: usize) -> usize {
        if a == b || a.0 >= self.regions.len() || b.0 >= self.regions.len() {
            return 0;
        }
        let (lo, hi) = (a.0.min(b.0), a.0.max(b.0));
        let mut first = self.regions[lo].write().unwrap();
        let mut second = self.regions[hi].write().unwrap(); // CLEAN: lock-order: both regions are always taken lowest index first
        let (src, dst) = if a.0 == lo { (&mut *first, &mut *second) } else { (&mut *second, &mut *first) };
        let room = dst.npc_capacity.saturating_sub(dst.npc_count());
        let moved = src.take_npcs(count.min(room));
        let n = moved.len();
        let center = dst.bounds.center();
        for npc in moved {
            dst.admit(npc, center);
        }
        n
    }

    fn insert_entity(&self, id: RegionId, entity: Entity) {
        let mut region = self.regions[id.0].write().unwrap(); // PLANTED: double-lock: spawn_wave still holds the read guard of the same region when it calls this
        region.insert(entity);
    }

    /// Tops up a region's NPC population.
    pub fn spawn_wave(&self, id: RegionId, max_wave: usize, frame: u64) -> usize {
        let region = self.regions[id.0].read().unwrap();
        let missing = region.npc_capacity.saturating_sub(region.npc_count());
        if missing == 0 {
            return 0;
        }
        let bounds = region.bounds;
        let mut rng = Rng::new(self.seed ^ frame ^ ((id.0 as u64) << 32));
        let mut spawned = 0;
        for _ in 0..missing.min(max_wave) {
            let aggression = rng.range_f32(0.2, 1.0);
            let npc = Entity::npc(self.alloc_entity_id(), bounds.random_point(&mut rng), aggression);
            self.insert_entity(id, npc);
            spawned += 1;
        }
        spawned
    }

    pub fn busiest_and_quietest(&self) -> Option<(RegionId, RegionId)> {
        let mut counts: Vec<(RegionId, usize)> = (0..self.regions.len())
            .map(|i| (RegionId(i), self.regions[i].read().unwrap().npc_count()))
            .collect();
        counts.sort_by_key(|(_, n)| *n);
        let quiet = counts.first()?.0;
        let busy = counts.last()?.0;
        if busy == quiet {
            None
        } else {
            Some((busy, quiet))
        }
    }
}
