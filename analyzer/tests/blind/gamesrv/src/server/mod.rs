pub mod presence;
pub mod registry;

use std::sync::mpsc::Receiver;
use std::sync::{Arc, Once};

use crate::chat::fanout::{Fanout, WordFilter};
use crate::chat::{ChatHub, ChatLine};
use crate::config::ServerConfig;
use crate::leaderboard::{Leaderboard, NameResolver};
use crate::matchmaking::ticket::MatchSink;
use crate::matchmaking::{MatchContext, Matchmaker};
use crate::metrics::Metrics;
use crate::persistence::store::MemoryStore;
use crate::persistence::Persistence;
use crate::session::{SessionError, SessionManager};
use crate::tick::clock::TickClock;
use crate::types::{PlayerId, RegionId, GLOBAL_ROOM};
use crate::world::events::{ChatAnnouncer, GameEvent, KillScoreListener};
use crate::world::{World, WorldError};
use presence::{Presence, StartGate};
use registry::ThreadRegistry;

static BANNER: Once = Once::new();

#[derive(Debug)]
pub enum ConnectError {
    Session(SessionError),
    World(WorldError),
}

pub struct Server {
    pub config: ServerConfig,
    pub world: Arc<World>,
    pub sessions: Arc<SessionManager>,
    pub leaderboard: Arc<Leaderboard>,
    pub matchmaker: Arc<Matchmaker>,
    pub chat: Arc<ChatHub>,
    pub persistence: Arc<Persistence>,
    pub threads: Arc<ThreadRegistry>,
    pub presence: Presence,
    pub gate: StartGate,
    pub clock: Arc<TickClock>,
    pub metrics: Arc<Metrics>,
}

impl Server {
    pub fn new(config: ServerConfig) -> Arc<Server> {
        BANNER.call_once(|| {
            eprintln!("[server] gamesrv {}: {} regions, {} Hz", env!("CARGO_PKG_VERSION"), config.region_count, config.tick_rate_hz);
        });
        let metrics = Arc::new(Metrics::new());
        let leaderboard = Arc::new(Leaderboard::new());
        let sessions = Arc::new(SessionManager::new(Arc::clone(&leaderboard), config.starting_gold));
        let resolver: Arc<dyn NameResolver> = sessions.clone();
        leaderboard.set_resolver(resolver);

        let chat = Arc::new(ChatHub::new(config.chat_buffer));
        let world = Arc::new(World::new(&config));
        world.add_listener(Box::new(KillScoreListener::new(Arc::clone(&leaderboard), 1)));
        world.add_listener(Box::new(ChatAnnouncer::new(Arc::clone(&chat))));

        let store = Box::new(MemoryStore::default());
        let persistence = Arc::new(Persistence::new(store, config.persistence_queue, Arc::clone(&leaderboard), Arc::clone(&metrics)));

        Arc::new(Server {
            world,
            sessions,
            leaderboard,
            matchmaker: Arc::new(Matchmaker::new()),
            chat,
            persistence,
            threads: Arc::new(ThreadRegistry::new()),
            presence: Presence::new(Arc::clone(&metrics)),
            gate: StartGate::new(),
            clock: Arc::new(TickClock::new()),
            metrics,
            config,
        })
    }

    /// Starts persistence, chat fan-out and matchmaking threads.
    pub fn start_services(self: &Arc<Self>) {
        if let Some(handle) = self.persistence.start() {
            self.threads.register("persistence", handle);
        }
        let fanout = Fanout::new(Arc::clone(&self.chat), WordFilter { banned: vec!["noob", "cheat"], max_len: 200 }, Arc::clone(&self.metrics));
        if let Some(handle) = fanout.spawn() {
            self.threads.register("chat-fanout", handle);
        }
        let sink: Arc<dyn MatchSink> = self.sessions.clone();
        let ctx = MatchContext {
            sink,
            leaderboard: Arc::clone(&self.leaderboard),
            chat: Arc::clone(&self.chat),
            world: Arc::clone(&self.world),
            threads: Arc::clone(&self.threads),
            match_duration: std::time::Duration::from_millis(self.config.match_duration_ms),
            reward: self.config.match_reward,
        };
        let handle = self.matchmaker.start(ctx);
        self.threads.register("matchmaker", handle);
    }

    pub fn connect(&self, pid: PlayerId, name: &str, guest: bool) -> Result<(RegionId, Receiver<ChatLine>), ConnectError> {
        self.sessions.connect(pid, name, guest).map_err(ConnectError::Session)?;
        let region = match self.world.spawn_player(pid) {
            Ok(r) => r,
            Err(e) => {
                self.sessions.disconnect(pid);
                return Err(ConnectError::World(e));
            }
        };
        let rx = self.chat.subscribe(pid);
        self.chat.join(pid, GLOBAL_ROOM);
        self.presence.enter();
        self.world.emit(GameEvent::PlayerJoined { player: pid, region });
        Ok((region, rx))
    }

    pub fn disconnect(&self, pid: PlayerId) {
        self.matchmaker.cancel(pid);
        let session = self.sessions.disconnect(pid);
        self.chat.purge_player(pid);
        self.world.despawn_player(pid);
        if session.is_some() {
            self.presence.leave();
        }
        self.world.emit(GameEvent::PlayerLeft { player: pid });
    }

    pub fn stop_services(&self) {
        self.matchmaker.stop();
        self.chat.shutdown();
        self.persistence.stop();
    }
}
