//! Service discovery: periodically rebuilds the route table from the service
//! catalog and pushes it into the router.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::Duration;

use super::{Route, Router};

/// What the catalog advertises at a given tick: the static routes, plus a
/// canary route that comes and goes as its instances register.
fn catalog_snapshot(base: &[Route], tick: u64) -> Vec<Route> {
    let mut table: Vec<Route> = base.iter().filter(|r| r.enabled).cloned().collect();
    if tick % 6 >= 3 {
        table.push(Route::to("/v2/", 1).with_fallback(0));
    }
    table
}

pub fn spawn(
    router: Arc<Router>,
    base: Vec<Route>,
    every: Duration,
    stop: Arc<AtomicBool>,
) -> JoinHandle<()> {
    thread::Builder::new()
        .name("route-discovery".into())
        .spawn(move || {
            let mut tick = 0u64;
            while !stop.load(Ordering::Acquire) {
                thread::sleep(every);
                tick += 1;
                let table = catalog_snapshot(&base, tick);
                if router.reload(table) {
                    eprintln!(
                        "[discovery] route table now generation {} ({} routes)",
                        router.generation(),
                        router.len()
                    );
                }
            }
        })
        .expect("spawn discovery")
}
