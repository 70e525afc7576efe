//! Wiring: builds every part of the shop, starts its threads and shuts it down in order.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use racecheck::{Event, JoinHandle, Lock, Panicked};

use crate::billing::{Billing, PeriodSummary, WalletError};
use crate::control::{stats, Control, Heartbeat};
use crate::intake::{JobIntake, ProofDesk, RenderReport, Renderer};
use crate::model::{format_cents, CustomerId, JobId, JobSpec};
use crate::monitor::{self, Dashboard, StatusBoard};
use crate::printers::{build_driver, Maintenance, PrinterBank, SpoolConfig, Spooler};
use crate::raster::{FilterChain, PreviewService, RasterService};

#[derive(Debug, Clone)]
pub struct ShopConfig {
    pub renderers: usize,
    pub feeders: usize,
    pub raster_workers: usize,
    pub preview_workers: usize,
    pub dpi: u32,
    pub printers: Vec<&'static str>,
    pub customers: Vec<CustomerId>,
    pub house: CustomerId,
    pub quota_per_customer: usize,
    pub spool: SpoolConfig,
    pub maintenance_every: Duration,
    pub settle_every: Duration,
    pub refresh_every: Duration,
    pub heartbeat_every: Duration,
}

impl Default for ShopConfig {
    fn default() -> Self {
        ShopConfig {
            renderers: 3,
            feeders: 2,
            raster_workers: 4,
            preview_workers: 1,
            dpi: 300,
            printers: vec!["laser", "laser-heavy", "inkjet"],
            customers: (1..=5).map(CustomerId).collect(),
            house: CustomerId(0),
            quota_per_customer: 2,
            spool: SpoolConfig::default(),
            maintenance_every: Duration::from_millis(15),
            settle_every: Duration::from_millis(25),
            refresh_every: Duration::from_millis(60),
            heartbeat_every: Duration::from_millis(100),
        }
    }
}

/// Thread handles of one kind, joined together.
pub struct WorkerSet<R> {
    role: &'static str,
    handles: Lock<Vec<JoinHandle<R>>>,
}

impl<R> WorkerSet<R> {
    pub fn new(role: &'static str) -> Self {
        WorkerSet { role, handles: Lock::new(Vec::new()) }
    }

    pub fn add(&self, handle: JoinHandle<R>) {
        self.handles.acquire().push(handle);
    }

    pub fn len(&self) -> usize {
        self.handles.acquire().len()
    }

    /// Joins every thread added so far, in start order.
    pub fn join_all(&self) -> Vec<R> {
        let handles = std::mem::take(&mut *self.handles.acquire());
        let mut results = Vec::with_capacity(handles.len());
        for handle in handles {
            let name = handle.name().to_owned();
            let outcome: Result<R, Panicked> = handle.join(); // CLEAN: blocking-while-holding: the handle list was taken out and its guard dropped at the `;` of mem::take
            match outcome {
                Ok(value) => results.push(value),
                Err(panicked) => eprintln!("{} {name} panicked: {}", self.role, panicked.message),
            }
        }
        results
    }
}

pub struct ShopReport {
    pub accepted: u64,
    pub rendered: u64,
    pub fed: u64,
    pub renderers: Vec<RenderReport>,
    pub printers: (u64, u64, u32),
    pub wallet_total: i64,
    pub audit_entries: usize,
    pub proofs_approved: usize,
    pub proofs_rejected: u64,
    pub previews: u64,
    pub periods: Vec<PeriodSummary>,
}

impl fmt::Display for ShopReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "== print shop report ==")?;
        writeln!(f, "jobs accepted {}, rendered {}, fed {}", self.accepted, self.rendered, self.fed)?;
        for renderer in &self.renderers {
            writeln!(f, "  {renderer}")?;
        }
        let (jobs, sheets, jams) = self.printers;
        writeln!(f, "printers: {jobs} jobs, {sheets} sheets, {jams} jams")?;
        let wallets = format_cents(self.wallet_total);
        writeln!(f, "billing: {} audit entries, {wallets} left in wallets", self.audit_entries)?;
        let (previews, approved, rejected) = (self.previews, self.proofs_approved, self.proofs_rejected);
        writeln!(f, "proofs: {previews} previews, {approved} approved, {rejected} rejected")?;
        for period in &self.periods {
            writeln!(f, "  {period}")?;
        }
        Ok(())
    }
}

pub struct PrintShop {
    config: ShopConfig,
    control: Arc<Control>,
    intake: Arc<JobIntake>,
    raster: Arc<RasterService>,
    previews: Arc<PreviewService>,
    bank: Arc<PrinterBank>,
    spooler: Arc<Spooler>,
    billing: Arc<Billing>,
    proofs: Arc<ProofDesk>,
    board: Arc<StatusBoard>,
    dirty: Arc<Event>,
    renderers: WorkerSet<RenderReport>,
    services: WorkerSet<()>,
    archivers: WorkerSet<PeriodSummary>,
}

