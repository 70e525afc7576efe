use crate::model::{SeriesKey, TenantId};

pub type RuleId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Info,
    Warning,
    Critical,
}

impl Severity {
    fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "info" => Some(Severity::Info),
            "warn" | "warning" => Some(Severity::Warning),
            "crit" | "critical" => Some(Severity::Critical),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Condition {
    Above(f64),
    Below(f64),
    Outside { low: f64, high: f64 },
}

impl Condition {
    pub fn breached(&self, v: f64) -> bool {
        match *self {
            Condition::Above(t) => v > t,
            Condition::Below(t) => v < t,
            Condition::Outside { low, high } => v < low || v > high,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub id: RuleId,
    pub name: String,
    pub key: SeriesKey,
    pub condition: Condition,
    /// How long the condition must hold before the alert fires.
    pub for_ms: u64,
    pub severity: Severity,
}

/// Parses `<severity> t<tenant>/<metric> <op> <value> [for <ms>ms]`,
/// where op is one of `>`, `<` or `outside` (value is then `low..high`).
pub fn parse_rule(id: RuleId, line: &str) -> Result<Rule, String> {
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.len() < 4 {
        return Err(format!("rule {id}: too few fields"));
    }
    let severity = Severity::parse(words[0]).ok_or_else(|| format!("rule {id}: bad severity"))?;
    let (tenant, metric) = words[1]
        .strip_prefix('t')
        .and_then(|s| s.split_once('/'))
        .ok_or_else(|| format!("rule {id}: expected t<tenant>/<metric>"))?;
    let tenant: TenantId = tenant.parse().map_err(|e| format!("rule {id}: tenant: {e}"))?;
    let condition = match words[2] {
        ">" => Condition::Above(parse_f(id, words[3])?),
        "<" => Condition::Below(parse_f(id, words[3])?),
        "outside" => {
            let (lo, hi) = words[3]
                .split_once("..")
                .ok_or_else(|| format!("rule {id}: expected low..high"))?;
            Condition::Outside {
                low: parse_f(id, lo)?,
                high: parse_f(id, hi)?,
            }
        }
        op => return Err(format!("rule {id}: unknown operator {op}")),
    };
    let for_ms = match words.get(4..6) {
        Some(["for", d]) => d
            .trim_end_matches("ms")
            .parse()
            .map_err(|e| format!("rule {id}: duration: {e}"))?,
        Some(_) => return Err(format!("rule {id}: trailing garbage")),
        None => 0,
    };
    Ok(Rule {
        id,
        name: format!("{}:{}", words[1], words[2]),
        key: SeriesKey::new(tenant, metric),
        condition,
        for_ms,
        severity,
    })
}

fn parse_f(id: RuleId, s: &str) -> Result<f64, String> {
    s.parse().map_err(|e| format!("rule {id}: value: {e}"))
}

const DEFAULT_RULES: &[&str] = &[
    "critical t1/cpu.load > 0.9",
    "warning t1/mem.rss > 700",
    "warning t2/cpu.load > 0.75 for 200ms",
    "info t2/http.latency > 0.2",
    "critical t3/cpu.load outside 0.05..0.95",
    "warning t3/mem.rss < 150",
    "info t1/http.latency > 0.3 for 500ms",
];

pub fn default_rules() -> Vec<Rule> {
    DEFAULT_RULES
        .iter()
        .enumerate()
        .map(|(i, l)| parse_rule(i as RuleId + 1, l).expect("built-in rule must parse"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_outside_with_duration() {
        let r = parse_rule(9, "crit t4/disk.io outside 1..10 for 250ms").unwrap();
        assert_eq!(r.condition, Condition::Outside { low: 1.0, high: 10.0 });
        assert_eq!(r.for_ms, 250);
        assert_eq!(r.key, SeriesKey::new(4, "disk.io"));
    }

    #[test]
    fn builtins_parse() {
        assert_eq!(default_rules().len(), DEFAULT_RULES.len());
    }
}
