//! The text of a panic payload, as `Panicked` and the pool report it.

use std::any::Any;

/// The message a panic was raised with: `panic!("…")` payloads are a `&str` or a `String`;
/// anything else (`std::panic::panic_any`) has no text to show.
pub(crate) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "Box<dyn Any>".to_owned()
    }
}
