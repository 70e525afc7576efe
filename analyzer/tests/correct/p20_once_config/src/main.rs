use std::sync::{Arc, Mutex, Once, OnceLock};
use std::thread;

static CONFIG: OnceLock<Vec<String>> = OnceLock::new();
static INIT: Once = Once::new();
static LOG: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn config() -> &'static Vec<String> {
    CONFIG.get_or_init(|| vec!["a".into(), "b".into()])
}

fn init_logging() {
    INIT.call_once(|| {
        LOG.lock().unwrap().push("init".into());
    });
}

fn main() {
    let counter = Arc::new(Mutex::new(0));
    let hs: Vec<_> = (0..4)
        .map(|i| {
            let c = Arc::clone(&counter);
            thread::spawn(move || {
                init_logging();
                let n = config().len();
                *c.lock().unwrap() += n;
                LOG.lock().unwrap().push(format!("t{}", i));
            })
        })
        .collect();
    for h in hs {
        h.join().unwrap();
    }
    println!("{} {}", counter.lock().unwrap(), LOG.lock().unwrap().len());
}
