//! Shared handles every client worker needs.

use std::sync::Arc;

use crate::admin::AdminClient;
use crate::cache::StatementCache;
use crate::config::Config;
use crate::metrics::Metrics;
use crate::migrate::MigrationRunner;
use crate::pool::Pool;
use crate::router::Router;
use crate::wal::Wal;
use crate::worker::workload::Workload;

pub struct AppContext {
    pub cfg: Config,
    pub pool: Arc<Pool>,
    pub cache: Arc<StatementCache>,
    pub router: Arc<Router>,
    pub wal: Arc<Wal>,
    pub metrics: Arc<Metrics>,
    pub migrations: Arc<MigrationRunner>,
    pub admin: AdminClient,
    pub workload: Workload,
}

