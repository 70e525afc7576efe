mod maint;

#[racecheck::main]
fn main() {
    let m = std::sync::Arc::new(maint::Maintenance::new());
    let janitor = {
        let m = std::sync::Arc::clone(&m);
        racecheck::Thread::new(move || m.janitor()).name("janitor").start()
    };
    m.touch_index();
    m.touch_data();
    janitor.join().unwrap();
    println!("ok");
}
