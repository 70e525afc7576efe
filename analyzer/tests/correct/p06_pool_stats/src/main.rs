mod analysis;
mod report;

#[racecheck::main]
fn main() {
    let words: Vec<String> = "the quick brown fox jumps over the lazy dog".split(' ').map(String::from).collect();
    let engine = analysis::Engine::new(2);
    let lens = engine.lengths(words.clone());
    let longest = engine.longest(words);
    let rep = engine.finish();
    report::print(&lens, &longest, rep);
}
