//! Replay tokens: the choices a schedule made, as compact text.
//!
//! `rc1:` then base64url (no padding) of LEB128 varints: the step limit the schedule ran under,
//! then the choices run-length coded as `(value, repeat)` pairs. Only real choices are recorded
//! (a pick among two or more threads, a draw among two or more outcomes), and long stretches of one
//! thread running on are one pair, so tokens stay short; nothing bounds their length, and a token
//! of any length loads.
//!
//! A token too long to pass inline ([`INLINE_TOKEN_LIMIT`]: a livelock's schedule runs to the step
//! limit) travels in a file: wherever a token is read, `@PATH` reads it from that file.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

const PREFIX: &str = "rc1:";

/// What a token holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RecordedSchedule {
    pub(crate) max_steps: usize,
    pub(crate) choices: Vec<u64>,
}

pub(crate) fn encode(max_steps: usize, choices: &[u64]) -> String {
    let mut bytes = Vec::with_capacity(16 + choices.len() / 4);
    put_varint(&mut bytes, max_steps as u64);
    let mut rest = choices;
    while let Some(&value) = rest.first() {
        let run = rest.iter().take_while(|&&c| c == value).count();
        put_varint(&mut bytes, value);
        put_varint(&mut bytes, run as u64);
        rest = &rest[run..];
    }
    format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

pub(crate) fn decode(token: &str) -> Result<RecordedSchedule, String> {
    let body = token.trim().strip_prefix(PREFIX).ok_or_else(|| {
        format!(
            "a token starts with `{PREFIX}` (this one starts {:?})",
            prefix_of(token)
        )
    })?;
    let bytes = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|e| format!("not base64url: {e}"))?;
    let mut reader = Varints { bytes: &bytes };
    let max_steps = reader.next()?.ok_or("the token is empty")?;
    let max_steps =
        usize::try_from(max_steps).map_err(|_| "the step limit does not fit this platform")?;
    if max_steps == 0 {
        return Err("its step limit is 0: no schedule records that".into());
    }
    let mut choices = Vec::new();
    while let Some(value) = reader.next()? {
        let run = reader.next()?.ok_or("the token is cut short")?;
        if run == 0 {
            return Err("a run of zero choices".into());
        }
        // No schedule makes more choices than its step limit allows: that bounds the memory a
        // forged token can make us allocate.
        if choices.len() as u64 + run > max_choices(max_steps) {
            return Err("more choices than the step limit allows".into());
        }
        choices.extend(std::iter::repeat_n(value, run as usize));
    }
    Ok(RecordedSchedule { max_steps, choices })
}

/// A step makes one thread pick and at most two data draws (a condition's timed wait: a spurious
/// wakeup, then the timeout); the bound leaves room to spare.
fn max_choices(max_steps: usize) -> u64 {
    (max_steps as u64).saturating_mul(4).saturating_add(4)
}

/// Tokens longer than this are passed as `@PATH`, a file holding them: an environment variable or
/// a command-line argument holds at most 128 KiB on Linux and 32 KiB on Windows, and a terminal
/// line far less.
pub const INLINE_TOKEN_LIMIT: usize = 8 << 10;

/// The token a replay argument (`RACECHECK_REPLAY`, `cargo racecheck replay`) gives: the token
/// itself, or `@PATH`, the file holding one. `Err` completes "the argument …": it is not a token,
/// or its file cannot be read or holds no token.
pub fn read_token(argument: &str) -> Result<String, String> {
    let argument = argument.trim();
    let Some(path) = argument.strip_prefix('@') else {
        decode(argument).map_err(|e| format!("is not a replay token: {e}"))?;
        return Ok(argument.to_owned());
    };
    let text = fs::read_to_string(path)
        .map_err(|e| format!("names a token file that cannot be read ({path}: {e})"))?;
    let token = text.trim();
    decode(token).map_err(|e| format!("names a file that holds no replay token ({path}: {e})"))?;
    Ok(token.to_owned())
}

/// The replay argument that passes `token`: the token itself when it is short enough, else
/// `@PATH` of a file in `dir` holding it, named after its content (the same token reuses its file).
pub fn replay_argument(token: &str, dir: &Path) -> io::Result<String> {
    if token.len() <= INLINE_TOKEN_LIMIT {
        return Ok(token.to_owned());
    }
    fs::create_dir_all(dir)?;
    let path: PathBuf = dir.join(format!("{:016x}.token", fnv1a(token.as_bytes())));
    fs::write(&path, token)?;
    Ok(format!("@{}", path.display()))
}

