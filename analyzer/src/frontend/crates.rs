//! Which files form which crate: a crate root is a file no `mod` item of another file claims,
//! and its crate is every file reachable from it through `mod` items.
use super::outline::{path_attribute, ModDecl, Outline};
use crate::diagnostic::SourceFile;
use std::collections::{BTreeMap, HashMap};
use std::path::{Component, Path, PathBuf};

/// The files of one crate; `files[0]` is its root.
#[derive(Debug, Clone)]
pub(crate) struct CrateFiles {
    /// Its own files (the first `own`), then those of the library crates it links.
    pub files: Vec<usize>,
    pub own: usize,
    /// The library crates a program links, by the name its paths give them and the position
    /// of their root in `files`.
    pub externs: Vec<(String, usize)>,
}

/// Looks files up by their (lexically normalized) path.
#[derive(Debug)]
pub(crate) struct FileTable {
    by_path: HashMap<PathBuf, usize>,
    paths: Vec<PathBuf>,
}

impl FileTable {
    pub(crate) fn new(files: &[SourceFile]) -> Self {
        let paths: Vec<PathBuf> = files.iter().map(|f| normalize(&f.path)).collect();
        let mut by_path = HashMap::with_capacity(paths.len());
        for (i, p) in paths.iter().enumerate() {
            by_path.entry(p.clone()).or_insert(i);
        }
        Self { by_path, paths }
    }

    /// The file an out-of-line `mod` declaration of file `from` loads, if it is among the inputs.
    /// `from_is_mod_rs`: `from` is a crate root or a `mod.rs`, whose child modules live beside it
    /// rather than in a folder named after it.
    pub(crate) fn module_file(
        &self,
        from: usize,
        from_is_mod_rs: bool,
        decl: &ModDecl,
    ) -> Option<usize> {
        let file = &self.paths[from];
        let dir = file.parent().unwrap_or(Path::new(""));
        let mut base = dir.to_path_buf();
        if !from_is_mod_rs {
            if let Some(stem) = file.file_stem() {
                base.push(stem);
            }
        }
        if let Some(attr) = &decl.path_attr {
            // Outside inline modules, `#[path]` is relative to the declaring file's folder.
            let start = if decl.inline_path.is_empty() {
                dir.to_path_buf()
            } else {
                base_with(&base, &decl.inline_path)
            };
            return self.lookup(&start.join(attr));
        }
        let base = base_with(&base, &decl.inline_path);
        self.lookup(&base.join(format!("{}.rs", decl.name)))
            .or_else(|| self.lookup(&base.join(&decl.name).join("mod.rs")))
    }

    /// The file an out-of-line `mod` item of file `from` loads, `inline` being the inline
    /// modules around the item in that file.
    pub(crate) fn mod_item_file(
        &self,
        from: usize,
        from_is_root: bool,
        inline: &[String],
        item: &syn::ItemMod,
    ) -> Option<usize> {
        let decl = ModDecl {
            inline_path: inline.to_vec(),
            name: item.ident.to_string(),
            path_attr: path_attribute(&item.attrs),
        };
        self.module_file(from, self.is_mod_rs(from, from_is_root), &decl)
    }

    fn lookup(&self, path: &Path) -> Option<usize> {
        self.by_path.get(&normalize(path)).copied()
    }

    fn is_named_mod_rs(&self, file: usize) -> bool {
        self.paths[file].file_name().is_some_and(|n| n == "mod.rs")
    }

    /// Whether a file is a `mod.rs`-style owner of its folder, given whether it is a crate root.
    pub(crate) fn is_mod_rs(&self, file: usize, is_root: bool) -> bool {
        is_root || self.is_named_mod_rs(file)
    }

    /// A first guess of mod-rs-ness made before crate roots are known: the usual root names, and
    /// files in cargo's folders of roots.
    fn guess_mod_rs(&self, file: usize) -> bool {
        let path = &self.paths[file];
        let named = path
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "main.rs" || n == "lib.rs");
        let in_root_folder = path
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|d| d == "bin" || d == "examples" || d == "tests" || d == "benches");
        named || in_root_folder
    }
}

fn base_with(base: &Path, inline_path: &[String]) -> PathBuf {
    let mut p = base.to_path_buf();
    p.extend(inline_path);
    p
}

/// Removes `.` and folds `..` lexically (the inputs need not exist on disk).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// Groups the parsed files into crates.
pub(crate) fn discover_crates(table: &FileTable, outlines: &[Outline]) -> Vec<CrateFiles> {
    let mut claimed = vec![false; outlines.len()];
    for (file, outline) in outlines.iter().enumerate() {
        let mod_rs = table.guess_mod_rs(file);
        for decl in &outline.mods {
            if let Some(child) = table.module_file(file, mod_rs, decl) {
                if child != file {
                    claimed[child] = true;
                }
            }
        }
    }
    let mut reached = vec![false; outlines.len()];
    let mut crates = Vec::new();
    let candidates = (0..outlines.len()).filter(|&f| outlines[f].parsable);
    // Unclaimed files first; then any file a wrong guess claimed but no root reaches.
    let order: Vec<usize> = candidates
        .clone()
        .filter(|&f| !claimed[f])
        .chain(candidates.filter(|&f| claimed[f]))
        .collect();
    for root in order {
        if reached[root] {
            continue;
        }
        let files = crate_tree(table, outlines, root, &mut reached);
        crates.push(CrateFiles {
            own: files.len(),
            files,
            externs: Vec::new(),
        });
    }
    crates
}

