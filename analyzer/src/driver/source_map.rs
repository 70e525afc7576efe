//! The loaded sources of one run, with the line tables every renderer needs to turn byte offsets
//! into lines and columns. Line tables are built lazily: most files never carry a finding.
use crate::diagnostic::{SourceFile, Span};
use codespan_reporting::files::{Error as FilesError, Files};
use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Byte offsets of the starts of a text's lines.
#[derive(Debug)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { starts }
    }

    /// 0-based line containing `byte` (clamped to the last line).
    pub fn line_of(&self, byte: usize) -> usize {
        self.starts.partition_point(|&start| start <= byte) - 1
    }

    /// Byte range of 0-based `line`, without its line terminator; `None` past the end.
    pub fn line_range(&self, text: &str, line: usize) -> Option<Range<usize>> {
        let start = *self.starts.get(line)?;
        let end = self
            .starts
            .get(line + 1)
            .map_or(text.len(), |&next| next - 1);
        let end = if text[start..end].ends_with('\r') {
            end - 1
        } else {
            end
        };
        Some(start..end)
    }

    /// 1-based line and 1-based column in Unicode scalar values (rustc's convention) of `byte`.
    pub fn line_col(&self, text: &str, byte: usize) -> (u32, u32) {
        let byte = floor_char_boundary(text, byte.min(text.len()));
        let line = self.line_of(byte);
        let column = text[self.starts[line]..byte].chars().count() + 1;
        (to_u32(line + 1), to_u32(column))
    }

    /// A span over `bytes` of the file `path` whose text is `text`.
    pub fn span(&self, path: &Path, text: &str, bytes: Range<usize>) -> Span {
        let (line_start, column_start) = self.line_col(text, bytes.start);
        let (line_end, column_end) = self.line_col(text, bytes.end);
        Span {
            file: path.to_path_buf(),
            byte_start: bytes.start,
            byte_end: bytes.end,
            line_start,
            column_start,
            line_end,
            column_end,
        }
    }
}

/// The char boundary at or before `byte`.
pub(crate) fn floor_char_boundary(text: &str, mut byte: usize) -> usize {
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

/// A count as the `u32` positions use, saturating.
pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// A path as a forward-slash string, for fingerprints and formats read on every platform.
pub fn portable(path: &Path) -> String {
    path.to_string_lossy()
        .replace(std::path::MAIN_SEPARATOR, "/")
}

/// A path as a URI reference: `/` separators, and the characters that URIs reserve or forbid
/// percent-encoded.
pub fn uri_path(path: &Path) -> String {
    let mut uri = String::new();
    for byte in portable(path).bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'.' | b'_' | b'~' => {
                uri.push(char::from(byte))
            }
            _ => uri += &format!("%{byte:02X}"),
        }
    }
    uri
}

#[derive(Debug)]
struct Entry {
    file: SourceFile,
    /// Where the file is on disk (absolute); `file.path` is the path diagnostics print.
    location: PathBuf,
    lines: OnceLock<LineIndex>,
}

/// Every analyzed file by the path diagnostics print.
#[derive(Debug, Default)]
pub struct SourceMap {
    entries: Vec<Entry>,
    by_path: HashMap<PathBuf, usize>,
}

/// Identifies a file of a [`SourceMap`]; also codespan-reporting's file id.
pub type FileId = usize;

impl SourceMap {
    /// `files` paired with where each is on disk.
    pub fn new(files: impl IntoIterator<Item = (SourceFile, PathBuf)>) -> Self {
        let mut map = SourceMap::default();
        for (file, location) in files {
            map.by_path.insert(file.path.clone(), map.entries.len());
            map.entries.push(Entry {
                file,
                location,
                lines: OnceLock::new(),
            });
        }
        map
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    pub fn files(&self) -> impl Iterator<Item = &SourceFile> {
        self.entries.iter().map(|e| &e.file)
    }

    pub fn id(&self, path: &Path) -> Option<FileId> {
        self.by_path.get(path).copied()
    }

    /// The path diagnostics print.
    pub fn path(&self, id: FileId) -> &Path {
        &self.entries[id].file.path
    }

    pub fn text(&self, id: FileId) -> &str {
        &self.entries[id].file.text
    }

    /// Where the file is on disk (absolute).
    pub fn location(&self, id: FileId) -> &Path {
        &self.entries[id].location
    }

    pub fn lines(&self, id: FileId) -> &LineIndex {
        self.entries[id]
            .lines
            .get_or_init(|| LineIndex::new(self.text(id)))
    }

    /// The text of 1-based `line` of `path`, without its terminator; empty when unknown.
    pub fn line_text(&self, path: &Path, line: u32) -> &str {
        self.id(path)
            .and_then(|id| {
                let range = self
                    .lines(id)
                    .line_range(self.text(id), (line as usize).checked_sub(1)?)?;
                Some(&self.text(id)[range])
            })
            .unwrap_or("")
    }
}

impl<'a> Files<'a> for SourceMap {
    type FileId = FileId;
    type Name = String;
    type Source = &'a str;

    fn name(&'a self, id: FileId) -> Result<String, FilesError> {
        let entry = self.entries.get(id).ok_or(FilesError::FileMissing)?;
        Ok(entry.file.path.display().to_string())
    }

    fn source(&'a self, id: FileId) -> Result<&'a str, FilesError> {
        let entry = self.entries.get(id).ok_or(FilesError::FileMissing)?;
        Ok(&entry.file.text)
    }

    fn line_index(&'a self, id: FileId, byte_index: usize) -> Result<usize, FilesError> {
        self.entries.get(id).ok_or(FilesError::FileMissing)?;
        Ok(self.lines(id).line_of(byte_index))
    }

    fn line_range(&'a self, id: FileId, line_index: usize) -> Result<Range<usize>, FilesError> {
        self.entries.get(id).ok_or(FilesError::FileMissing)?;
        let lines = self.lines(id);
        let text = self.text(id);
        let start = *lines
            .starts
            .get(line_index)
            .ok_or(FilesError::LineTooLarge {
                given: line_index,
                max: lines.starts.len() - 1,
            })?;
        let end = lines
            .starts
            .get(line_index + 1)
            .copied()
            .unwrap_or(text.len());
        Ok(start..end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_chars_and_are_one_based() {
        let text = "ab\nαβγ x\r\nlast";
        let lines = LineIndex::new(text);
        assert_eq!(lines.line_col(text, 0), (1, 1));
        assert_eq!(lines.line_col(text, 3), (2, 1));
        let x = text.find('x').unwrap();
        assert_eq!(lines.line_col(text, x), (2, 5));
        assert_eq!(lines.line_col(text, text.len()), (3, 5));
    }

    #[test]
    fn line_ranges_drop_terminators() {
        let text = "one\r\ntwo\nthree";
        let lines = LineIndex::new(text);
        let line = |n| &text[lines.line_range(text, n).unwrap()];
        assert_eq!((line(0), line(1), line(2)), ("one", "two", "three"));
        assert_eq!(lines.line_range(text, 3), None);
    }

    #[test]
    fn positions_inside_a_char_round_down() {
        let text = "é";
        assert_eq!(LineIndex::new(text).line_col(text, 1), (1, 1));
    }

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(
            uri_path(Path::new("src/my file#1.rs")),
            "src/my%20file%231.rs"
        );
    }
}
