//! The configuration: `racecheck.toml`, or `[workspace.metadata.racecheck]` in the workspace's
//! `Cargo.toml`; under it, when one package is checked, that package's
//! `[package.metadata.racecheck]` (each key it sets replaces the workspace's); over both, the
//! command line (a command-line option replaces the whole key).
//!
//! Lookup: from the working directory upwards, then from the workspace root upwards; in each
//! folder `racecheck.toml` first, then `Cargo.toml`. When a folder has both `racecheck.toml` and a
//! racecheck table in its `Cargo.toml`, `racecheck.toml` wins and a warning says so. A walk stops
//! at the first workspace root (a `Cargo.toml` with a `[workspace]` table): configuration above a
//! workspace does not apply to it.
use super::error::Fatal;
use super::globs::PathPatterns;
use super::selection::{RuleSelection, Selector};
use super::source_map::LineIndex;
use crate::diagnostic::Severity;
use crate::rules::RuleInfo;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::Spanned;

pub const CONFIG_FILE_NAME: &str = "racecheck.toml";

/// The keys of a configuration, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    select: Option<Vec<Spanned<String>>>,
    extend_select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    fail_on: Option<Spanned<String>>,
    exclude: Option<Vec<Spanned<String>>>,
    per_file_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    baseline: Option<Spanned<String>>,
    baseline_strict: Option<bool>,
}

/// Just enough of a `Cargo.toml` to find `[workspace.metadata.racecheck]` and
/// `[package.metadata.racecheck]`.
#[derive(Deserialize)]
struct Manifest {
    workspace: Option<ManifestTable>,
    package: Option<ManifestTable>,
}

#[derive(Deserialize)]
struct ManifestTable {
    metadata: Option<ManifestMetadata>,
}

/// Which racecheck table of a `Cargo.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Table {
    Workspace,
    Package,
}

impl Table {
    fn key(self) -> &'static str {
        match self {
            Table::Workspace => "workspace",
            Table::Package => "package",
        }
    }
}

#[derive(Deserialize)]
struct ManifestMetadata {
    racecheck: Option<RawConfig>,
}

/// A configuration file that was found and parsed.
#[derive(Debug)]
pub struct ConfigFile {
    path: PathBuf,
    text: String,
    raw: RawConfig,
}

impl ConfigFile {
    /// Relative paths in the file are relative to its folder.
    fn dir(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new(""))
    }

    fn error_at(&self, span: Range<usize>, message: impl fmt::Display) -> Fatal {
        let position = LineIndex::new(&self.text).line_col(&self.text, span.start);
        Fatal::at(&self.path, Some(position), message)
    }
}

/// The configuration of a run: its layers, most specific first, and what to warn about.
#[derive(Debug, Default)]
pub struct Config {
    pub layers: Vec<ConfigFile>,
    pub warnings: Vec<String>,
}

/// Finds the configuration for a run started in `cwd` on the workspace at `workspace_root`;
/// `package` is the manifest of the one package checked, if the run checks one.
pub fn discover(
    cwd: &Path,
    workspace_root: Option<&Path>,
    package: Option<&Path>,
) -> Result<Config, Fatal> {
    let mut config = Config::default();
    if let Some(manifest) = package {
        let shadowed = manifest
            .parent()
            .is_some_and(|dir| dir.join(CONFIG_FILE_NAME).is_file());
        if let (Some(table), false) = (parse_manifest(manifest, Table::Package)?, shadowed) {
            config.layers.push(table);
        }
    }
    for start in std::iter::once(cwd).chain(workspace_root) {
        for dir in start.ancestors() {
            let candidate = dir.join(CONFIG_FILE_NAME);
            let manifest = dir.join("Cargo.toml");
            if candidate.is_file() {
                if manifest.is_file() {
                    for table in [Table::Workspace, Table::Package] {
                        if parse_manifest(&manifest, table)?.is_some() {
                            config.warnings.push(format!(
                                "`{}` and `[{}.metadata.racecheck]` in `{}` both configure racecheck: \
                                 `{CONFIG_FILE_NAME}` wins and the table is not read",
                                candidate.display(),
                                table.key(),
                                manifest.display()
                            ));
                        }
                    }
                }
                config.layers.retain(|layer| layer.path != manifest);
                config.layers.push(parse_racecheck_toml(candidate)?);
                return Ok(config);
            }
            if manifest.is_file() {
                if let Some(table) = parse_manifest(&manifest, Table::Workspace)? {
                    config.layers.push(table);
                    return Ok(config);
                }
                if is_workspace_root(&manifest) {
                    break;
                }
            }
        }
    }
    Ok(config)
}

