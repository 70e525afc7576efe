//! The server's view of the workspace: every file's text (an open buffer's unsaved contents
//! override the disk), the crates they form, and the findings of each crate.
//!
//! Incremental by crate: each file's outline (`mod` items, from one parse) is cached with its
//! text, so an edit re-parses only the edited file to see whether the crates changed shape; then
//! only the crates whose files changed are analyzed again, and the others keep their findings.
use crate::diagnostic::{Diagnostic, InputError, SourceFile};
use crate::driver::check::report_of;
use crate::driver::config::{self, Overrides, Settings, CONFIG_FILE_NAME};
use crate::driver::discover::{self, Finder};
use crate::driver::error::Fatal;
use crate::driver::source_map::{LineIndex, SourceMap};
use crate::driver::workspace::Workspace;
use crate::frontend::crates::{discover_crates, link_libraries, FileTable};
use crate::frontend::outline::{outline_file, Outline};
use crate::frontend::pool;
use crate::lock_facts::Acquisition;
use crate::rules;
use crate::Targets;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::SystemTime;

/// One file of the workspace.
#[derive(Debug)]
pub struct FileState {
    /// The path diagnostics print (relative to the root).
    pub display: PathBuf,
    pub text: Arc<str>,
    /// An editor has it open: its text is the buffer's, not the disk's.
    pub open: bool,
    outline: Outline,
    lines: OnceLock<LineIndex>,
}

impl FileState {
    fn new(display: PathBuf, text: Arc<str>) -> Self {
        let outline = outline_of(&display, &text);
        FileState {
            display,
            text,
            open: false,
            outline,
            lines: OnceLock::new(),
        }
    }

    pub fn lines(&self) -> &LineIndex {
        self.lines.get_or_init(|| LineIndex::new(&self.text))
    }
}

/// What the analysis found in one crate.
#[derive(Debug, Default)]
pub struct CrateFindings {
    /// The crate's files, by location (absolute).
    pub files: Vec<PathBuf>,
    pub diagnostics: Vec<Diagnostic>,
    pub errors: Vec<InputError>,
    pub acquisitions: Vec<Acquisition>,
    /// The texts analyzed, to tell when they change.
    texts: Vec<Arc<str>>,
}

pub struct Session {
    pub root: PathBuf,
    settings: Settings,
    /// The cargo workspace under the root, if there is one: what the crates' roots are.
    workspace: Option<Workspace>,
    /// The edition of each target's root file and the name of each library's, by display path,
    /// as `check` takes them from the workspace: a program is analyzed with the library it links.
    targets: Targets,
    /// By location (absolute).
    files: BTreeMap<PathBuf, FileState>,
    /// Keyed by the crate's sorted file locations.
    crates: HashMap<Vec<PathBuf>, CrateFindings>,
}

impl Session {
    /// Reads the configuration and the workspace's files under `root` (its cargo workspace's
    /// members when there is one, else every `.rs` file under it). Nothing is analyzed yet.
    pub fn load(root: &Path) -> Result<Session, Fatal> {
        let workspace = Workspace::load(None, root).ok();
        let config = config::discover(root, workspace.as_ref().map(|w| w.root.as_path()), None)?;
        let settings =
            Settings::resolve(&config.layers, &Overrides::default(), rules::all(), root)?;
        let finder = Finder {
            cwd: root,
            root,
            exclude: &settings.exclude,
        };
        let found = match &workspace {
            Some(workspace) => finder.workspace(&workspace.select(&[], &[])?),
            None => finder.paths(&[root.to_path_buf()]),
        };
        let (loaded, _) = discover::load(&found.files);
        let files: BTreeMap<PathBuf, FileState> = pool::analysis_pool().install(|| {
            loaded
                .into_par_iter()
                .map(|(file, location)| (location, FileState::new(file.path, file.text)))
                .collect()
        });
        let targets = workspace
            .as_ref()
            .map(|w| w.crate_targets(files.values().map(|f| f.display.as_path()), &[root]))
            .unwrap_or_default();
        Ok(Session {
            root: root.to_path_buf(),
            settings,
            workspace,
            targets,
            files,
            crates: HashMap::new(),
        })
    }

    /// The open buffers: location and text.
    pub fn open_buffers(&self) -> Vec<(PathBuf, Arc<str>)> {
        self.files
            .iter()
            .filter(|(_, f)| f.open)
            .map(|(location, f)| (location.clone(), f.text.clone()))
            .collect()
    }

