//! The vocabulary the primitives and the exploration engine share: what a thread is called and
//! how it failed. A leaf: it depends on nothing else in the crate, so the engine below the
//! primitives can name these types without reaching up to them.

use std::fmt;

/// The thread panicked; carries the panic message.
///
/// ```
/// let error = racecheck::Thread::new(|| panic!("out of range: {}", 7)).name("t").start().join().unwrap_err();
/// assert_eq!(error.to_string(), "thread 't' panicked: out of range: 7");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Panicked {
    /// The name of the thread that panicked.
    pub thread: String,
    /// The panic's message; `Box<dyn Any>` when the payload was neither a `&str` nor a `String`.
    pub message: String,
}

impl fmt::Display for Panicked {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "thread '{}' panicked: {}", self.thread, self.message)
    }
}

impl std::error::Error for Panicked {}

/// What [`current_thread`](crate::current_thread) and [`enumerate`](crate::enumerate) return: a thread's name and ident.
///
/// ```
/// let me = racecheck::current_thread();
/// assert_eq!(me.name(), me.name);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ThreadInfo {
    /// The thread's name (Python's `Thread.name`).
    pub name: String,
    /// A number unique to the thread for the life of the process (Python's `Thread.ident`).
    pub ident: u64,
}

impl ThreadInfo {
    /// The thread's name.
    ///
    /// ```
    /// let name = racecheck::Thread::spawn(|| racecheck::current_thread().name().to_owned()).join().unwrap();
    /// assert!(name.starts_with("Thread-"));
    /// ```
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for ThreadInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}