fn read(path: &Path) -> Result<String, Fatal> {
    std::fs::read_to_string(path).map_err(|e| Fatal::io("read configuration", path, &e))
}

fn toml_error(path: &Path, text: &str, error: &toml::de::Error) -> Fatal {
    let position = error
        .span()
        .map(|span| LineIndex::new(text).line_col(text, span.start));
    Fatal::at(path, position, error.message())
}

fn parse_racecheck_toml(path: PathBuf) -> Result<ConfigFile, Fatal> {
    let text = read(&path)?;
    let raw = toml::from_str(&text).map_err(|e| toml_error(&path, &text, &e))?;
    Ok(ConfigFile { path, text, raw })
}

/// Whether a manifest is a workspace root (has a `[workspace]` table).
fn is_workspace_root(manifest: &Path) -> bool {
    read(manifest)
        .ok()
        .and_then(|text| toml::from_str::<toml::Table>(&text).ok())
        .is_some_and(|table| table.contains_key("workspace"))
}

/// The `[workspace|package.metadata.racecheck]` table of a manifest, if it has one. A manifest
/// that is not valid TOML is cargo's to report, not ours: it is treated as having none.
fn parse_manifest(path: &Path, which: Table) -> Result<Option<ConfigFile>, Fatal> {
    let text = read(path)?;
    let Ok(table) = toml::from_str::<toml::Table>(&text) else {
        return Ok(None);
    };
    let has_config = table
        .get(which.key())
        .and_then(|w| w.get("metadata"))
        .and_then(|m| m.get("racecheck"))
        .is_some();
    if !has_config {
        return Ok(None);
    }
    let manifest: Manifest = toml::from_str(&text).map_err(|e| toml_error(path, &text, &e))?;
    let table = match which {
        Table::Workspace => manifest.workspace,
        Table::Package => manifest.package,
    };
    let raw = table
        .and_then(|t| t.metadata)
        .and_then(|m| m.racecheck)
        .unwrap_or_default();
    Ok(Some(ConfigFile {
        path: path.to_path_buf(),
        text,
        raw,
    }))
}

/// What the command line says; `None`/empty = not given, the configuration decides.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub select: Option<Vec<String>>,
    pub extend_select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub severity: Vec<(String, Severity)>,
    pub fail_on: Option<Severity>,
    pub baseline: Option<PathBuf>,
    /// `--baseline-strict`: a stale baseline entry fails the run.
    pub baseline_strict: bool,
}

/// The effective settings of a run.
#[derive(Debug)]
pub struct Settings {
    pub selection: RuleSelection,
    /// Findings at or above this severity make the exit code 1.
    pub fail_on: Severity,
    /// Files left out when walking folders or the workspace.
    pub exclude: PathPatterns,
    /// Rules switched off for the files matching each pattern set.
    pub per_file_ignores: Vec<(PathPatterns, Vec<Selector>)>,
    pub baseline: Option<PathBuf>,
    /// A baseline entry that matches no finding fails the run, so a baseline can only shrink.
    pub baseline_strict: bool,
}