impl PrintShop {
    pub fn build(config: ShopConfig) -> Self {
        let control = Arc::new(Control::new());
        let dirty = Arc::new(Event::new());
        let drivers = config.printers.iter().map(|kind| build_driver(kind)).collect();
        let bank = Arc::new(PrinterBank::new(drivers));
        let spooler = Arc::new(Spooler::new(
            config.spool.clone(),
            config.feeders,
            Arc::clone(&bank),
            Arc::clone(&control),
            Arc::clone(&dirty),
        ));
        let billing = Arc::new(Billing::new(
            &config.customers,
            config.house,
            config.quota_per_customer,
            Arc::clone(&control),
        ));
        PrintShop {
            intake: Arc::new(JobIntake::new()),
            raster: Arc::new(RasterService::new(config.raster_workers, config.dpi, FilterChain::standard())),
            previews: Arc::new(PreviewService::new(config.preview_workers, 8)),
            proofs: Arc::new(ProofDesk::new(0.05)),
            board: Arc::new(StatusBoard::new()),
            renderers: WorkerSet::new("renderer"),
            services: WorkerSet::new("service"),
            archivers: WorkerSet::new("archiver"),
            control,
            dirty,
            bank,
            spooler,
            billing,
            config,
        }
    }

    /// Starts every thread of the shop.
    pub fn start(&self) {
        self.control.start();

        let (link, status_monitor) = monitor::open(Arc::clone(&self.board));
        self.services.add(status_monitor.spawn());
        let dashboard = Dashboard::new(
            link,
            Arc::clone(&self.board),
            Arc::clone(&self.bank),
            Arc::clone(&self.dirty),
            Arc::clone(&self.control),
            self.config.refresh_every,
        );
        self.services.add(dashboard.spawn());

        for n in 0..self.config.feeders {
            self.services.add(self.spooler.spawn_feeder(n));
        }
        self.services.add(self.spooler.spawn_loader());

        for index in 0..self.config.renderers {
            let renderer = Renderer {
                index,
                intake: Arc::clone(&self.intake),
                raster: Arc::clone(&self.raster),
                previews: Arc::clone(&self.previews),
                billing: Arc::clone(&self.billing),
                bank: Arc::clone(&self.bank),
                spooler: Arc::clone(&self.spooler),
                proofs: Arc::clone(&self.proofs),
                control: Arc::clone(&self.control),
            };
            self.renderers.add(renderer.spawn());
        }

        let maintenance = Maintenance::new(
            Arc::clone(&self.bank),
            Arc::clone(&self.intake),
            Arc::clone(&self.control),
            self.config.maintenance_every,
        );
        self.services.add(maintenance.spawn());
        self.services.add(self.billing.spawn_settler(self.config.settle_every));
        self.archivers.add(self.billing.spawn_archiver());
        self.services.add(self.proofs.spawn_checker());

        Heartbeat::new(Arc::clone(&self.control), self.config.heartbeat_every)
            .watch(self.spooler.clone())
            .watch(self.raster.clone())
            .watch(self.billing.clone())
            .start();
    }

    pub fn customers(&self) -> &[CustomerId] {
        &self.config.customers
    }

    pub fn submit(&self, customer: CustomerId, spec: JobSpec) -> Option<JobId> {
        self.intake.submit(customer, spec)
    }

    pub fn prepay(&self, customer: CustomerId, amount: i64) -> Result<i64, WalletError> {
        self.billing.prepay(customer, amount)
    }

    pub fn transfer_credit(&self, from: CustomerId, to: CustomerId, amount: i64) -> Result<(), WalletError> {
        self.billing.transfer_credit(from, to, amount)
    }

    pub fn pause(&self) {
        self.control.pause();
    }

    pub fn resume(&self) {
        self.control.resume();
    }

    pub fn backlog(&self) -> usize {
        self.intake.backlog()
    }

    /// Stops taking jobs and waits until everything accepted has been fed to a printer.
    pub fn drain(&self) -> u64 {
        self.intake.close_and_drain(self.renderers.len());
        self.spooler.wait_drained()
    }

    pub fn shutdown(&self) -> ShopReport {
        self.intake.close_and_drain(self.config.renderers);
        let renderers = self.renderers.join_all();
        let fed = self.spooler.wait_drained();

        self.control.request_shutdown();
        self.spooler.shutdown();

        self.previews.shutdown();
        self.raster.shutdown();

        self.proofs.wait_until_checked();
        self.proofs.stop();
        self.services.join_all();

        let periods = self.archivers.join_all();
        let snapshot = stats::snapshot();
        ShopReport {
            accepted: snapshot.accepted,
            rendered: snapshot.rendered,
            fed,
            renderers,
            printers: self.bank.totals(),
            wallet_total: self.billing.wallet_total(),
            audit_entries: self.billing.audit_len(),
            proofs_approved: self.proofs.approved(),
            proofs_rejected: self.proofs.rejected(),
            previews: self.previews.made(),
            periods,
        }
    }
}
