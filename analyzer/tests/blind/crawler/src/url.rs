use std::collections::hash_map::DefaultHasher;
use std::fmt;
use std::hash::{Hash, Hasher};

#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Host(String);

impl Host {
    pub fn new(name: &str) -> Host {
        Host(name.trim().trim_end_matches('.').to_ascii_lowercase())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlError {
    MissingScheme,
    UnsupportedScheme(String),
    EmptyHost,
    NotFetchable(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Url {
    scheme: String,
    host: Host,
    path: String,
    query: Option<String>,
}

impl Url {
    pub fn parse(raw: &str) -> Result<Url, UrlError> {
        let raw = raw.trim();
        let (scheme, rest) = raw.split_once("://").ok_or(UrlError::MissingScheme)?;
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(UrlError::UnsupportedScheme(scheme));
        }
        let rest = rest.split('#').next().unwrap_or("");
        let split_at = rest.find(|c| c == '/' || c == '?').unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(split_at);
        let host_part = authority.split(':').next().unwrap_or("");
        if host_part.is_empty() {
            return Err(UrlError::EmptyHost);
        }
        let (path, query) = split_query(tail);
        Ok(Url {
            scheme,
            host: Host::new(host_part),
            path: normalize_path(if path.is_empty() { "/" } else { path }),
            query,
        })
    }

    pub fn join(&self, href: &str) -> Result<Url, UrlError> {
        let href = href.trim();
        let lowered = href.to_ascii_lowercase();
        if ["mailto:", "javascript:", "tel:", "data:"].iter().any(|p| lowered.starts_with(p)) {
            return Err(UrlError::NotFetchable(href.to_string()));
        }
        if href.contains("://") {
            return Url::parse(href);
        }
        if let Some(rest) = href.strip_prefix("//") {
            return Url::parse(&format!("{}://{}", self.scheme, rest));
        }
        let href = href.split('#').next().unwrap_or("");
        if href.is_empty() {
            return Ok(self.clone());
        }
        let (path, query) = split_query(href);
        let joined = if path.starts_with('/') {
            path.to_string()
        } else if path.is_empty() {
            self.path.clone()
        } else {
            let dir = match self.path.rfind('/') {
                Some(i) => &self.path[..=i],
                None => "/",
            };
            format!("{}{}", dir, path)
        };
        Ok(Url {
            scheme: self.scheme.clone(),
            host: self.host.clone(),
            path: normalize_path(&joined),
            query,
        })
    }

    pub fn host(&self) -> &Host {
        &self.host
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    pub fn fingerprint(&self) -> u64 {
        let mut h = DefaultHasher::new();
        self.hash(&mut h);
        h.finish()
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme, self.host)?;
        f.write_str(&self.path)?;
        if let Some(q) = &self.query {
            write!(f, "?{}", q)?;
        }
        Ok(())
    }
}

fn split_query(s: &str) -> (&str, Option<String>) {
    match s.split_once('?') {
        Some((p, q)) if !q.is_empty() => (p, Some(q.to_string())),
        Some((p, _)) => (p, None),
        None => (s, None),
    }
}

fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::with_capacity(path.len() + 1);
    out.push('/');
    out.push_str(&segments.join("/"));
    if path.ends_with('/') && out.len() > 1 {
        out.push('/');
    }
    out
}
