#[derive(Debug)]
pub enum Request {
    Put(String, u64),
    Get(String),
}

#[derive(Debug)]
pub enum Reply {
    Ok,
    Value(Option<u64>),
}
