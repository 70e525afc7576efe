use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use crate::types::{MatchId, PlayerId};

const HISTORY_LEN: usize = 64;

pub trait NameResolver: Send + Sync {
    fn display_name(&self, pid: PlayerId) -> String;
    fn display_names(&self, pids: &[PlayerId]) -> Vec<String>;
}

#[derive(Debug, Clone)]
pub struct RankEntry {
    pub rank: usize,
    pub player: PlayerId,
    pub name: String,
    pub score: i64,
}

#[derive(Debug, Clone)]
pub struct MatchRecord {
    pub id: MatchId,
    pub winner: PlayerId,
    pub loser: PlayerId,
    pub winner_score: i64,
}

pub struct Leaderboard {
    scores: Mutex<HashMap<PlayerId, i64>>,
    history: parking_lot::Mutex<VecDeque<MatchRecord>>,
    published: RwLock<Vec<RankEntry>>,
    resolver: OnceLock<Arc<dyn NameResolver>>,
}

impl Leaderboard {
    pub fn new() -> Self {
        Leaderboard {
            scores: Mutex::new(HashMap::new()),
            history: parking_lot::Mutex::new(VecDeque::with_capacity(HISTORY_LEN)),
            published: RwLock::new(Vec::new()),
            resolver: OnceLock::new(),
        }
    }

    pub fn set_resolver(&self, resolver: Arc<dyn NameResolver>) {
        let _ = self.resolver.set(resolver);
    }

    pub fn score(&self, pid: PlayerId) -> i64 {
        self.scores.lock().unwrap().get(&pid).copied().unwrap_or(0)
    }

    pub fn set_score(&self, pid: PlayerId, score: i64) {
        self.scores.lock().unwrap().insert(pid, score);
    }

    pub fn add_score(&self, pid: PlayerId, delta: i64) -> i64 {
        let mut scores = self.scores.lock().unwrap();
        let entry = scores.entry(pid).or_insert(0);
        *entry += delta; // CLEAN: stale-read: read-modify-write happens under one scores guard
        *entry
    }

    pub fn forget(&self, pid: PlayerId) -> Option<i64> {
        let mut scores = self.scores.lock().unwrap(); // PLANTED: lock-order: reached from SessionManager::disconnect with sessions held, while publish_top holds scores and asks the resolver (sessions)
        scores.remove(&pid)
    }

    pub fn record_match(&self, id: MatchId, winner: PlayerId, loser: PlayerId, points: i64) {
        let mut scores = self.scores.lock().unwrap();
        let winner_score = {
            let w = scores.entry(winner).or_insert(0);
            *w += points;
            *w
        };
        let l = scores.entry(loser).or_insert(0);
        *l = (*l - points / 4).max(0);
        let mut history = self.history.lock(); // CLEAN: lock-order: scores -> history is the only order in which both are ever held
        if history.len() == HISTORY_LEN {
            history.pop_front();
        }
        history.push_back(MatchRecord { id, winner, loser, winner_score });
    }

    pub fn recent_matches(&self, n: usize) -> Vec<MatchRecord> {
        let history = self.history.lock();
        history.iter().rev().take(n).cloned().collect()
    }

    fn ranked(scores: &HashMap<PlayerId, i64>, n: usize) -> Vec<(PlayerId, i64)> {
        let mut ranked: Vec<(PlayerId, i64)> = scores.iter().map(|(p, s)| (*p, *s)).collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked.truncate(n);
        ranked
    }

    /// Builds the public top-N table with display names and stores it for
    /// readers of `published()`.
    pub fn publish_top(&self, n: usize) -> Vec<RankEntry> {
        let resolver = match self.resolver.get() {
            Some(r) => Arc::clone(r),
            None => return Vec::new(),
        };
        let scores = self.scores.lock().unwrap();
        let entries: Vec<RankEntry> = Self::ranked(&scores, n)
            .into_iter()
            .enumerate()
            .map(|(i, (player, score))| RankEntry {
                rank: i + 1,
                player,
                name: resolver.display_name(player),
                score,
            })
            .collect();
        drop(scores);
        *self.published.write().unwrap() = entries.clone();
        entries
    }

    /// Short top-N line for the chat announcement.
    pub fn top_for_broadcast(&self, n: usize) -> String {
        let ranked = {
            let scores = self.scores.lock().unwrap();
            Self::ranked(&scores, n)
        };
        if ranked.is_empty() {
            return String::from("leaderboard is empty");
        }
        let names = match self.resolver.get() {
            Some(r) => {
                let ids: Vec<PlayerId> = ranked.iter().map(|(p, _)| *p).collect();
                r.display_names(&ids)
            }
            None => ranked.iter().map(|(p, _)| p.to_string()).collect(),
        };
        ranked
            .iter()
            .zip(names)
            .enumerate()
            .map(|(i, ((_, score), name))| format!("{}. {} ({})", i + 1, name, score))
            .collect::<Vec<_>>()
            .join("  ")
    }

    pub fn published(&self) -> Vec<RankEntry> {
        self.published.read().unwrap().clone()
    }
}
