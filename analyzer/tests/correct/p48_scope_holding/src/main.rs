use std::sync::Mutex;
use std::thread;

fn main() {
    let report = Mutex::new(Vec::<String>::new());
    let counts = Mutex::new([0u32; 4]);
    let data: Vec<u32> = (0..400).collect();
    let mut rep = report.lock().unwrap();
    rep.push("begin".into());
    thread::scope(|s| {
        for (i, chunk) in data.chunks(100).enumerate() {
            let counts = &counts;
            s.spawn(move || {
                let n = chunk.iter().filter(|x| *x % 3 == 0).count() as u32;
                counts.lock().unwrap()[i] = n;
            });
        }
    });
    rep.push(format!("{:?}", counts.lock().unwrap()));
    drop(rep);
    println!("{:?}", report.lock().unwrap());
}