/// FNV-1a, 64 bits: a stable name for a token's file.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn prefix_of(token: &str) -> String {
    token.chars().take(PREFIX.len()).collect()
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

struct Varints<'a> {
    bytes: &'a [u8],
}

impl Varints<'_> {
    /// The next varint, `None` at the end, `Err` on a truncated or oversized one.
    fn next(&mut self) -> Result<Option<u64>, String> {
        if self.bytes.is_empty() {
            return Ok(None);
        }
        let mut value = 0u64;
        for (i, &byte) in self.bytes.iter().enumerate() {
            let shift = 7 * i as u32;
            if shift > 63 || (shift == 63 && byte > 1) {
                return Err("a number is too large".into());
            }
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                self.bytes = &self.bytes[i + 1..];
                return Ok(Some(value));
            }
        }
        Err("the token is cut short".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_round_trip() {
        for choices in [vec![], vec![0], vec![3, 3, 3, 1, 0, 0, u64::MAX, 7]] {
            let token = encode(1000, &choices);
            assert!(token.starts_with("rc1:"));
            assert_eq!(
                decode(&token),
                Ok(RecordedSchedule {
                    max_steps: 1000,
                    choices
                })
            );
        }
    }

    #[test]
    fn long_schedules_stay_short_and_load() {
        let choices: Vec<u64> = (0..200_000).map(|i| (i / 1000) % 3).collect();
        let token = encode(1_000_000, &choices);
        assert!(token.len() < 2_000, "{} characters", token.len());
        assert_eq!(decode(&token).unwrap().choices, choices);

        let noisy: Vec<u64> = (0..100_000).map(|i| (i * 7919 % 13) as u64).collect();
        assert_eq!(decode(&encode(100_000, &noisy)).unwrap().choices, noisy);
    }

    #[test]
    fn a_long_token_travels_in_a_file_and_reads_back() {
        let dir = std::env::temp_dir().join(format!("racecheck-token-{}", std::process::id()));
        let short = encode(100, &[1, 0, 1]);
        assert_eq!(replay_argument(&short, &dir).unwrap(), short);
        assert!(!dir.exists(), "a short token writes no file");

        let noisy: Vec<u64> = (0..40_000).map(|i| (i * 7919 % 13) as u64).collect();
        let long = encode(100_000, &noisy);
        assert!(long.len() > INLINE_TOKEN_LIMIT);
        let argument = replay_argument(&long, &dir).unwrap();
        assert!(
            argument.starts_with('@') && argument.len() < 200,
            "{argument}"
        );
        assert_eq!(
            replay_argument(&long, &dir).unwrap(),
            argument,
            "one file per token"
        );
        assert_eq!(read_token(&argument), Ok(long.clone()));
        assert_eq!(read_token(&format!(" {long}\n")), Ok(long));

        let path = argument.strip_prefix('@').unwrap();
        fs::write(path, "rc2:AAAA").unwrap();
        assert!(read_token(&argument).unwrap_err().starts_with(&format!(
            "names a file that holds no replay token ({path}: "
        )));
        fs::remove_dir_all(&dir).unwrap();
        assert!(read_token(&argument)
            .unwrap_err()
            .starts_with(&format!("names a token file that cannot be read ({path}: ")));
        assert!(read_token("rc1:!!")
            .unwrap_err()
            .starts_with("is not a replay token: not base64url"));
    }

    #[test]
    fn malformed_tokens_are_errors() {
        assert!(decode("").unwrap_err().contains("starts with `rc1:`"));
        assert!(decode("rc2:AAAA")
            .unwrap_err()
            .contains("starts with `rc1:`"));
        assert_eq!(decode("rc1:").unwrap_err(), "the token is empty");
        assert_eq!(
            decode("rc1:AA").unwrap_err(),
            "its step limit is 0: no schedule records that"
        );
        assert!(decode("rc1:!!").unwrap_err().starts_with("not base64url"));
        // max_steps = 10, then a value with no run length.
        let cut = format!("rc1:{}", URL_SAFE_NO_PAD.encode([10, 1]));
        assert_eq!(decode(&cut).unwrap_err(), "the token is cut short");
        // max_steps = 1, then a run of 100 choices.
        let forged = format!("rc1:{}", URL_SAFE_NO_PAD.encode([1, 0, 100]));
        assert_eq!(
            decode(&forged).unwrap_err(),
            "more choices than the step limit allows"
        );
        let huge = format!("rc1:{}", URL_SAFE_NO_PAD.encode([0xff; 11]));
        assert_eq!(decode(&huge).unwrap_err(), "a number is too large");
    }
}
