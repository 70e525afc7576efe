#![allow(dead_code)]

pub mod delivery;
pub mod history;
pub mod metrics;
pub mod protocol;
pub mod rooms;
pub mod server;
pub mod users;

pub use protocol::{Command, Message, RoomId, UserId};
pub use server::{Server, ServerConfig};
