//! `main` may return `Result<(), E>`, and keeps `?` and early `return` working.
use std::num::ParseIntError;

#[racecheck::main]
fn main() -> Result<(), ParseIntError> {
    let n: u32 = "42".parse()?;
    if n == 42 {
        return Ok(());
    }
    unreachable!("42 parses to 42")
}
