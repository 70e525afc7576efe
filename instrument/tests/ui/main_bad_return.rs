#[racecheck::main]
fn main() -> u32 {
    0
}
