//! The cargo workspace being checked, from `cargo metadata --format-version 1 --no-deps` (run
//! through `$CARGO`, else `cargo`): its root, its members and their targets.
use super::error::Fatal;
use cargo_metadata::{MetadataCommand, Package, Target};
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct Workspace {
    pub root: PathBuf,
    /// cargo's target directory: the only place racecheck writes on its own (under `racecheck/`).
    pub target_directory: PathBuf,
    members: Vec<Package>,
}

impl Workspace {
    /// Reads the workspace of `manifest_path`, or of `cwd` when none is given.
    pub fn load(manifest_path: Option<&Path>, cwd: &Path) -> Result<Self, Fatal> {
        let mut command = MetadataCommand::new();
        command.no_deps().current_dir(cwd);
        if let Some(path) = manifest_path {
            command.manifest_path(cwd.join(path));
        }
        let metadata = command.exec().map_err(|error| match error {
            cargo_metadata::Error::CargoMetadata { stderr } => Fatal::new(format!(
                "`cargo metadata` failed: {}",
                stderr.trim().trim_start_matches("error: ")
            )),
            other => Fatal::new(format!("`cargo metadata` failed: {other}")),
        })?;
        let members = metadata.workspace_packages().into_iter().cloned().collect();
        Ok(Workspace {
            root: metadata.workspace_root.into_std_path_buf(),
            target_directory: metadata.target_directory.into_std_path_buf(),
            members,
        })
    }

    /// What the analysis takes from the build system ([`crate::Targets`]): the edition of each of
    /// `paths` that is a target's root, and the crate name of each that is a library's (by
    /// the path as given: relative to one of `bases`, or absolute).
    pub fn crate_targets<'p>(
        &self,
        paths: impl IntoIterator<Item = &'p Path>,
        bases: &[&Path],
    ) -> crate::Targets {
        let mut targets = crate::Targets::default();
        for path in paths {
            let Some((_, target)) = bases
                .iter()
                .find_map(|base| self.target_rooted_at(&base.join(path)))
            else {
                continue;
            };
            targets.editions.insert(
                path.to_path_buf(),
                crate::diagnostic::Edition::from_manifest(target.edition.as_str()),
            );
            if target.kind.iter().any(|k| k.to_string() == "lib") {
                targets
                    .libraries
                    .insert(path.to_path_buf(), target.name.clone());
            }
        }
        targets
    }

    /// The member whose folder holds `dir` (the deepest one), as cargo picks the package to
    /// build; `None` when no member's folder does (at a virtual workspace's root).
    pub fn package_at(&self, dir: &Path) -> Option<&Package> {
        self.members
            .iter()
            .filter_map(|p| Some((p, p.manifest_path.parent()?.as_std_path())))
            .filter(|(_, folder)| dir.starts_with(folder))
            .max_by_key(|(_, folder)| folder.components().count())
            .map(|(p, _)| p)
    }

    /// The members to check: those named by `-p` (all when none), minus those named by `--exclude`.
    /// A name is a package name, `name@version`, or a package ID.
    pub fn select(&self, packages: &[String], excluded: &[String]) -> Result<Vec<&Package>, Fatal> {
        for spec in packages.iter().chain(excluded) {
            if !self.members.iter().any(|p| names(p, spec)) {
                return Err(Fatal::new(format!(
                    "package `{spec}` is not a member of the workspace"
                )));
            }
        }
        Ok(self
            .members
            .iter()
            .filter(|p| packages.is_empty() || packages.iter().any(|s| names(p, s)))
            .filter(|p| !excluded.iter().any(|s| names(p, s)))
            .collect())
    }

    /// The package and target whose root file is the absolute path `root`.
    pub fn target_rooted_at(&self, root: &Path) -> Option<(&Package, &Target)> {
        self.member_targets()
            .find(|(_, t)| t.src_path.as_std_path() == root)
    }

    /// The package and target whose sources hold the absolute path `file`, by folders alone:
    /// the target rooted at `file`, else the one whose source folder is the deepest folder of
    /// `file`, a library before a binary of the same folder (modules usually belong to it).
    pub fn target_of(&self, file: &Path) -> Option<(&Package, &Target)> {
        if let Some(owner) = self.target_rooted_at(file) {
            return Some(owner);
        }
        self.member_targets()
            .filter_map(|(p, t)| {
                let dir = t.src_path.as_std_path().parent()?;
                let is_lib = t.kind.iter().any(|k| k.to_string().contains("lib"));
                file.starts_with(dir)
                    .then(|| ((dir.components().count(), is_lib), p, t))
            })
            .max_by_key(|&(rank, _, _)| rank)
            .map(|(_, p, t)| (p, t))
    }

    /// The manifests whose edits change the workspace: the root's and each member's.
    pub fn manifests(&self) -> impl Iterator<Item = PathBuf> + '_ {
        std::iter::once(self.root.join("Cargo.toml")).chain(
            self.members
                .iter()
                .map(|p| p.manifest_path.clone().into_std_path_buf()),
        )
    }

    fn member_targets(&self) -> impl Iterator<Item = (&Package, &Target)> {
        self.members
            .iter()
            .flat_map(|p| p.targets.iter().map(move |t| (p, t)))
    }
}

fn names(package: &Package, spec: &str) -> bool {
    spec == package.name.as_str()
        || spec == format!("{}@{}", package.name, package.version)
        || spec == package.id.repr
}

/// Where a package's sources are: the folder of each target's root file, except when that folder
/// is the package's own (a `build.rs`), where only the file itself is taken.
pub fn source_roots(package: &Package) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let package_dir = package.manifest_path.parent().map(|p| p.as_std_path());
    let mut folders = Vec::new();
    let mut files = Vec::new();
    for target in &package.targets {
        let src = target.src_path.as_std_path();
        match src.parent() {
            Some(dir) if Some(dir) != package_dir => folders.push(dir.to_path_buf()),
            _ => files.push(src.to_path_buf()),
        }
    }
    folders.sort();
    folders.dedup();
    // A folder inside another one is walked with it.
    let nested: Vec<PathBuf> = folders
        .iter()
        .filter(|f| folders.iter().any(|g| g != *f && f.starts_with(g)))
        .cloned()
        .collect();
    folders.retain(|f| !nested.contains(f));
    (folders, files)
}
