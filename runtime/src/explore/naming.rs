//! Names for primitives in witnesses, as the analyzer names them: by the static, binding or field
//! a primitive was created into (`ACCOUNTS`, `accounts`), read from the source line of its
//! constructor call (the `#[track_caller]` location its `Stamp` keeps), else by its kind and that
//! location (`Lock@src/main.rs:7`).
//!
//! Names are computed only when a finding is rendered, from the source files alone, so they never
//! influence a schedule. Files are read once per process (relative to the current directory,
//! `CARGO_MANIFEST_DIR` or one of its ancestors, the workspace root) and kept.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::ids::Loc;
use super::state::Object;

/// The names of `objects`, by id: each one's binding, else its kind and creation site
/// (`Lock@src/main.rs:7`); objects sharing a name are numbered in order of first use
/// (`fork#1`, `fork#2`).
pub(crate) fn object_names(objects: &[Object]) -> Vec<String> {
    let names: Vec<String> = objects
        .iter()
        .map(|object| {
            binding_at(object.created_at).unwrap_or_else(|| {
                let at = object.created_at;
                format!("{}@{}:{}", object.kind, at.file(), at.line())
            })
        })
        .collect();
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for name in &names {
        *uses.entry(name).or_insert(0) += 1;
    }
    let mut numbered: HashMap<&str, usize> = HashMap::new();
    names
        .iter()
        .map(|name| {
            if uses[name.as_str()] == 1 {
                return name.clone();
            }
            let number = numbered.entry(name).or_insert(0);
            *number += 1;
            format!("{name}#{number}")
        })
        .collect()
}

/// The source lines of each file read so far (`None`: not found).
type FileCache = HashMap<&'static str, Option<Arc<[String]>>>;

static FILES: Mutex<Option<FileCache>> = Mutex::new(None);

/// The name of the static, binding or field that the constructor call at `created_at` is
/// assigned to, if its source says so plainly.
fn binding_at(created_at: Loc) -> Option<String> {
    let lines = source_lines(created_at.file())?;
    let index = usize::try_from(created_at.line()).ok()?.checked_sub(1)?;
    let line = lines.get(index)?;
    let column = usize::try_from(created_at.column()).ok()?.saturating_sub(1);
    let prefix: String = line.chars().take(column).collect();
    if !prefix.trim().is_empty() {
        return binding_of(&prefix);
    }
    // `let accounts =` on the line above a constructor call of its own.
    let above = lines[..index]
        .iter()
        .rev()
        .find(|line| !line.trim().is_empty())?;
    binding_of(above)
}

fn source_lines(file: &'static str) -> Option<Arc<[String]>> {
    let mut files = FILES.lock().unwrap_or_else(|e| e.into_inner());
    files
        .get_or_insert_with(HashMap::new)
        .entry(file)
        .or_insert_with(|| {
            let text = std::fs::read_to_string(find_file(Path::new(file))?).ok()?;
            Some(text.lines().map(str::to_owned).collect())
        })
        .clone()
}

/// `file` as given (relative to the current directory, or absolute), else under
/// `CARGO_MANIFEST_DIR` or one of its ancestors: `file!()` paths are relative to the workspace
/// root, and tests run in the package's directory.
fn find_file(file: &Path) -> Option<PathBuf> {
    if file.is_file() {
        return Some(file.to_owned());
    }
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR")?);
    manifest_dir
        .ancestors()
        .map(|dir| dir.join(file))
        .find(|candidate| candidate.is_file())
}

/// The name `prefix` (the source up to a constructor call) binds the call's value to:
/// `let accounts = Arc::new(` gives `accounts`, `static ACCOUNTS: Lock<u64> = ` gives
/// `ACCOUNTS`, `self.accounts = ` and `accounts: ` (a field) give `accounts`.
fn binding_of(prefix: &str) -> Option<String> {
    if let Some(name) = tuple_binding(prefix) {
        return Some(name);
    }
    let mut text = prefix.trim_end();
    // Element indices of the tuples the call sits in, innermost first: `(Lock::new(()), ` is `.1`.
    let mut elements = Vec::new();
    loop {
        let (open, index) = if let Some(inside) = text.strip_suffix('(') {
            (inside.len(), 0)
        } else if text.ends_with(',') {
            unclosed_paren(text)?
        } else {
            break;
        };
        let before = text[..open].trim_end();
        let callee = before.trim_end_matches(|c: char| c.is_alphanumeric() || "_:<>".contains(c));
        if callee.len() < before.len() {
            // A wrapper (`Arc::new(`, `Some(`) holds the value as its only argument.
            if index > 0 {
                return None;
            }
        } else {
            elements.push(index);
        }
        text = callee.trim_end();
    }
    let target = if let Some(left) = text.strip_suffix('=') {
        if left.ends_with(['=', '!', '<', '>', '+', '-', '*', '/', '|', '&', '^', '%']) {
            return None;
        }
        // `let accounts: Lock<u64>` and `static ACCOUNTS: Lock<u64>` name what precedes the type.
        left.split(':').next().unwrap_or(left)
    } else if let Some(left) = text.strip_suffix(':') {
        if left.ends_with(':') {
            return None;
        }
        left
    } else {
        return None;
    };
    let mut name = identifier(
        target
            .trim_end()
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()?,
    )?;
    for index in elements.iter().rev() {
        name.push_str(&format!(".{index}"));
    }
    Some(name)
}

