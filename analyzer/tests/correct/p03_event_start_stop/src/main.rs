mod control;
mod sensor;

use control::Control;

#[racecheck::main]
fn main() {
    let control = Control::new();
    let sensors: Vec<_> = (0..3).map(|i| sensor::spawn(control.clone(), i)).collect();
    control.start();
    control.wait_first_sample();
    control.stop();
    let mut total = 0;
    for s in sensors {
        total += s.join().unwrap();
    }
    println!("samples {total} recorded {}", control.recorded());
}
