#[racecheck::test(colour = "blue")]
fn unknown_key() {}

#[racecheck::test(explore::schedules = 10)]
fn path_key() {}

#[racecheck::test(schedules)]
fn bare_key() {}

fn main() {}
