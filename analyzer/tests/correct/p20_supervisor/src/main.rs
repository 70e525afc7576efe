mod supervisor;

#[racecheck::main]
fn main() {
    let s = supervisor::Supervisor::new();
    s.launch(3);
    let finished = s.shutdown();
    println!("finished {finished}");
}
