#[racecheck::main]
async fn main() {}
