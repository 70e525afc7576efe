#[racecheck::test(schedules = "many")]
fn string_count() {}

#[racecheck::test(seed = -1)]
fn negative_seed() {}

#[racecheck::test(strategy = pct)]
fn unquoted_strategy() {}

#[racecheck::test(max_steps = 1.5)]
fn float_steps() {}

#[racecheck::test(seed = 18446744073709551616)]
fn seed_too_large() {}

fn main() {}
