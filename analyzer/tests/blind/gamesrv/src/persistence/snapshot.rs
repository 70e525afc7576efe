use std::fmt::Write as _;

use crate::leaderboard::RankEntry;
use crate::world::region::RegionSnapshot;

pub fn checksum(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in bytes {
        a = (a + byte as u32) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

pub fn encode_region(snapshot: &RegionSnapshot) -> Vec<u8> {
    let mut body = format!("region {} frame {} version {}\n", snapshot.region.0, snapshot.frame, snapshot.version);
    for (id, pos, hp) in &snapshot.entities {
        let _ = writeln!(body, "{} {:.2} {:.2} {}", id.0, pos.x, pos.y, hp);
    }
    seal(body)
}

pub fn encode_ranking(frame: u64, entries: &[RankEntry]) -> Vec<u8> {
    let mut body = format!("ranking frame {}\n", frame);
    for e in entries {
        let _ = writeln!(body, "{} {} {} {}", e.rank, e.player.0, e.score, e.name.replace(' ', "_"));
    }
    seal(body)
}

fn seal(mut body: String) -> Vec<u8> {
    let sum = checksum(body.as_bytes());
    let _ = write!(body, "#{:08x}", sum);
    body.into_bytes()
}

/// Number of entity lines in a sealed region record, or 0 if it is corrupt.
pub fn entity_count(bytes: &[u8]) -> usize {
    let Some(split) = bytes.len().checked_sub(9) else { return 0 };
    let (body, tail) = bytes.split_at(split);
    let stored = std::str::from_utf8(&tail[1..]).ok().and_then(|h| u32::from_str_radix(h, 16).ok());
    if tail[0] != b'#' || stored != Some(checksum(body)) {
        return 0;
    }
    String::from_utf8_lossy(body).lines().count().saturating_sub(1)
}