impl Settings {
    /// Merges the configuration's `layers` (most specific first: each key comes from the first
    /// layer that sets it) with the command line; `cwd` anchors relative paths given on the
    /// command line.
    pub fn resolve(
        layers: &[ConfigFile],
        cli: &Overrides,
        rules: &[RuleInfo],
        cwd: &Path,
    ) -> Result<Self, Fatal> {
        let setting = |has: fn(&RawConfig) -> bool| layers.iter().find(|c| has(&c.raw));
        let mut select = selectors(
            setting(|r| r.select.is_some()),
            cli.select.as_deref(),
            "select",
            |r| r.select.as_deref(),
            rules,
        )?
        .unwrap_or_else(|| vec![Selector::ALL]);
        select.extend(
            selectors(
                setting(|r| r.extend_select.is_some()),
                cli.extend_select.as_deref(),
                "extend-select",
                |r| r.extend_select.as_deref(),
                rules,
            )?
            .unwrap_or_default(),
        );
        let ignore = selectors(
            setting(|r| r.ignore.is_some()),
            cli.ignore.as_deref(),
            "ignore",
            |r| r.ignore.as_deref(),
            rules,
        )?
        .unwrap_or_default();

        let severity = severity_overrides(setting(|r| r.severity.is_some()), &cli.severity, rules)?;
        let fail_on = match (cli.fail_on, setting(|r| r.fail_on.is_some())) {
            (Some(level), _) => level,
            (None, Some(config)) => {
                let value = config.raw.fail_on.as_ref().expect("the layer sets it");
                value
                    .get_ref()
                    .parse::<Severity>()
                    .map_err(|e| config.error_at(value.span(), format_args!("`fail-on`: {e}")))?
            }
            (None, None) => Severity::Warning,
        };
        let exclude = match setting(|r| r.exclude.is_some()) {
            Some(config) => config_patterns(
                config,
                "exclude",
                config.raw.exclude.as_deref().unwrap_or_default(),
            )?,
            None => PathPatterns::empty(),
        };
        let per_file_ignores = match setting(|r| r.per_file_ignores.is_some()) {
            Some(config) => per_file_ignores(config, rules)?,
            None => Vec::new(),
        };
        let config_baseline = setting(|r| r.baseline.is_some()).and_then(|config| {
            let baseline = config.raw.baseline.as_ref()?;
            Some(config.dir().join(baseline.get_ref()))
        });
        let baseline = cli
            .baseline
            .as_ref()
            .map(|b| cwd.join(b))
            .or(config_baseline);

        Ok(Settings {
            selection: RuleSelection::new(select, ignore, severity, rules),
            fail_on,
            exclude,
            per_file_ignores,
            baseline,
            baseline_strict: cli.baseline_strict
                || setting(|r| r.baseline_strict.is_some())
                    .and_then(|c| c.raw.baseline_strict)
                    .unwrap_or(false),
        })
    }

    /// Whether findings of `code` in the file at `location` (absolute) are reported.
    pub fn reports(&self, code: &str, location: &Path) -> bool {
        self.selection.is_enabled(code)
            && !self.per_file_ignores.iter().any(|(files, codes)| {
                files.matches(location) && codes.iter().any(|c| c.matches(code))
            })
    }
}

/// Severity overrides: the configuration's, then the command line's, which replace those of the
/// same selector.
fn severity_overrides(
    config: Option<&ConfigFile>,
    cli: &[(String, Severity)],
    rules: &[RuleInfo],
) -> Result<Vec<(Selector, Severity)>, Fatal> {
    let mut severity = Vec::new();
    if let Some((config, table)) = config.and_then(|c| Some((c, c.raw.severity.as_ref()?))) {
        for (code, level) in table {
            let selector = Selector::parse(code.get_ref(), rules)
                .map_err(|e| config.error_at(code.span(), format_args!("`severity`: {e}")))?;
            let level = level.get_ref().parse::<Severity>().map_err(|e| {
                config.error_at(
                    level.span(),
                    format_args!("`severity.{}`: {e}", code.get_ref()),
                )
            })?;
            severity.push((selector, level));
        }
    }
    for (code, level) in cli {
        let selector =
            Selector::parse(code, rules).map_err(|e| Fatal::new(format!("--severity: {e}")))?;
        severity.retain(|(s, _)| *s != selector);
        severity.push((selector, *level));
    }
    Ok(severity)
}

/// The selectors of `key`: from the command line when given there, else from the configuration.
fn selectors(
    config: Option<&ConfigFile>,
    cli: Option<&[String]>,
    key: &str,
    pick: fn(&RawConfig) -> Option<&[Spanned<String>]>,
    rules: &[RuleInfo],
) -> Result<Option<Vec<Selector>>, Fatal> {
    if let Some(values) = cli {
        let parse =
            |v: &String| Selector::parse(v, rules).map_err(|e| Fatal::new(format!("--{key}: {e}")));
        return values.iter().map(parse).collect::<Result<_, _>>().map(Some);
    }
    let Some((config, values)) = config.and_then(|c| Some((c, pick(&c.raw)?))) else {
        return Ok(None);
    };
    let parse = |v: &Spanned<String>| {
        Selector::parse(v.get_ref(), rules)
            .map_err(|e| config.error_at(v.span(), format_args!("`{key}`: {e}")))
    };
    values.iter().map(parse).collect::<Result<_, _>>().map(Some)
}

