mod indexer;

#[racecheck::main]
fn main() {
    let ix = indexer::Indexer::start(2);
    for doc in ["alpha beta", "beta gamma", "gamma"] {
        ix.add(doc.to_string());
    }
    ix.flush();
    let words = ix.stop();
    println!("{words}");
}
