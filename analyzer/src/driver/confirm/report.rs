//! What one `confirm` run found, ready for every renderer: the static report, the status of each
//! of its findings, the runtime witnesses, and the explorations that went wrong.
use super::join::{self, Twin};
use super::programs::{Program, TargetSpec};
use crate::driver::report::Report;
use racecheck::explore::harness::{shell_word, ReportLine};

/// A runtime finding and where it came from.
#[derive(Debug)]
pub struct Witness<'p> {
    pub program: &'p Program,
    /// `targeted` or `default`.
    pub strategy: &'static str,
    pub line: ReportLine,
    /// What `cargo racecheck replay` takes for its token: the token, or `@PATH` of the file a
    /// token too long for a command line was written to.
    pub replay: String,
}

impl Witness<'_> {
    /// Whether both come from one schedule of one program run, with one trace: then one
    /// drawing of the interleaving shows both.
    pub fn same_interleaving(&self, other: &Witness<'_>) -> bool {
        let (mine, theirs) = (&self.line.finding, &other.line.finding);
        std::ptr::eq(self.program, other.program)
            && self.line.target == other.line.target
            && mine.replay_token == theirs.replay_token
            && mine.trace == theirs.trace
    }

    /// The command that re-runs this witness's schedule and prints its trace.
    pub fn replay_command(&self) -> String {
        let program = self.program;
        let mut command = format!(
            "cargo racecheck replay {} -p {}",
            shell_word(&self.replay),
            program.package
        );
        match &program.target {
            TargetSpec::Bin(name) => command += &format!(" --bin {name}"),
            TargetSpec::Test(name) => command += &format!(" --test {name}"),
            TargetSpec::Lib => command += " --lib",
        }
        if program.harness {
            command += &format!(" {}", test_name(&self.line.target));
        }
        command
    }
}

/// The test harness's name of a test whose report names it by `module_path!()`: without the
/// crate's name.
pub fn test_name(target: &str) -> &str {
    target.split_once("::").map_or(target, |(_, rest)| rest)
}

/// What became of one static finding.
#[derive(Debug)]
pub enum Status {
    /// `witnesses[witness]` confirms it, as `evidence` says.
    Confirmed { witness: usize, evidence: String },
    /// No witness confirms it in the schedules explored for its package.
    NotReproduced {
        schedules: usize,
        /// The rule has no runtime twin, for this reason.
        no_twin: Option<&'static str>,
    },
}

impl Status {
    pub fn name(&self) -> &'static str {
        match self {
            Status::Confirmed { .. } => "confirmed",
            Status::NotReproduced { .. } => "not-reproduced",
        }
    }
}

/// A program whose exploration went wrong (timed out, crashed).
#[derive(Debug)]
pub struct Problem {
    pub program: String,
    pub strategy: &'static str,
    pub message: String,
}

#[derive(Debug)]
pub struct Confirmation<'a, 'p> {
    /// The static findings, after configuration, suppressions and baseline.
    pub report: Report<'a>,
    /// One per `report.diagnostics`, in order.
    pub statuses: Vec<Status>,
    pub witnesses: Vec<Witness<'p>>,
    /// Indices of the witnesses that confirm no static finding: the analyzer's misses.
    pub misses: Vec<usize>,
    pub problems: Vec<Problem>,
    /// Programs explored.
    pub programs: usize,
}

impl Confirmation<'_, '_> {
    pub fn confirmed(&self) -> usize {
        self.statuses
            .iter()
            .filter(|s| matches!(s, Status::Confirmed { .. }))
            .count()
    }
}

/// Each finding's status: confirmed by the first witness that joins it, else not reproduced in
/// the schedules explored for its package (`schedules_for`). Also the witnesses that join none.
pub fn join(
    report: &Report<'_>,
    witnesses: &[Witness<'_>],
    schedules_for: impl Fn(usize) -> usize,
) -> (Vec<Status>, Vec<usize>) {
    let statuses = report
        .diagnostics
        .iter()
        .enumerate()
        .map(|(index, diagnostic)| {
            witnesses
                .iter()
                .enumerate()
                .find_map(|(witness, w)| {
                    join::evidence(diagnostic, &w.line.finding)
                        .map(|evidence| Status::Confirmed { witness, evidence })
                })
                .unwrap_or_else(|| Status::NotReproduced {
                    schedules: schedules_for(index),
                    no_twin: match join::twin(&diagnostic.code) {
                        Some(Twin::Absent(why)) => Some(why),
                        _ => None,
                    },
                })
        })
        .collect();
    // A miss found again (by another strategy, elsewhere in the same loop) is listed once.
    let mut misses: Vec<usize> = Vec::new();
    for (index, witness) in witnesses.iter().enumerate() {
        let joins = report
            .diagnostics
            .iter()
            .any(|d| join::evidence(d, &witness.line.finding).is_some());
        let again = misses.iter().any(|&miss| {
            let earlier = &witnesses[miss];
            std::ptr::eq(earlier.program, witness.program)
                && earlier.line.finding.kind == witness.line.finding.kind
        });
        if !joins && !again {
            misses.push(index);
        }
    }
    (statuses, misses)
}

#[cfg(test)]
mod tests {
    use super::test_name;

    #[test]
    fn test_names_drop_the_crate() {
        assert_eq!(test_name("demo::tests::abba"), "tests::abba");
        assert_eq!(test_name("abba"), "abba");
    }
}
