use racecheck::{Condition, LockGuard};

/// Waits on `cv` until the flag behind `guard` is true; each caller pairs one condition with
/// the one lock that guards its flag.
pub fn wait_flag<'a>(cv: &Condition, mut guard: LockGuard<'a, bool>) -> LockGuard<'a, bool> {
    while !*guard {
        guard = cv.wait(guard);
    }
    guard
}
