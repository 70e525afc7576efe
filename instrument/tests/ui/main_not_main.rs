#[racecheck::main]
fn start() {}

fn main() {
    start();
}
