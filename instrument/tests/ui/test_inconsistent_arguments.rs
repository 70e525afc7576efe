#[racecheck::test(depth = 2)]
fn depth_without_strategy() {}

#[racecheck::test(strategy = "random", depth = 2)]
fn depth_with_random() {}

#[racecheck::test(strategy = "dfs")]
fn unknown_strategy() {}

#[racecheck::test(schedules = 0, max_steps = 0)]
fn zero_counts() {}

#[racecheck::test(seed = 1, seed = 2)]
fn repeated_key() {}

fn main() {}
