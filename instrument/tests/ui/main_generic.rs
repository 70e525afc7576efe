#[racecheck::main]
fn main<T>() {}
