use crate::types::{EntityId, PlayerId, RegionId, Rng, Vec2};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EntityKind {
    Player(PlayerId),
    Npc { aggression: f32 },
}

#[derive(Debug, Clone)]
pub struct Entity {
    pub id: EntityId,
    pub kind: EntityKind,
    pub pos: Vec2,
    pub vel: Vec2,
    pub hp: i32,
    pub last_hit_by: Option<PlayerId>,
}

impl Entity {
    fn new(id: EntityId, kind: EntityKind, pos: Vec2, hp: i32) -> Self {
        Entity { id, kind, pos, vel: Vec2::ZERO, hp, last_hit_by: None }
    }

    pub fn player(id: EntityId, pid: PlayerId, pos: Vec2) -> Self {
        Entity::new(id, EntityKind::Player(pid), pos, 100)
    }

    pub fn npc(id: EntityId, pos: Vec2, aggression: f32) -> Self {
        Entity::new(id, EntityKind::Npc { aggression }, pos, 30)
    }

    pub fn player_id(&self) -> Option<PlayerId> {
        match self.kind {
            EntityKind::Player(pid) => Some(pid),
            _ => None,
        }
    }

    pub fn is_npc(&self) -> bool {
        matches!(self.kind, EntityKind::Npc { .. })
    }

    pub fn is_alive(&self) -> bool {
        self.hp > 0
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Bounds {
    pub min: Vec2,
    pub max: Vec2,
}

impl Bounds {
    pub fn clamp(&self, p: Vec2) -> Vec2 {
        Vec2::new(p.x.clamp(self.min.x, self.max.x - 0.01), p.y.clamp(self.min.y, self.max.y - 0.01))
    }

    pub fn center(&self) -> Vec2 {
        Vec2::new((self.min.x + self.max.x) * 0.5, (self.min.y + self.max.y) * 0.5)
    }

    pub fn random_point(&self, rng: &mut Rng) -> Vec2 {
        Vec2::new(rng.range_f32(self.min.x, self.max.x - 0.01), rng.range_f32(self.min.y, self.max.y - 0.01))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    West,
    East,
}

#[derive(Debug, Clone)]
pub struct Crossing {
    pub player: PlayerId,
    pub from: RegionId,
    pub direction: Direction,
    pub pos: Vec2,
}

#[derive(Debug, Clone)]
pub struct RegionSnapshot {
    pub region: RegionId,
    pub frame: u64,
    pub version: u64,
    pub entities: Vec<(EntityId, Vec2, i32)>,
}

#[derive(Debug)]
pub struct Region {
    pub id: RegionId,
    pub bounds: Bounds,
    pub npc_capacity: usize,
    pub frame: u64,
    pub version: u64,
    /// Positions of neighbour entities near the borders, refreshed every tick.
    pub ghosts: Vec<Vec2>,
    entities: Vec<Entity>,
    rng: Rng,
}

impl Region {
    pub fn new(id: RegionId, bounds: Bounds, npc_capacity: usize) -> Self {
        Region {
            id,
            bounds,
            npc_capacity,
            frame: 0,
            version: 0,
            ghosts: Vec::new(),
            entities: Vec::new(),
            rng: Rng::new(0xA5A5 + id.0 as u64),
        }
    }

    pub fn entities(&self) -> &[Entity] {
        &self.entities
    }

    pub fn entities_mut(&mut self) -> &mut Vec<Entity> {
        &mut self.entities
    }

    pub fn rng(&mut self) -> &mut Rng {
        &mut self.rng
    }

    pub fn insert(&mut self, entity: Entity) {
        self.version += 1;
        self.entities.push(entity);
    }

    pub fn remove(&mut self, id: EntityId) -> Option<Entity> {
        let idx = self.entities.iter().position(|e| e.id == id)?;
        self.version += 1;
        Some(self.entities.swap_remove(idx))
    }

    pub fn find_player_mut(&mut self, pid: PlayerId) -> Option<&mut Entity> {
        self.entities.iter_mut().find(|e| e.player_id() == Some(pid))
    }

    pub fn take_player(&mut self, pid: PlayerId) -> Option<Entity> {
        let idx = self.entities.iter().position(|e| e.player_id() == Some(pid))?;
        self.version += 1;
        Some(self.entities.swap_remove(idx))
    }

    pub fn admit(&mut self, mut entity: Entity, pos: Vec2) {
        entity.pos = self.bounds.clamp(pos);
        self.insert(entity);
    }

    pub fn npc_count(&self) -> usize {
        self.entities.iter().filter(|e| e.is_npc()).count()
    }

    pub fn player_count(&self) -> usize {
        self.entities.iter().filter(|e| e.player_id().is_some()).count()
    }

    pub fn take_npcs(&mut self, n: usize) -> Vec<Entity> {
        let mut taken = Vec::new();
        let mut i = 0;
        while i < self.entities.len() && taken.len() < n {
            if self.entities[i].is_npc() {
                taken.push(self.entities.swap_remove(i));
            } else {
                i += 1;
            }
        }
        if !taken.is_empty() {
            self.version += 1;
        }
        taken
    }

    /// Players whose position left the region this frame.  They stay in the
    /// entity list until the world moves them.
    pub fn collect_crossings(&self) -> Vec<Crossing> {
        self.entities
            .iter()
            .filter_map(|e| {
                let pid = e.player_id()?;
                if e.pos.x < self.bounds.min.x {
                    Some(Crossing { player: pid, from: self.id, direction: Direction::West, pos: e.pos })
                } else if e.pos.x >= self.bounds.max.x {
                    Some(Crossing { player: pid, from: self.id, direction: Direction::East, pos: e.pos })
                } else {
                    None
                }
            })
            .collect()
    }

    pub fn border_entities(&self, direction: Direction, margin: f32) -> Vec<Vec2> {
        self.entities
            .iter()
            .filter(|e| match direction {
                Direction::West => e.pos.x < self.bounds.min.x + margin,
                Direction::East => e.pos.x >= self.bounds.max.x - margin,
            })
            .map(|e| e.pos)
            .collect()
    }

    pub fn snapshot(&self) -> RegionSnapshot {
        RegionSnapshot {
            region: self.id,
            frame: self.frame,
            version: self.version,
            entities: self.entities.iter().map(|e| (e.id, e.pos, e.hp)).collect(),
        }
    }
}
