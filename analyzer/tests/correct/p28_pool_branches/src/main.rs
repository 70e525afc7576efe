mod render;

#[racecheck::main]
fn main() {
    let urgent = std::env::args().count() > 5;
    let frames = render::render_all(8, urgent);
    println!("{frames:?}");
}
