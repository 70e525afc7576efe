use crate::session::Item;
use crate::types::{PlayerId, Rng};

#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    Move { dx: f32, dy: f32 },
    Teleport { region: usize },
    Say { text: String },
    Buy { item: Item },
    Rename { name: String },
    Quest { points: i64 },
    QueueRanked,
    QueueCasual,
    SetTopic { text: String },
}

const PHRASES: &[&str] = &["hello", "gg", "anyone up for a match?", "nice one", "brb", "that noob again", "lag?"];

/// Generates the command stream of one simulated player.
pub struct SimulatedClient {
    pub player: PlayerId,
    rng: Rng,
    regions: usize,
    queued_once: bool,
}

impl SimulatedClient {
    pub fn new(player: PlayerId, regions: usize, seed: u64) -> Self {
        SimulatedClient { player, rng: Rng::new(seed ^ player.0 as u64), regions, queued_once: false }
    }

    fn pick_item(&mut self) -> Item {
        *self.rng.pick(&Item::ALL).unwrap_or(&Item::Potion)
    }

    pub fn next_command(&mut self, round: usize, frame: u64) -> Command {
        if round == 3 && !self.queued_once {
            self.queued_once = true;
            return if self.player.0 % 2 == 0 { Command::QueueRanked } else { Command::QueueCasual };
        }
        let roll = self.rng.range(0, 100);
        match roll {
            0..=39 => {
                let dx = self.rng.range_f32(-60.0, 60.0);
                let dy = self.rng.range_f32(-20.0, 20.0);
                Command::Move { dx, dy }
            }
            40..=46 => Command::Teleport { region: self.rng.range(0, self.regions as u64) as usize },
            47..=56 => {
                let text = self.rng.pick(PHRASES).copied().unwrap_or("hi").to_string();
                Command::Say { text }
            }
            57..=68 => {
                let item = self.pick_item();
                Command::Buy { item }
            }
            69..=71 => Command::Rename { name: format!("{}-{}", self.player, self.rng.range(0, 1_000)) },
            72..=80 => Command::Quest { points: self.rng.range(1, 15) as i64 },
            81..=83 => Command::QueueCasual,
            84..=87 => Command::QueueRanked,
            88..=89 => Command::SetTopic { text: format!("round {}", round) },
            _ => Command::Say { text: format!("frame {}", frame) },
        }
    }
}
