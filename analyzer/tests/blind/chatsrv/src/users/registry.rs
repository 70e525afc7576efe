use std::collections::HashMap;
use std::sync::{Mutex, RwLock};
use crate::protocol::{now_millis, UserId};

#[derive(Clone, Debug)]
pub struct UserProfile { pub id: UserId, pub name: String, pub karma: i64, pub online: bool }

/// Accounts plus the heartbeat table used by the idle sweeper.
#[derive(Default)]
pub struct UserRegistry {
    profiles: RwLock<HashMap<UserId, UserProfile>>,
    presence: Mutex<HashMap<UserId, u64>>,
}

impl UserRegistry {
    pub fn login(&self, user: UserId, name: &str) {
        let mut profiles = self.profiles.write().unwrap();
        let profile = profiles.entry(user).or_insert_with(|| UserProfile { id: user, name: String::new(), karma: 0, online: false });
        profile.name = name.to_string();
        profile.online = true;
        self.presence.lock().unwrap().insert(user, now_millis());
    }

    pub fn logout(&self, user: UserId) {
        let mut profiles = self.profiles.write().unwrap();
        profiles.entry(user).and_modify(|p| p.online = false);
        self.presence.lock().unwrap().remove(&user);
    }

    /// Heartbeat from a connected client.
    pub fn touch(&self, user: UserId) {
        let mut presence = self.presence.lock().unwrap();
        presence.insert(user, now_millis());
        if let Ok(mut profiles) = self.profiles.try_write() { // CLEAN: lock-order: presence -> profiles is the reverse of login(), but try_write never blocks, it just skips the refresh
            profiles.entry(user).and_modify(|p| p.online = true);
        }
    }

    /// Run periodically by the sweeper thread.
    pub fn sweep_idle(&self, idle_ms: u64) -> Vec<UserId> {
        let cutoff = now_millis().saturating_sub(idle_ms);
        let mut presence = self.presence.lock().unwrap();
        let idle: Vec<UserId> = presence.iter().filter(|(_, seen)| **seen < cutoff).map(|(u, _)| *u).collect();
        presence.retain(|_, seen| *seen >= cutoff);
        if !idle.is_empty() {
            let mut profiles = self.profiles.write().unwrap(); // PLANTED: lock-order: presence is held while taking profiles; login()/logout() on worker threads take profiles then presence
            for user in &idle {
                profiles.entry(*user).and_modify(|p| p.online = false);
            }
        }
        idle
    }

    pub fn karma_of(&self, user: UserId) -> i64 {
        self.profiles.read().unwrap().get(&user).map_or(0, |p| p.karma)
    }

    pub fn find_by_name(&self, name: &str) -> Option<UserId> {
        let profiles = self.profiles.read().unwrap();
        profiles.values().find(|p| p.name == name).map(|p| p.id)
    }

    pub fn upvote(&self, user: UserId) -> i64 {
        let karma = self.karma_of(user);
        let updated = karma + 1;
        let mut profiles = self.profiles.write().unwrap();
        if let Some(profile) = profiles.get_mut(&user) {
            profile.karma = updated; // PLANTED: stale-read: karma came from karma_of() under an earlier read guard; a concurrent vote in between is overwritten
        }
        updated
    }

    pub fn downvote(&self, user: UserId) -> i64 {
        let mut profiles = self.profiles.write().unwrap();
        let Some(profile) = profiles.get_mut(&user) else { return 0 };
        let karma = profile.karma;
        profile.karma = karma - 1; // CLEAN: stale-read: the read and the write happen under the same write guard
        profile.karma
    }
}
