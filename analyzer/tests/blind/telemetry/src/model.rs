use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

pub type TenantId = u32;

/// Identity of a time series: the owning tenant plus the metric name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SeriesKey {
    pub tenant: TenantId,
    pub name: String,
}

impl SeriesKey {
    pub fn new(tenant: TenantId, name: impl Into<String>) -> Self {
        SeriesKey {
            tenant,
            name: name.into(),
        }
    }
}

impl fmt::Display for SeriesKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "t{}/{}", self.tenant, self.name)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MetricKind {
    Counter,
    Gauge,
    Histogram,
}

impl MetricKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "c" | "counter" => Some(MetricKind::Counter),
            "g" | "gauge" => Some(MetricKind::Gauge),
            "h" | "histogram" => Some(MetricKind::Histogram),
            _ => None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Sample {
    pub key: SeriesKey,
    pub kind: MetricKind,
    pub value: f64,
    pub ts_ms: u64,
}

impl Sample {
    pub fn new(key: SeriesKey, kind: MetricKind, value: f64) -> Self {
        Sample {
            key,
            kind,
            value,
            ts_ms: now_ms(),
        }
    }

    /// Parses the wire format `tenant metric kind value [ts_ms]`.
    pub fn parse_line(line: &str) -> Result<Sample, String> {
        let mut parts = line.split_whitespace();
        let tenant = parts
            .next()
            .ok_or("missing tenant")?
            .parse::<TenantId>()
            .map_err(|e| format!("bad tenant: {e}"))?;
        let name = parts.next().ok_or("missing metric name")?;
        let kind = parts
            .next()
            .and_then(MetricKind::parse)
            .ok_or("missing or unknown metric kind")?;
        let value = parts
            .next()
            .ok_or("missing value")?
            .parse::<f64>()
            .map_err(|e| format!("bad value: {e}"))?;
        let ts_ms = match parts.next() {
            Some(ts) => ts.parse::<u64>().map_err(|e| format!("bad timestamp: {e}"))?,
            None => now_ms(),
        };
        Ok(Sample {
            key: SeriesKey::new(tenant, name),
            kind,
            value,
            ts_ms,
        })
    }
}

/// Messages consumed by the ingest worker pool.
pub enum IngestMsg {
    Batch(Vec<Sample>),
    /// Move a series to a new name (metric schema migrations).
    Rename { from: SeriesKey, to: SeriesKey },
    Stop,
}

pub fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_wire_line() {
        let s = Sample::parse_line("7 http.latency h 0.25 1000").unwrap();
        assert_eq!(s.key, SeriesKey::new(7, "http.latency"));
        assert_eq!(s.kind, MetricKind::Histogram);
        assert_eq!(s.ts_ms, 1000);
    }
}
