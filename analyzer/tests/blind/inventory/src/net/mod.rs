pub mod session;

pub use session::{SessionId, SessionManager};

/// Notified when scanner sessions come and go.
pub trait Observer: Send + Sync {
    fn on_open(&self, id: SessionId, user: &str);
}

/// Decides whether a scanner may open a session.
pub trait Authenticator {
    fn authenticate(&self, user: &str, token: &str) -> bool;
}

pub struct StaticTokens(pub Vec<(&'static str, &'static str)>);

impl Authenticator for StaticTokens {
    fn authenticate(&self, user: &str, token: &str) -> bool {
        self.0.iter().any(|&(u, t)| u == user && t == token)
    }
}
