mod registry;

pub use registry::{UserProfile, UserRegistry};