/// Links each program of a package to the package's library, as cargo does: a crate rooted at
/// `src/main.rs`, `src/bin/NAME.rs` or `src/bin/NAME/main.rs` whose package's `src/lib.rs` is a
/// crate of the run named in `libraries` (by its root's path) gets the library's files, under
/// that name. Its model then follows the program into the library: the objects `main` builds
/// through the library are the ones its threads use. (Tests, examples and benches are left
/// alone: each would model the library once more; so is a program whose text never names the
/// library.)
pub(crate) fn link_libraries(
    crates: &mut [CrateFiles],
    sources: &[SourceFile],
    table: &FileTable,
    libraries: &BTreeMap<PathBuf, String>,
) {
    if libraries.is_empty() {
        return;
    }
    let names: HashMap<PathBuf, &String> = libraries
        .iter()
        .map(|(path, name)| (normalize(path), name))
        .collect();
    let by_root: HashMap<usize, usize> = crates
        .iter()
        .enumerate()
        .map(|(i, c)| (c.files[0], i))
        .collect();
    for i in 0..crates.len() {
        let root = &table.paths[crates[i].files[0]];
        let Some(lib_root) = package_src(root).map(|src| src.join("lib.rs")) else {
            continue;
        };
        let Some(name) = names.get(&lib_root) else {
            continue;
        };
        let Some(&lib) = table.by_path.get(&lib_root).and_then(|f| by_root.get(f)) else {
            continue;
        };
        let name = name.replace('-', "_");
        let path_start = format!("{name}::");
        if !crates[i]
            .files
            .iter()
            .any(|&f| sources[f].text.contains(&path_start))
        {
            continue;
        }
        let lib_files = crates[lib].files[..crates[lib].own].to_vec();
        // A program that declares the library's modules as its own keeps them so.
        if lib == i || lib_files.iter().any(|f| crates[i].files.contains(f)) {
            continue;
        }
        let program = &mut crates[i];
        program.externs.push((name, program.files.len()));
        program.files.extend(lib_files);
    }
}

/// The `src` folder of the package whose program `root` is, if it is one.
fn package_src(root: &Path) -> Option<PathBuf> {
    let parent = root.parent()?;
    let name = |p: &Path| p.file_name().and_then(|n| n.to_str()).map(str::to_owned);
    let src = match (name(root)?.as_str(), name(parent)?.as_str()) {
        ("main.rs", "src") => parent.to_path_buf(),
        (_, "bin") => parent.parent()?.to_path_buf(),
        ("main.rs", _) if parent.parent().and_then(name).as_deref() == Some("bin") => {
            parent.parent()?.parent()?.to_path_buf()
        }
        _ => return None,
    };
    (name(&src).as_deref() == Some("src")).then_some(src)
}

fn crate_tree(
    table: &FileTable,
    outlines: &[Outline],
    root: usize,
    reached: &mut [bool],
) -> Vec<usize> {
    let mut files = vec![root];
    let mut in_crate = std::collections::HashSet::from([root]);
    reached[root] = true;
    let mut next = 0;
    while next < files.len() {
        let file = files[next];
        let mod_rs = table.is_mod_rs(file, next == 0);
        for decl in &outlines[file].mods {
            if let Some(child) = table.module_file(file, mod_rs, decl) {
                if outlines[child].parsable && in_crate.insert(child) {
                    reached[child] = true;
                    files.push(child);
                }
            }
        }
        next += 1;
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::frontend::outline::outline_file;
    use std::sync::Arc;

    fn crates_of(files: &[(&str, &str)]) -> Vec<Vec<String>> {
        let files: Vec<SourceFile> = files
            .iter()
            .map(|(path, text)| SourceFile {
                path: PathBuf::from(path),
                text: Arc::from(*text),
            })
            .collect();
        let outlines: Vec<Outline> = files
            .iter()
            .map(|f| outline_file(f).unwrap_or_default())
            .collect();
        let table = FileTable::new(&files);
        discover_crates(&table, &outlines)
            .into_iter()
            .map(|c| {
                c.files
                    .iter()
                    .map(|&f| files[f].path.display().to_string())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn folder_modules_inline_modules_and_path_attributes() {
        let crates = crates_of(&[
            (
                "src/main.rs",
                "mod a;\nmod b;\nmod c { mod d; }\n#[path = \"other/e.rs\"]\nmod e;",
            ),
            ("src/a.rs", "mod inner;"),
            ("src/a/inner.rs", ""),
            ("src/b/mod.rs", "mod leaf;"),
            ("src/b/leaf.rs", ""),
            ("src/c/d.rs", ""),
            ("src/other/e.rs", ""),
        ]);
        assert_eq!(
            crates,
            [[
                "src/main.rs",
                "src/a.rs",
                "src/b/mod.rs",
                "src/c/d.rs",
                "src/other/e.rs",
                "src/a/inner.rs",
                "src/b/leaf.rs"
            ]]
        );
    }

    #[test]
    fn every_unclaimed_file_roots_a_crate() {
        let crates = crates_of(&[
            ("fixtures/src/bin/one.rs", "fn main() {}"),
            ("fixtures/src/bin/two.rs", "mod util;\nfn main() {}"),
            ("fixtures/src/bin/util.rs", ""),
            ("./lib/./x/../lib.rs", ""),
        ]);
        assert_eq!(
            crates,
            vec![
                vec!["fixtures/src/bin/one.rs"],
                vec!["fixtures/src/bin/two.rs", "fixtures/src/bin/util.rs"],
                vec!["./lib/./x/../lib.rs"],
            ]
        );
    }
}
