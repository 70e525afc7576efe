//! Billing: prices, prepaid wallets, the ledger, the audit trail and billing periods.

mod audit;
mod ledger;
mod quota;
mod rates;
mod wallet;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use racecheck::{Condition, JoinHandle, Lock, Semaphore, Thread};

use crate::control::{Control, HealthProbe};
use crate::model::{format_cents, CustomerId, PrintJob, RasterSummary};

pub use audit::{AuditTrail, EntryKind};
pub use ledger::Ledger;
pub use quota::QuotaBoard;
pub use rates::{RateCard, Rates};
pub use wallet::{WalletError, Wallets};

#[derive(Debug)]
struct PeriodState {
    number: u32,
    closed: bool,
    settled_entries: usize,
}

#[derive(Debug, Clone)]
pub struct PeriodSummary {
    pub number: u32,
    pub settled_entries: usize,
    pub balance: i64,
    pub invoiced: i64,
}

impl fmt::Display for PeriodSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (invoiced, net) = (format_cents(self.invoiced), format_cents(self.balance));
        write!(f, "period {}: {} settled, invoiced {invoiced}, net {net}", self.number, self.settled_entries)
    }
}

pub struct Billing {
    ledger: Arc<Ledger>,
    audit: Arc<AuditTrail>,
    rates: Rates,
    quotas: QuotaBoard,
    wallets: Wallets,
    period: Lock<PeriodState>,
    period_closed: Condition,
    house: CustomerId,
    control: Arc<Control>,
}

impl Billing {
    pub fn new(
        customers: &[CustomerId],
        house: CustomerId,
        quota_per_customer: usize,
        control: Arc<Control>,
    ) -> Self {
        let mut everyone = customers.to_vec();
        if !everyone.contains(&house) {
            everyone.push(house);
        }
        Billing {
            ledger: Arc::new(Ledger::new(&everyone)),
            audit: Arc::new(AuditTrail::new()),
            rates: Rates::new(RateCard::default()),
            quotas: QuotaBoard::new(quota_per_customer).with_override(house, 8),
            wallets: Wallets::new(&everyone),
            period: Lock::new(PeriodState { number: 1, closed: false, settled_entries: 0 }),
            period_closed: Condition::new(),
            house,
            control,
        }
    }

    pub fn quota_for(&self, customer: CustomerId) -> Arc<Semaphore> {
        self.quotas.semaphore_for(customer)
    }

    pub fn prepay(&self, customer: CustomerId, amount: i64) -> Result<i64, WalletError> {
        self.wallets.deposit(customer, amount)
    }

    pub fn transfer_credit(&self, from: CustomerId, to: CustomerId, amount: i64) -> Result<(), WalletError> {
        self.wallets.transfer(from, to, amount)
    }

    /// Prices a rendered job, takes what it can from the prepaid wallet and books the rest.
    pub fn charge_job(&self, job: &PrintJob, pages: &[RasterSummary]) -> i64 {
        let mean_coverage = if pages.is_empty() {
            0.0
        } else {
            pages.iter().map(|page| page.coverage).sum::<f32>() / pages.len() as f32
        };
        let cost = self.rates.price(&job.spec) + self.rates.ink_surcharge(mean_coverage, pages.len());
        let balance = self.ledger.balance(job.customer);
        let prepaid = self.wallets.draw(job.customer, cost);
        let owed = cost - prepaid;
        self.ledger.set_balance(job.customer, balance - owed); // PLANTED: stale-read: balance read via the getter, lock released, then written back; two renderers charging the same customer lose one charge
        self.ledger.record_invoice(job.customer, cost, &self.audit);
        cost
    }

    pub fn refund(&self, customer: CustomerId, amount: i64) -> i64 {
        let balance = self.ledger.adjust_balance(customer, amount);
        self.audit.append(customer, -amount, EntryKind::Refund);
        balance
    }

    pub fn settle_period(&self) -> usize {
        let settled = self.audit.drain_pending(&self.ledger);
        self.period.acquire().settled_entries += settled;
        settled
    }

    pub fn close_period(&self) -> u32 {
        let mut period = self.period.acquire();
        period.closed = true;
        period.number
    }

    /// Blocks until the current period is closed and returns its figures.
    pub fn wait_for_close(&self) -> PeriodSummary {
        let mut period = self.period.acquire();
        while !period.closed {
            period = self.period_closed.wait(period); // PLANTED: wait-never-signalled: close_period sets `closed` but nothing ever notifies period_closed, so the archiver sleeps forever
        }
        let number = period.number;
        let settled_entries = period.settled_entries;
        drop(period);
        let (balance, invoiced) = self.ledger.totals();
        PeriodSummary { number, settled_entries, balance, invoiced }
    }

    /// Credits a small goodwill amount from the house wallet to customers with big bills.
    fn reward_regulars(&self) -> u32 {
        let mut rewarded = 0;
        for customer in self.ledger.customers() {
            if customer == self.house {
                continue;
            }
            let owed = -self.ledger.balance(customer);
            if owed > 5_000 && self.wallets.transfer(self.house, customer, 100).is_ok() {
                rewarded += 1;
            }
        }
        rewarded
    }

    pub fn spawn_settler(self: &Arc<Self>, every: Duration) -> JoinHandle<()> {
        let billing = Arc::clone(self);
        Thread::new(move || billing.settle_loop(every)).name("billing-settler").start()
    }

    fn settle_loop(&self, every: Duration) {
        let mut rounds = 0u32;
        let mut rewarded = 0u32;
        while !self.control.sleep_unless_shutdown(every) {
            self.settle_period();
            rewarded += self.reward_regulars();
            rounds += 1;
        }
        self.settle_period();
        let number = self.close_period();
        if std::env::var_os("PRINTSHOP_QUIET").is_none() {
            eprintln!("billing: closed period {number} after {rounds} rounds, {rewarded} rewards");
        }
    }

    pub fn spawn_archiver(self: &Arc<Self>) -> JoinHandle<PeriodSummary> {
        let billing = Arc::clone(self);
        Thread::new(move || {
            let summary = billing.wait_for_close();
            eprintln!("archive: {summary}");
            summary
        })
        .name("billing-archiver")
        .start()
    }

    pub fn wallet_total(&self) -> i64 {
        self.wallets.total()
    }

    pub fn audit_len(&self) -> usize {
        self.audit.len()
    }
}

impl HealthProbe for Billing {
    fn component(&self) -> &'static str {
        "billing"
    }

    fn health(&self) -> String {
        let (balance, invoiced) = self.ledger.totals();
        let lag = self.audit.oldest_unsettled_ms().map_or_else(|| "none".to_owned(), |ms| format!("{ms}ms"));
        let (invoiced, net, unsettled) =
            (format_cents(invoiced), format_cents(balance), self.audit.unsettled());
        format!("invoiced {invoiced}, net {net}, {unsettled} unsettled (oldest {lag})")
    }
}