fn config_patterns(
    config: &ConfigFile,
    key: &str,
    patterns: &[Spanned<String>],
) -> Result<PathPatterns, Fatal> {
    PathPatterns::new(config.dir(), patterns.iter().map(|p| p.get_ref().as_str())).map_err(
        |(pattern, error)| {
            let span = patterns
                .iter()
                .find(|p| *p.get_ref() == pattern)
                .map_or(0..0, |p| p.span());
            config.error_at(
                span,
                format_args!("`{key}`: invalid pattern `{pattern}`: {error}"),
            )
        },
    )
}

fn per_file_ignores(
    config: &ConfigFile,
    rules: &[RuleInfo],
) -> Result<Vec<(PathPatterns, Vec<Selector>)>, Fatal> {
    let Some(table) = &config.raw.per_file_ignores else {
        return Ok(Vec::new());
    };
    table
        .iter()
        .map(|(pattern, codes)| {
            let files = config_patterns(config, "per-file-ignores", std::slice::from_ref(pattern))?;
            let codes = codes
                .iter()
                .map(|c| {
                    Selector::parse(c.get_ref(), rules).map_err(|e| {
                        config.error_at(
                            c.span(),
                            format_args!("`per-file-ignores.\"{}\"`: {e}", pattern.get_ref()),
                        )
                    })
                })
                .collect::<Result<_, _>>()?;
            Ok((files, codes))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleInfo;

    const RULES: [RuleInfo; 3] = [
        RuleInfo {
            code: "D001",
            name: "lock-order-inversion",
            default_severity: Severity::Error,
            default_enabled: true,
            summary: "",
            doc: "",
        },
        RuleInfo {
            code: "L001",
            name: "thread-never-joined",
            default_severity: Severity::Warning,
            default_enabled: true,
            summary: "",
            doc: "",
        },
        RuleInfo {
            code: "R009",
            name: "off-by-default",
            default_severity: Severity::Warning,
            default_enabled: false,
            summary: "",
            doc: "",
        },
    ];

    fn config(text: &str) -> Result<ConfigFile, Fatal> {
        let path = PathBuf::from("/ws/racecheck.toml");
        let raw = toml::from_str(text).map_err(|e| toml_error(&path, text, &e))?;
        Ok(ConfigFile {
            path,
            text: text.to_owned(),
            raw,
        })
    }

    fn resolve(text: &str, cli: &Overrides) -> Result<Settings, Fatal> {
        Settings::resolve(&[config(text)?], cli, &RULES, Path::new("/cwd"))
    }

    #[test]
    fn every_key_is_read() {
        let settings = resolve(
            r#"
select = ["D", "L001"]
extend-select = ["R009"]
ignore = ["L"]
severity = { D001 = "warning" }
fail-on = "error"
exclude = ["generated/"]
per-file-ignores = { "tests/**" = ["D001"] }
baseline = "racecheck-baseline.json"
baseline-strict = true
"#,
            &Overrides::default(),
        )
        .unwrap();
        assert!(settings.selection.is_enabled("D001"));
        assert!(!settings.selection.is_enabled("L001"));
        assert!(settings.selection.is_enabled("R009"));
        assert_eq!(
            settings.selection.severity_of("D001", Severity::Error),
            Severity::Warning
        );
        assert_eq!(settings.fail_on, Severity::Error);
        assert!(settings.exclude.matches(Path::new("/ws/generated/x.rs")));
        assert!(!settings.reports("D001", Path::new("/ws/tests/a/b.rs")));
        assert!(settings.reports("D001", Path::new("/ws/src/b.rs")));
        assert_eq!(
            settings.baseline.as_deref(),
            Some(Path::new("/ws/racecheck-baseline.json"))
        );
        assert!(settings.baseline_strict);
    }

    #[test]
    fn the_command_line_replaces_config_keys() {
        let cli = Overrides {
            select: Some(vec!["L".into()]),
            extend_select: None,
            ignore: Some(vec![]),
            severity: vec![("D001".into(), Severity::Note)],
            fail_on: Some(Severity::Note),
            baseline: Some("b.json".into()),
            baseline_strict: true,
        };
        let settings = resolve(
            "select = [\"D\"]\nignore = [\"L\"]\nseverity = { D001 = \"warning\" }\nfail-on = \"error\"\nbaseline = \"x.json\"\n",
            &cli,
        )
        .unwrap();
        assert!(settings.selection.is_enabled("L001"));
        assert!(!settings.selection.is_enabled("D001"));
        assert_eq!(
            settings.selection.severity_of("D001", Severity::Error),
            Severity::Note
        );
        assert_eq!(settings.fail_on, Severity::Note);
        assert_eq!(settings.baseline.as_deref(), Some(Path::new("/cwd/b.json")));
    }

    #[test]
    fn extend_select_adds_to_select_wherever_each_is_set() {
        let extend_on_cli = Overrides {
            extend_select: Some(vec!["R009".into()]),
            ..Overrides::default()
        };
        let settings = resolve("select = [\"D\"]\n", &extend_on_cli).unwrap();
        assert!(settings.selection.is_enabled("D001"));
        assert!(settings.selection.is_enabled("R009"));
        assert!(!settings.selection.is_enabled("L001"));

        let select_on_cli = Overrides {
            select: Some(vec!["L".into()]),
            ..Overrides::default()
        };
        let settings = resolve("extend-select = [\"R009\"]\n", &select_on_cli).unwrap();
        assert!(settings.selection.is_enabled("L001"));
        assert!(settings.selection.is_enabled("R009"));
        assert!(!settings.selection.is_enabled("D001"));

        let default = resolve("", &Overrides::default()).unwrap();
        assert!(default.selection.is_enabled("D001") && default.selection.is_enabled("L001"));
        assert!(!default.selection.is_enabled("R009"), "off by default");
        let error = resolve("extend-select = [\"X1\"]\n", &Overrides::default())
            .unwrap_err()
            .to_string();
        assert!(
            error.starts_with("/ws/racecheck.toml:1:18: `extend-select`: unknown rule code"),
            "{error}"
        );
    }

    #[test]
    fn errors_name_the_file_the_position_and_the_key() {
        let error = |text: &str| {
            resolve(text, &Overrides::default())
                .unwrap_err()
                .to_string()
        };
        let unknown_key = error("select = []\nfrobnicate = 1\n");
        assert!(
            unknown_key.starts_with("/ws/racecheck.toml:2:1: unknown field `frobnicate`"),
            "{unknown_key}"
        );
        assert_eq!(
            error("select = [\"D001\", \"X1\"]\n"),
            "/ws/racecheck.toml:1:19: `select`: unknown rule code or prefix `X1` (known: D001, L001, R009)"
        );
        assert_eq!(
            error("severity = { D001 = \"loud\" }\n"),
            "/ws/racecheck.toml:1:21: `severity.D001`: invalid level `loud` (expected `note`, `warning` or `error`)"
        );
        assert!(error("fail-on = 3\n").starts_with("/ws/racecheck.toml:1:11: "));
        assert!(
            error("per-file-ignores = { \"a\" = [\"Q\"] }\n").contains("`per-file-ignores.\"a\"`")
        );
    }

    #[test]
    fn bad_command_line_codes_are_fatal() {
        let cli = Overrides {
            ignore: Some(vec!["Z".into()]),
            ..Overrides::default()
        };
        let error = Settings::resolve(&[], &cli, &RULES, Path::new("/")).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("--ignore: unknown rule code or prefix `Z`"),
            "{error}"
        );
    }

    #[test]
    fn workspace_metadata_is_read_with_positions_in_the_manifest() {
        let dir = std::env::temp_dir().join(format!("racecheck-config-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("crate")).unwrap();
        std::fs::write(
            dir.join("Cargo.toml"),
            "[workspace]\nmembers = []\n\n[workspace.metadata.racecheck]\nfail-on = \"often\"\n",
        )
        .unwrap();
        let config = discover(&dir.join("crate"), None, None).unwrap();
        assert_eq!(config.layers[0].path, dir.join("Cargo.toml"));
        let error =
            Settings::resolve(&config.layers, &Overrides::default(), &RULES, &dir).unwrap_err();
        assert!(error.to_string().ends_with("Cargo.toml:5:11: `fail-on`: invalid level `often` (expected `note`, `warning` or `error`)"), "{error}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
