use std::time::Duration;

#[derive(Default)]
struct Group {
    agents: Vec<String>,
    allow: Vec<String>,
    disallow: Vec<String>,
    crawl_delay: Option<Duration>,
}

/// The subset of a robots.txt that applies to one user agent.
#[derive(Clone, Debug, Default)]
pub struct RobotsRules {
    allow: Vec<String>,
    disallow: Vec<String>,
    crawl_delay: Option<Duration>,
}

impl RobotsRules {
    pub fn allow_all() -> RobotsRules {
        RobotsRules::default()
    }

    pub fn disallow_all() -> RobotsRules {
        RobotsRules {
            allow: Vec::new(),
            disallow: vec!["/".to_string()],
            crawl_delay: None,
        }
    }

    pub fn parse(body: &str, user_agent: &str) -> RobotsRules {
        let mut groups: Vec<Group> = Vec::new();
        let mut current: Option<Group> = None;
        let mut last_was_agent = false;
        for raw in body.lines() {
            let line = raw.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            if key == "user-agent" {
                if !last_was_agent {
                    if let Some(g) = current.take() {
                        groups.push(g);
                    }
                    current = Some(Group::default());
                }
                if let Some(g) = current.as_mut() {
                    g.agents.push(value.to_ascii_lowercase());
                }
                last_was_agent = true;
                continue;
            }
            last_was_agent = false;
            let Some(group) = current.as_mut() else {
                continue;
            };
            match key.as_str() {
                "allow" if !value.is_empty() => group.allow.push(value.to_string()),
                "disallow" if !value.is_empty() => group.disallow.push(value.to_string()),
                "crawl-delay" => {
                    group.crawl_delay = value
                        .parse::<f64>()
                        .ok()
                        .filter(|s| s.is_finite() && *s >= 0.0)
                        .map(|s| Duration::from_secs_f64(s.min(30.0)))
                }
                _ => {}
            }
        }
        if let Some(g) = current.take() {
            groups.push(g);
        }

        let agent = user_agent.to_ascii_lowercase();
        let product = agent.split('/').next().unwrap_or("").to_string();
        let specific = groups
            .iter()
            .position(|g| g.agents.iter().any(|a| a != "*" && !a.is_empty() && product.contains(a.as_str())));
        let chosen = specific.or_else(|| groups.iter().position(|g| g.agents.iter().any(|a| a == "*")));
        let Some(i) = chosen else {
            return RobotsRules::allow_all();
        };
        let g = groups.swap_remove(i);
        RobotsRules { allow: g.allow, disallow: g.disallow, crawl_delay: g.crawl_delay }
    }

    /// Longest matching rule wins; on a tie, allow wins.
    pub fn allows(&self, path: &str) -> bool {
        let best_allow = self.allow.iter().filter_map(|p| match_len(p, path)).max();
        let best_disallow = self.disallow.iter().filter_map(|p| match_len(p, path)).max();
        match (best_allow, best_disallow) {
            (_, None) => true,
            (None, Some(_)) => false,
            (Some(a), Some(d)) => a >= d,
        }
    }

    pub fn crawl_delay(&self) -> Option<Duration> {
        self.crawl_delay
    }

    pub fn rule_count(&self) -> usize {
        self.allow.len() + self.disallow.len()
    }
}

/// Returns the pattern's specificity if it matches `path` (prefix match,
/// with an optional trailing `$` anchor).
fn match_len(pattern: &str, path: &str) -> Option<usize> {
    match pattern.strip_suffix('$') {
        Some(exact) if exact == path => Some(pattern.len()),
        Some(_) => None,
        None if path.starts_with(pattern) => Some(pattern.len()),
        None => None,
    }
}
