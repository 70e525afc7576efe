mod catalog;

#[racecheck::main]
fn main() {
    let c = catalog::Catalog::new();
    println!("{}", c.reprice());
}
