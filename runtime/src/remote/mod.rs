//! Objects shared across processes. A process serves its objects through an object server (a
//! thread listening on a socket: `server.rs`); another process holds a [`RemoteRef`] to one of
//! them and each operation is one request and one reply over an authenticated connection
//! (`client.rs`, `auth.rs`, `wire.rs`, `protocol.rs`).
//!
//! A racecheck object given to a [`Process`](crate::Process) is *exported* while its arguments
//! are serialized: the parent's own server (started on first need, on a Linux abstract Unix
//! socket, with a random key) serves it, and the child receives a reference that works the same
//! API. The [`Manager`](crate::Manager) is the same server, holding named objects of its own.

pub(crate) mod auth;
mod client;
mod handoff;
mod lane;
pub(crate) mod protocol;
mod served;
mod server;
pub(crate) mod share;
pub(crate) mod wire;

pub use client::RemoteError;
pub(crate) use client::{install_keys, keyring, settle_thread, Address, RemoteRef};
pub(crate) use handoff::Handoff;
pub(crate) use lane::take_fed;
pub(crate) use served::Served;
pub(crate) use server::{export, export_while, Exports, Server, SERVER_OBJECT};

/// Opens and authenticates one connection to `address`, then closes it: whether a server is there
/// and takes `key`.
pub(crate) fn connect_once(address: &Address, key: &[u8]) -> Result<(), RemoteError> {
    client::connect(address, key).map(drop)
}
