#[racecheck::main(schedules = 10)]
fn main() {}