    pub fn file(&self, location: &Path) -> Option<&FileState> {
        self.files.get(location)
    }

    /// Sets a file's text (an open buffer's, or the disk's); a file new to the session joins it
    /// unless the configuration excludes it. Returns whether the session now holds the file.
    pub fn set_text(&mut self, location: &Path, text: &str, open: bool) -> bool {
        if let Some(file) = self.files.get_mut(location) {
            file.open = open;
            if *file.text != *text {
                let display = file.display.clone();
                *file = FileState::new(display, Arc::from(text));
                file.open = open;
            }
            return true;
        }
        if location.extension().is_none_or(|e| e != "rs") || self.settings.exclude.matches(location)
        {
            return false;
        }
        let display = location
            .strip_prefix(&self.root)
            .unwrap_or(location)
            .to_path_buf();
        if let Some(workspace) = &self.workspace {
            let found = workspace.crate_targets([display.as_path()], &[&self.root]);
            self.targets.editions.extend(found.editions);
            self.targets.libraries.extend(found.libraries);
        }
        let mut file = FileState::new(display, Arc::from(text));
        file.open = open;
        self.files.insert(location.to_path_buf(), file);
        true
    }

    /// Analyzes the crates whose files changed since the last call (all of them the first time);
    /// returns those crates' files (see [`Session::diagnostics_of`]).
    pub fn refresh(&mut self) -> Vec<Vec<PathBuf>> {
        let partition = self.partition();
        let stale: Vec<Vec<PathBuf>> = partition
            .iter()
            .filter(|files| !self.is_current(files))
            .cloned()
            .collect();
        self.crates.retain(|files, _| partition.contains(files));
        for files in &stale {
            let findings = self.analyze(files);
            self.crates.insert(files.clone(), findings);
        }
        stale
    }

    /// The analyzed crates a file is in (a module file several crates include is in each), in
    /// the order of their files (the same on every call).
    pub fn crates_of<'s, 'l>(
        &'s self,
        location: &'l Path,
    ) -> impl Iterator<Item = &'s CrateFindings> + use<'s, 'l> {
        let mut crates: Vec<(&Vec<PathBuf>, &CrateFindings)> = self
            .crates
            .iter()
            .filter(|(_, c)| c.files.iter().any(|f| f == location))
            .collect();
        crates.sort_by(|a, b| a.0.cmp(b.0));
        crates.into_iter().map(|(_, c)| c)
    }

    /// The findings whose primary span is in a file, from every crate it is in, each once (by
    /// code and primary span, as `check` keeps one).
    pub fn diagnostics_of(&self, location: &Path) -> Vec<&Diagnostic> {
        self.union_of(
            location,
            |krate| &krate.diagnostics,
            |d, display| d.primary.file == display,
            |a, b| a.code == b.code && a.primary == b.primary,
        )
    }

    /// The input errors in a file, from every crate it is in, each once.
    pub fn errors_of(&self, location: &Path) -> Vec<&InputError> {
        self.union_of(
            location,
            |krate| &krate.errors,
            |e, display| e.path == display,
            |a, b| a == b,
        )
    }

    /// What every crate a file is in says of it (`items` of the crate, `in_file`), each once
    /// (`same`).
    fn union_of<'s, T>(
        &'s self,
        location: &Path,
        items: impl Fn(&'s CrateFindings) -> &'s [T],
        in_file: impl Fn(&T, &Path) -> bool,
        same: impl Fn(&T, &T) -> bool,
    ) -> Vec<&'s T> {
        let Some(file) = self.file(location) else {
            return Vec::new();
        };
        let mut found: Vec<&T> = Vec::new();
        for krate in self.crates_of(location) {
            for item in items(krate) {
                if in_file(item, &file.display) && !found.iter().any(|f| same(f, item)) {
                    found.push(item);
                }
            }
        }
        found
    }

    /// Every file's crate, by the analysis's own rule (a root is a file no `mod` item claims),
    /// each program with the library it links (as `check` links them). A crate all of whose
    /// files another crate holds (a library its program links) is analyzed as part of that one.
    /// A file that does not parse belongs to no crate: it stands alone, so that its analysis
    /// reports the parse error and replaces the findings it had before.
    fn partition(&self) -> BTreeSet<Vec<PathBuf>> {
        let locations: Vec<&PathBuf> = self.files.keys().collect();
        let sources: Vec<SourceFile> = self.files.values().map(source_file).collect();
        let outlines: Vec<Outline> = self.files.values().map(|f| f.outline.clone()).collect();
        let table = FileTable::new(&sources);
        let mut crates = discover_crates(&table, &outlines);
        link_libraries(&mut crates, &sources, &table, &self.targets.libraries);
        let crates: Vec<Vec<PathBuf>> = crates
            .into_iter()
            .map(|krate| {
                let mut files: Vec<PathBuf> =
                    krate.files.iter().map(|&i| locations[i].clone()).collect();
                files.sort();
                files.dedup();
                files
            })
            .collect();
        let within = |small: &Vec<PathBuf>, big: &Vec<PathBuf>| {
            small.len() < big.len() && small.iter().all(|f| big.binary_search(f).is_ok())
        };
        let mut partition: BTreeSet<Vec<PathBuf>> = crates
            .iter()
            .filter(|small| !crates.iter().any(|big| within(small, big)))
            .cloned()
            .collect();
        let placed: BTreeSet<&PathBuf> = partition.iter().flatten().collect();
        let alone: Vec<Vec<PathBuf>> = locations
            .iter()
            .filter(|location| !placed.contains(*location))
            .map(|location| vec![(*location).clone()])
            .collect();
        partition.extend(alone);
        partition
    }

    /// Whether the findings of the crate made of `files` are those of today's texts.
    fn is_current(&self, files: &[PathBuf]) -> bool {
        self.crates.get(files).is_some_and(|c| c.texts_match(self))
    }

    fn analyze(&self, locations: &[PathBuf]) -> CrateFindings {
        let states: Vec<&FileState> = locations.iter().map(|l| &self.files[l]).collect();
        let sources: Vec<SourceFile> = states.iter().map(|f| source_file(f)).collect();
        let analysis = crate::analyze_targets(&sources, &self.targets);
        let map = SourceMap::new(sources.into_iter().zip(locations.iter().cloned()));
        CrateFindings {
            files: locations.to_vec(),
            diagnostics: report_of(analysis.diagnostics, &map, &self.settings),
            errors: analysis.errors,
            acquisitions: analysis.acquisitions,
            texts: states.iter().map(|f| f.text.clone()).collect(),
        }
    }

    /// The location of a path as diagnostics print it.
    pub fn location_of(&self, display: &Path) -> PathBuf {
        self.root.join(display)
    }
}

