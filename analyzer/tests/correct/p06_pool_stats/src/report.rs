pub fn print(lens: &[usize], longest: &str, calls: u64) {
    println!("lens={lens:?} longest={longest} calls={calls}");
}
