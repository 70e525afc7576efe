mod grid;
mod solver;

use std::sync::Arc;

#[racecheck::main]
fn main() {
    let grid = Arc::new(grid::Grid::new(3));
    let handles: Vec<_> = (0..3)
        .map(|i| {
            let grid = Arc::clone(&grid);
            racecheck::Thread::spawn(move || solver::run(&grid, i, 2))
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    println!("{:?}", grid.snapshot());
}
