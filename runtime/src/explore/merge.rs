//! Putting the reports of a partitioned run's shares together into the report one unsharded run
//! gives: the lowest failing schedule wins (else the lowest warning), schedules are numbered as
//! one run numbers them, and an exhaustive search is complete only if every share's is.
//!
//! A sampling strategy's shares number their schedules as one run does already. The exhaustive
//! search's shares number their own; their units (see [`Unit`]) give each schedule its place in
//! one run: a unit's schedules come after those of every unit the search reaches before it.

use super::finding::{Coverage, Finding, FindingKind, Report, Unit};
use super::partition::Partition;

/// The report one run over every share would have given, from the report of each share (in any
/// order). `Err` says what is wrong: shares of different partitions, a share missing or given
/// twice, an exhaustive share beside a sampling one, different preemption bounds.
pub fn merge(shares: &[Report]) -> Result<Report, String> {
    let first = shares.first().ok_or("no report to merge")?;
    let count = first.partition.shards;
    for share in shares {
        if share.partition.shards != count {
            return Err(format!(
                "shares of different partitions: {} and {}",
                first.partition, share.partition
            ));
        }
        if share.coverage.is_some() != first.coverage.is_some() {
            return Err("an exhaustive search's share beside a sampling strategy's".into());
        }
        let bound = |report: &Report| report.coverage.map(|c| c.preemption_bound);
        if bound(share) != bound(first) {
            return Err("shares of exhaustive searches with different preemption bounds".into());
        }
    }
    let mut seen = vec![0usize; count];
    for share in shares {
        seen[share.partition.shard - 1] += 1;
    }
    if let Some(twice) = seen.iter().position(|&n| n > 1) {
        return Err(format!("share {}/{count} is given twice", twice + 1));
    }
    let missing: Vec<String> = (0..count)
        .filter(|&shard| seen[shard] == 0)
        .map(|shard| format!("{}/{count}", shard + 1))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "share{} {} missing: without {} the merged run is incomplete",
            if missing.len() == 1 { "" } else { "s" },
            missing.join(", "),
            if missing.len() == 1 { "it" } else { "them" }
        ));
    }
    if count == 1 {
        // One share is the whole run.
        return Ok(Report {
            partition: Partition::WHOLE,
            units: Vec::new(),
            ..first.clone()
        });
    }
    Ok(match first.coverage {
        None => merge_sampled(shares),
        Some(_) => merge_searched(shares),
    })
}

/// A share's failing schedule (by its own index), else its lowest warning: the schedule of its
/// findings, and whether they are a failure rather than lock-order cycles alone.
fn outcome(report: &Report) -> Option<(usize, bool)> {
    let first = report.findings.first()?;
    let failure = report
        .findings
        .iter()
        .any(|finding| finding.kind != FindingKind::LockOrderCycle);
    Some((first.schedule, failure))
}

/// The findings that win: the lowest failing schedule's, else the lowest warning's, as
/// `(schedule, findings)` with the schedule numbered as one run numbers it.
fn winner(
    candidates: impl Iterator<Item = (usize, bool, Vec<Finding>)>,
) -> Option<(usize, bool, Vec<Finding>)> {
    candidates.min_by_key(|&(schedule, failure, _)| (!failure, schedule))
}

fn merge_sampled(shares: &[Report]) -> Report {
    // Every index below a share's `reached` that is its own has run.
    let reached = |share: &Report| {
        let Partition { shard, shards } = share.partition;
        share.schedules_run * shards + shard - 1
    };
    let all_reached = shares.iter().map(reached).min().unwrap_or(0);
    let found = winner(shares.iter().filter_map(|share| {
        outcome(share).map(|(schedule, failure)| (schedule, failure, share.findings.clone()))
    }));
    let out_of_time = shares.iter().any(|share| share.out_of_time);
    match found {
        Some((schedule, true, findings)) => Report {
            findings,
            schedules_run: schedule + 1,
            // A share stopped by time before reaching it may have had a lower failure.
            out_of_time: out_of_time && all_reached < schedule,
            ..Report::default()
        },
        warning => Report {
            findings: warning.map(|(_, _, findings)| findings).unwrap_or_default(),
            schedules_run: all_reached,
            out_of_time,
            ..Report::default()
        },
    }
}

fn merge_searched(shares: &[Report]) -> Report {
    let mut units: Vec<Unit> = shares
        .iter()
        .flat_map(|share| share.units.clone())
        .collect();
    units.sort_by_key(|unit| unit.unit);
    // Where each unit's schedules start in one run, as far as the units are known without a gap.
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let mut next = 0;
    for (expected, unit) in units.iter().enumerate() {
        if unit.unit != expected {
            break;
        }
        starts.push((unit.unit, next));
        next += unit.schedules;
    }
    // A schedule of a share, by its own index: its unit, and its index in one run.
    let place = |share: &Report, schedule: usize| -> Option<(usize, usize)> {
        let unit = share
            .units
            .iter()
            .find(|u| (u.first..u.first + u.schedules).contains(&schedule))?;
        let start = starts.iter().find(|&&(n, _)| n == unit.unit)?.1;
        Some((unit.unit, start + schedule - unit.first))
    };
    let found = winner(shares.iter().filter_map(|share| {
        let (schedule, failure) = outcome(share)?;
        let (_, global) = place(share, schedule)?;
        let findings = share
            .findings
            .iter()
            .map(|finding| Finding {
                schedule: global,
                ..finding.clone()
            })
            .collect();
        Some((global, failure, findings))
    }));
    let coverage = |units: &[Unit], complete: bool| Coverage {
        interleavings: units.iter().map(|unit| unit.interleavings).sum(),
        preemption_bound: shares[0].coverage.and_then(|c| c.preemption_bound),
        complete,
    };
    let out_of_time = shares.iter().any(|share| share.out_of_time);
    match found {
        Some((schedule, true, findings)) => {
            // One run stops at its first failure: the units after the failing one never ran.
            let failing_unit = units
                .iter()
                .rev()
                .find(|unit| starts.iter().any(|&(n, s)| n == unit.unit && s <= schedule))
                .map_or(0, |unit| unit.unit);
            let before: Vec<Unit> = units
                .iter()
                .copied()
                .filter(|unit| unit.unit <= failing_unit)
                .collect();
            Report {
                findings,
                schedules_run: schedule + 1,
                coverage: Some(coverage(&before, false)),
                out_of_time: out_of_time && before.len() <= failing_unit,
                ..Report::default()
            }
        }
        warning => {
            let complete = shares
                .iter()
                .all(|share| share.coverage.is_some_and(|c| c.complete));
            Report {
                findings: warning.map(|(_, _, findings)| findings).unwrap_or_default(),
                schedules_run: units.iter().map(|unit| unit.schedules).sum(),
                coverage: Some(coverage(&units, complete)),
                out_of_time,
                ..Report::default()
            }
        }
    }
}
