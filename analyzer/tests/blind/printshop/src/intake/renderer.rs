//! Renderer threads: take a job from the counter, rasterize it, bill it, hand it to the spooler.

use std::fmt;
use std::sync::Arc;

use racecheck::{JoinHandle, Thread};

use super::{JobIntake, ProofDesk, ProofRequest};
use crate::billing::Billing;
use crate::control::{stats, Control};
use crate::model::{format_cents, IntakeItem, JobId, PrintJob, SpecError};
use crate::printers::{PrinterBank, SpoolJob, Spooler};
use crate::raster::{PreviewService, RasterError, RasterService};

#[derive(Debug)]
pub enum RenderError {
    Spec(JobId, SpecError),
    Raster(RasterError),
    NoPrinter(JobId),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Spec(id, err) => write!(f, "{id} rejected: {err}"),
            RenderError::Raster(err) => write!(f, "raster failed: {err}"),
            RenderError::NoPrinter(id) => write!(f, "{id}: no printer can take it right now"),
        }
    }
}

#[derive(Debug, Default, Clone)]
pub struct RenderReport {
    pub worker: usize,
    pub rendered: u64,
    pub failed: u64,
    pub billed: i64,
    pub refunded: i64,
}

impl fmt::Display for RenderReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (billed, refunded) = (format_cents(self.billed), format_cents(self.refunded));
        let (worker, rendered, failed) = (self.worker, self.rendered, self.failed);
        write!(
            f,
            "renderer-{worker}: {rendered} rendered, {failed} failed, billed {billed}, refunded {refunded}"
        )
    }
}

pub struct Renderer {
    pub index: usize,
    pub intake: Arc<JobIntake>,
    pub raster: Arc<RasterService>,
    pub previews: Arc<PreviewService>,
    pub billing: Arc<Billing>,
    pub bank: Arc<PrinterBank>,
    pub spooler: Arc<Spooler>,
    pub proofs: Arc<ProofDesk>,
    pub control: Arc<Control>,
}

enum Outcome {
    Spooled(i64),
    Refunded(i64),
}

impl Renderer {
    pub fn spawn(self) -> JoinHandle<RenderReport> {
        let name = format!("renderer-{}", self.index);
        Thread::new(move || self.run()).name(name).start() // CLEAN: thread-never-joined: the handle goes into PrintShop::renderers and is joined in shutdown
    }

    fn run(self) -> RenderReport {
        let mut report = RenderReport { worker: self.index, ..RenderReport::default() };
        loop {
            self.control.wait_until_running();
            let job = match self.intake.next() {
                IntakeItem::Stop => {
                    self.intake.finish();
                    break;
                }
                IntakeItem::Job(job) => job,
            };
            match self.process(&job) {
                Ok(Outcome::Spooled(cost)) => {
                    report.rendered += 1;
                    report.billed += cost;
                }
                Ok(Outcome::Refunded(cost)) => {
                    report.failed += 1;
                    report.refunded += cost;
                }
                Err(err) => {
                    report.failed += 1;
                    eprintln!("renderer-{}: {err}", self.index);
                }
            }
            self.intake.finish();
        }
        report
    }

    fn process(&self, job: &PrintJob) -> Result<Outcome, RenderError> {
        job.spec.validate().map_err(|err| RenderError::Spec(job.id, err))?;
        let quota = self.billing.quota_for(job.customer);
        let _slot = quota.acquire();

        let pages = self.raster.render_job(job).map_err(RenderError::Raster)?;
        let cost = self.billing.charge_job(job, &pages);
        stats::note_rendered();

        if job.spec.needs_proof {
            let thumbnail = self.previews.thumbnail(job.id, &pages);
            self.proofs.submit(ProofRequest { job: job.id, customer: job.customer, thumbnail });
        }

        let Some(printer) = self.bank.pick_printer(&job.spec) else {
            self.billing.refund(job.customer, cost);
            self.raster.forget(job.id);
            eprintln!("renderer-{}: {}", self.index, RenderError::NoPrinter(job.id));
            return Ok(Outcome::Refunded(cost));
        };
        self.spooler.enqueue(SpoolJob { job: job.clone(), printer, sheets: job.spec.sheets() });
        Ok(Outcome::Spooled(cost))
    }
}
