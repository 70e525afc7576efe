//! The quick fix of every finding: an allow comment on its own line above the finding's line,
//! indented like it (`// racecheck: allow(D001) reason`), which the suppression pass reads.
use super::convert::{self, Encoding, Text};
use super::server::to_lsp;
use super::session::Session;
use crate::rules::u001_unused_allow::UNUSED_ALLOW;
use gen_lsp_types::{
    CodeAction, CodeActionKind, CodeActionParams, CodeActionResponse, Position, Range, TextEdit,
    WorkspaceEdit,
};
use std::collections::HashMap;

/// What the inserted comment says after the code, for the user to replace with the reason.
pub const REASON_PLACEHOLDER: &str = "reason";

pub fn actions(
    session: &Session,
    encoding: Encoding,
    params: &CodeActionParams,
) -> Option<Vec<CodeActionResponse>> {
    let location = convert::path(&params.text_document.uri)?;
    let file = session.file(&location)?;
    let text = Text {
        text: &file.text,
        lines: file.lines(),
        encoding,
    };
    let wanted = (
        text.offset(params.range.start),
        text.offset(params.range.end),
    );
    let actions = session
        .diagnostics_of(&location)
        .into_iter()
        .filter(|d| d.code != UNUSED_ALLOW.code)
        .filter(|d| d.primary.byte_start <= wanted.1 && wanted.0 <= d.primary.byte_end)
        .map(|d| {
            let line = d.primary.line_start as usize - 1;
            let line_start = text.line_start(line);
            let indent: String = file.text[line_start..]
                .chars()
                .take_while(|c| *c == ' ' || *c == '\t')
                .collect();
            let at = Position::new(line as u32, 0);
            let edit = TextEdit {
                range: Range::new(at, at),
                new_text: format!(
                    "{indent}// racecheck: allow({}) {REASON_PLACEHOLDER}\n",
                    d.code
                ),
            };
            CodeAction {
                title: format!("Allow {} {} here (racecheck)", d.code, d.name),
                kind: Some(CodeActionKind::QuickFix),
                diagnostics: to_lsp(session, d, encoding).map(|d| vec![d]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(
                        params.text_document.uri.clone(),
                        vec![edit],
                    )])),
                    ..WorkspaceEdit::default()
                }),
                ..CodeAction::default()
            }
            .into()
        })
        .collect();
    Some(actions)
}
