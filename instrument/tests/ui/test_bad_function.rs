#[racecheck::test]
async fn asynchronous() {}

#[racecheck::test]
fn with_parameter(_n: u32) {}

#[racecheck::test]
fn generic<T>() {}

#[racecheck::test]
unsafe fn not_safe() {}

#[racecheck::test]
struct NotAFunction;

fn main() {}
