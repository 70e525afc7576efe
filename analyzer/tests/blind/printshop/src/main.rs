mod billing;
mod control;
mod intake;
mod model;
mod monitor;
mod printers;
mod raster;
mod shop;

use std::time::Duration;

use model::{JobSpec, PaperSize};
use shop::{PrintShop, ShopConfig};

fn catalog() -> Vec<JobSpec> {
    vec![
        JobSpec::new("quarterly report", 12).duplex(),
        JobSpec::new("flyer", 1).copies(40).color(),
        JobSpec::new("poster", 1).paper(PaperSize::A3).color().with_proof(),
        JobSpec::new("invoice batch", 30),
        JobSpec::new("wedding menu", 2).copies(20).color().with_proof(),
        JobSpec::new("thesis", 80).duplex().rush(),
        JobSpec::new("letterhead", 1).copies(60).paper(PaperSize::Letter),
        JobSpec::new("price list", 6).copies(5),
    ]
}

fn main() {
    let jobs: usize = std::env::args().nth(1).and_then(|arg| arg.parse().ok()).unwrap_or(32);

    let shop = PrintShop::build(ShopConfig::default());
    shop.start();

    let customers = shop.customers().to_vec();
    for (n, customer) in customers.iter().enumerate() {
        if let Err(err) = shop.prepay(*customer, 2_000 + 500 * n as i64) {
            eprintln!("main: prepay for {customer} failed: {err}");
        }
    }

    let specs = catalog();
    for i in 0..jobs {
        let customer = customers[i % customers.len()];
        let spec = specs[i % specs.len()].clone();
        match shop.submit(customer, spec) {
            Some(id) => {
                if i % 8 == 0 {
                    eprintln!("main: accepted {id} for {customer}");
                }
            }
            None => eprintln!("main: counter closed, job {i} turned away"),
        }
        if i == jobs / 2 {
            shop.pause();
            std::thread::sleep(Duration::from_millis(5));
            eprintln!("main: paused with {} jobs at the counter", shop.backlog());
            shop.resume();
        }
    }

    if customers.len() >= 2 {
        if let Err(err) = shop.transfer_credit(customers[1], customers[0], 250) {
            eprintln!("main: credit transfer refused: {err}");
        }
    }

    let fed = shop.drain();
    eprintln!("main: spooler drained after {fed} jobs");
    let report = shop.shutdown();
    println!("{report}");
}
