use std::collections::{BTreeSet, HashMap};
use crate::protocol::{RoomId, UserId};

/// Plain room state; always accessed through the directory's per-room mutex.
#[derive(Debug)]
pub struct Room { pub id: RoomId, pub title: String, pub last_message: u64, members: BTreeSet<UserId>, unread: HashMap<UserId, u32> }

impl Room {
    pub fn new(id: RoomId, title: &str) -> Self {
        Room { id, title: title.to_string(), last_message: 0, members: BTreeSet::new(), unread: HashMap::new() }
    }

    pub fn add_member(&mut self, user: UserId) -> bool { self.members.insert(user) }
    pub fn is_member(&self, user: UserId) -> bool { self.members.contains(&user) }
    pub fn members(&self) -> impl Iterator<Item = UserId> + '_ { self.members.iter().copied() }
    pub fn take_unread(&mut self, user: UserId) -> u32 { self.unread.remove(&user).unwrap_or(0) }

    pub fn remove_member(&mut self, user: UserId) -> bool {
        self.unread.remove(&user);
        self.members.remove(&user)
    }

    pub fn bump_unread_except(&mut self, author: UserId) {
        for member in self.members.iter().filter(|m| **m != author) {
            *self.unread.entry(*member).or_insert(0) += 1;
        }
    }
}
