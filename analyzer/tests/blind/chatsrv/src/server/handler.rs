use std::sync::Arc;
use super::worker::{CommandHandler, Flow, Limits};
use crate::delivery::{Outbox, PushDispatcher};
use crate::history::HistoryStore;
use crate::metrics;
use crate::protocol::{now_millis, Command, Message, RoomId, UserId};
use crate::rooms::RoomDirectory;
use crate::users::UserRegistry;

/// Application logic shared by all worker threads.
pub struct ChatHandler {
    pub rooms: Arc<RoomDirectory>,
    pub users: Arc<UserRegistry>,
    pub outbox: Arc<Outbox>,
    pub history: Arc<HistoryStore>,
    pub push: Arc<PushDispatcher>,
}

impl ChatHandler {
    fn handle_post(&self, author: UserId, room: RoomId, body: String, limits: Limits) {
        if body.len() > limits.max_body_len { return metrics::bump("post.rejected"); }
        let msg = Message { id: metrics::next_message_id(), room, author, body, sent_at: now_millis() };
        if !self.rooms.post(&msg) { return metrics::bump("post.not_member"); }
        metrics::record_routed(msg.body.len());
        for target in msg.mentions().filter_map(|name| self.users.find_by_name(name)) {
            self.push.submit(target, msg.body.chars().take(80).collect());
        }
    }

    /// Leaving purges queued mail for the room; the queues stay locked until
    /// membership is gone so nothing for that room slips in between.
    fn handle_leave(&self, user: UserId, room: RoomId) {
        let mut queues = self.outbox.lock_queues();
        let purged = Outbox::purge_room(&mut queues, user, room);
        self.rooms.leave(room, user);
        drop(queues);
        metrics::add("outbox.purged_on_leave", purged as u64);
    }
}

impl CommandHandler for ChatHandler {
    fn handle(&self, cmd: Command, limits: Limits) -> Flow {
        match cmd {
            Command::Login { user, name } => {
                self.users.login(user, &name);
                self.push.register_device(user, format!("device:{}", name));
            }
            Command::Logout { user } => {
                self.users.logout(user);
                self.push.unregister_device(user);
            }
            Command::ReadHistory { user, room, limit } => {
                metrics::add("history.served", self.history.tail(room, limit).len() as u64);
                self.history.record_read(user, room);
                self.rooms.unread_for(room, user);
            }
            Command::CreateRoom { room, title } => drop(self.rooms.open_room(room, &title)),
            Command::Join { user, room } => drop(self.rooms.join(room, user)),
            Command::Leave { user, room } => self.handle_leave(user, room),
            Command::Post { user, room, body } => self.handle_post(user, room, body, limits),
            Command::Upvote { user } => drop(self.users.upvote(user)),
            Command::Downvote { user } => drop(self.users.downvote(user)),
            Command::Export { room } => metrics::add("history.export_bytes", self.history.export(room).len() as u64),
            Command::FlushPush => drop(self.push.flush_now()),
            Command::Heartbeat { user } => self.users.touch(user),
            Command::Shutdown => return Flow::Stop,
        }
        Flow::Continue
    }
}