/// The files that decide what a session is (cargo's manifests, racecheck's configuration), each
/// with its modification time and length when the session was loaded, or `None` if it was absent.
#[derive(Debug, PartialEq)]
pub struct Shape(Vec<(PathBuf, Option<Stamp>)>);

/// A file's modification time (where the platform keeps one) and length.
type Stamp = (Option<SystemTime>, u64);

impl Shape {
    /// The manifests and configuration files of a session at `root`: every `Cargo.toml` and
    /// `racecheck.toml` from `root` up (where configuration is looked for), and each member's
    /// manifest when the session read a cargo workspace.
    pub fn of(root: &Path, session: Option<&Session>) -> Shape {
        let mut paths: BTreeSet<PathBuf> = root
            .ancestors()
            .flat_map(|dir| [dir.join("Cargo.toml"), dir.join(CONFIG_FILE_NAME)])
            .collect();
        if let Some(workspace) = session.and_then(|s| s.workspace.as_ref()) {
            paths.extend(workspace.manifests());
        }
        Shape(
            paths
                .into_iter()
                .map(|path| {
                    let stamp = std::fs::metadata(&path)
                        .ok()
                        .map(|m| (m.modified().ok(), m.len()));
                    (path, stamp)
                })
                .collect(),
        )
    }
}

impl CrateFindings {
    fn texts_match(&self, session: &Session) -> bool {
        self.files.iter().zip(&self.texts).all(|(location, text)| {
            session
                .files
                .get(location)
                .is_some_and(|f| Arc::ptr_eq(&f.text, text))
        })
    }
}

fn source_file(file: &FileState) -> SourceFile {
    SourceFile {
        path: file.display.clone(),
        text: file.text.clone(),
    }
}

/// A file's outline, parsed on the analysis's big-stack pool; one that does not parse has none
/// (it is analyzed alone, which reports the error: see [`Session::partition`]).
fn outline_of(display: &Path, text: &Arc<str>) -> Outline {
    let file = SourceFile {
        path: display.to_path_buf(),
        text: text.clone(),
    };
    pool::analysis_pool().install(|| outline_file(&file).unwrap_or_default())
}
