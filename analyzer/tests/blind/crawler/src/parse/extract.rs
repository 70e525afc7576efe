use std::collections::HashMap;
use std::sync::{Mutex, RwLock};

use crate::fetch::FetchedPage;

#[derive(Clone, Debug, Default)]
pub struct Extraction {
    pub links: Vec<String>,
    pub title: Option<String>,
    pub canonical: Option<String>,
    pub keywords: Vec<(String, u32)>,
}

#[derive(Debug)]
pub enum ExtractError {
    /// The document is broken in a way this plugin can live with.
    Malformed(String),
    /// The plugin cannot work at all any more and should be unloaded.
    Fatal(String),
}

pub trait Extractor {
    fn name(&self) -> &str;

    fn extract(&self, page: &FetchedPage, out: &mut Extraction) -> Result<(), ExtractError>;

    fn accepts(&self, content_type: &str) -> bool {
        content_type.starts_with("text/html")
    }
}

pub type Plugin = Box<dyn Extractor + Send + Sync>;

/// The loaded extractor plugins, run in registration order on every page.
pub struct ExtractorRegistry {
    plugins: RwLock<Vec<Plugin>>,
    failures: Mutex<HashMap<String, u32>>,
    disabled: Mutex<Vec<String>>,
    max_failures: u32,
}

impl ExtractorRegistry {
    pub fn new(max_failures: u32) -> ExtractorRegistry {
        ExtractorRegistry {
            plugins: RwLock::new(Vec::new()),
            failures: Mutex::new(HashMap::new()),
            disabled: Mutex::new(Vec::new()),
            max_failures,
        }
    }

    pub fn register(&self, plugin: Plugin) {
        self.plugins.write().unwrap().push(plugin);
    }

    pub fn names(&self) -> Vec<String> {
        self.plugins.read().unwrap().iter().map(|p| p.name().to_string()).collect()
    }

    pub fn disabled(&self) -> Vec<String> {
        self.disabled.lock().unwrap().clone()
    }

    pub fn run_all(&self, page: &FetchedPage) -> Extraction {
        let mut out = Extraction::default();
        let plugins = self.plugins.read().unwrap();
        for plugin in plugins.iter() {
            if !plugin.accepts(&page.content_type) {
                continue;
            }
            match plugin.extract(page, &mut out) {
                Ok(()) => {}
                Err(ExtractError::Malformed(_)) => {
                    self.note_failure(plugin.name());
                }
                Err(err @ ExtractError::Fatal(_)) => {
                    eprintln!("extractor {} failed on {}: {:?}", plugin.name(), page.task.url, err);
                    self.disable(plugin.name());
                }
            }
        }
        out
    }

    fn note_failure(&self, name: &str) -> u32 {
        let mut failures = self.failures.lock().unwrap();
        let count = failures.entry(name.to_string()).or_insert(0);
        *count += 1;
        *count
    }

    pub fn disable(&self, name: &str) -> bool {
        let mut plugins = self.plugins.write().unwrap(); // PLANTED: double-lock: run_all() reaches this on a Fatal error while its read guard on plugins is still alive
        let before = plugins.len();
        plugins.retain(|p| p.name() != name);
        let removed = plugins.len() != before;
        drop(plugins);
        if removed {
            self.disabled.lock().unwrap().push(name.to_string());
        }
        removed
    }

    /// Unloads plugins that keep failing. Returns their names.
    pub fn prune_failed(&self) -> Vec<String> {
        let doomed: Vec<String> = {
            let plugins = self.plugins.read().unwrap();
            let failures = self.failures.lock().unwrap();
            plugins
                .iter()
                .filter(|p| failures.get(p.name()).copied().unwrap_or(0) >= self.max_failures)
                .map(|p| p.name().to_string())
                .collect()
        };
        if doomed.is_empty() {
            return doomed;
        }
        let mut plugins = self.plugins.write().unwrap(); // CLEAN: double-lock: the read guard belonged to the block above and is already gone
        plugins.retain(|p| !doomed.iter().any(|d| d == p.name()));
        drop(plugins);
        self.disabled.lock().unwrap().extend(doomed.iter().cloned());
        let mut failures = self.failures.lock().unwrap();
        for name in &doomed {
            failures.remove(name);
        }
        doomed
    }
}
