//! A single routing rule.

use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Route {
    pub prefix: String,
    pub primary: usize,
    pub fallback: Option<usize>,
    pub cacheable: bool,
    pub cache_ttl: Duration,
    pub fan_out: bool,
    pub enabled: bool,
}

impl Route {
    pub fn to(prefix: &str, primary: usize) -> Route {
        Route {
            prefix: prefix.to_string(),
            primary,
            fallback: None,
            cacheable: false,
            cache_ttl: Duration::from_millis(0),
            fan_out: false,
            enabled: true,
        }
    }

    pub fn with_fallback(mut self, fallback: usize) -> Route {
        self.fallback = Some(fallback);
        self
    }

    pub fn cached(mut self, ttl: Duration) -> Route {
        self.cacheable = true;
        self.cache_ttl = ttl;
        self
    }

    pub fn fan_out(mut self) -> Route {
        self.fan_out = true;
        self
    }

    pub fn disabled(mut self) -> Route {
        self.enabled = false;
        self
    }

    pub fn matches(&self, path: &str) -> bool {
        path.starts_with(&self.prefix)
    }

    pub fn same_target(&self, other: &Route) -> bool {
        self.prefix == other.prefix
            && self.primary == other.primary
            && self.fallback == other.fallback
            && self.enabled == other.enabled
    }
}