/// Where the last `(` still open in `text` is, and how many commas of its own follow it.
fn unclosed_paren(text: &str) -> Option<(usize, usize)> {
    let mut depth = 0usize;
    let mut commas = 0;
    for (at, c) in text.char_indices().rev() {
        match c {
            ')' | ']' | '}' => depth += 1,
            '[' | '{' if depth == 0 => return None,
            '(' if depth == 0 => return Some((at, commas)),
            '(' | '[' | '{' => depth -= 1,
            ',' if depth == 0 => commas += 1,
            _ => {}
        }
    }
    None
}

/// `let (a, b) = (Arc::new(Lock::new(0)), ` gives `b`: the pattern's element at the position
/// of the tuple element being built.
fn tuple_binding(prefix: &str) -> Option<String> {
    let (left, right) = prefix.split_once('=')?;
    let pattern = left.trim().strip_prefix("let")?.trim_start();
    let pattern = pattern.strip_prefix('(')?.split_once(')')?.0;
    let mut depth = 0usize;
    let mut index = 0;
    for c in right.trim_start().strip_prefix('(')?.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.checked_sub(1)?,
            ',' if depth == 0 => index += 1,
            _ => {}
        }
    }
    let element = pattern.split(',').nth(index)?.trim();
    identifier(element.strip_prefix("mut ").unwrap_or(element))
}

/// `name` if it is an identifier that names something (not a keyword).
fn identifier(name: &str) -> Option<String> {
    let keyword = matches!(
        name,
        "let" | "mut" | "static" | "const" | "pub" | "ref" | "self"
    );
    let mut chars = name.chars();
    let starts_well = chars.next().is_some_and(|c| c.is_alphabetic() || c == '_');
    let rest_well = chars.all(|c| c.is_alphanumeric() || c == '_');
    (starts_well && rest_well && !keyword).then(|| name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statics_bindings_and_fields_name_what_they_hold() {
        let cases = [
            ("static ACCOUNTS: Lock<u64> = ", Some("ACCOUNTS")),
            ("pub static mut ORDERS: Queue<u8> = ", Some("ORDERS")),
            ("    let accounts = ", Some("accounts")),
            (
                "    let mut accounts: Arc<Lock<u64>> = Arc::new(",
                Some("accounts"),
            ),
            ("        accounts: ", Some("accounts")),
            ("        accounts: Arc::new(", Some("accounts")),
            ("        self.ledger = ", Some("ledger")),
            ("    let fork = Some(Arc::new(", Some("fork")),
            ("    forks.push(", None),
            ("    if done == ", None),
            ("    let (a, b) = ", None),
            ("    let (a, b) = (Arc::new(", Some("a")),
            (
                "    let (a, mut b) = (Arc::new(Lock::new(0)), Arc::new(",
                Some("b"),
            ),
            ("    let (a, b) = (f(x, y), ", Some("b")),
            ("    let state = Arc::new((Lock::new(()), ", Some("state.1")),
            ("    let state = Arc::new((", Some("state.0")),
            ("    let pair = ((Lock::new(0), x), (y, ", Some("pair.1.1")),
            ("    let bank = Bank::new(1, ", None),
            ("    racecheck::", None),
            ("", None),
        ];
        for (prefix, expected) in cases {
            assert_eq!(binding_of(prefix).as_deref(), expected, "{prefix:?}");
        }
    }

    #[test]
    fn a_constructor_call_is_named_from_its_source_line() {
        let accounts = std::panic::Location::caller();
        // This test's own call site: `let accounts = std::panic::Location::caller();`.
        assert_eq!(binding_at(accounts).as_deref(), Some("accounts"));
    }
}
