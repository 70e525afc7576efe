use racecheck::{JoinHandle, Thread};

use crate::control::Control;

pub fn spawn(control: Control, id: usize) -> JoinHandle<u64> {
    Thread::new(move || {
        control.wait_started();
        let mut n = 0;
        // every sensor records at least once so that first_sample is always set
        loop {
            control.record();
            n += 1;
            if !control.should_run() || n >= 5 {
                break;
            }
        }
        n
    })
    .name(format!("sensor-{id}"))
    .start()
}
