//! Calls through `&dyn Trait`, `Box<dyn Trait>`, `Arc<dyn Trait>` and a generic `T: Trait`
//! (bound inline or in a `where` clause) reach every implementor, even when the model does not
//! know which object was passed: a listener that takes the lock its caller holds is a double
//! acquire. Calling the listener after the guard is dropped is clean.
use racecheck::Lock;
use std::sync::Arc;

static A: Lock<u32> = Lock::new(0);
static B: Lock<u32> = Lock::new(0);
static C: Lock<u32> = Lock::new(0);
static D: Lock<u32> = Lock::new(0);
static E: Lock<u32> = Lock::new(0);

trait Listener: Send + Sync {
    fn notify(&self);
}

trait Observer: Send + Sync {
    fn observe(&self);
}

#[derive(Default)]
struct Echo;

impl Listener for Echo {
    fn notify(&self) {
        *A.acquire() += 1; //~ D002
        *B.acquire() += 1; //~ D002
        *C.acquire() += 1; //~ D002
    }
}

#[derive(Default)]
struct Audit;

impl Observer for Audit {
    fn observe(&self) {
        *D.acquire() += 1; //~ D002
        *E.acquire() += 1; //~ D002
    }
}

fn by_ref(listener: &dyn Listener) {
    let _a = A.acquire();
    listener.notify();
}

fn by_box(listener: Box<dyn Listener>) {
    let _b = B.acquire();
    listener.notify();
}

fn by_arc(listener: Arc<dyn Listener>) {
    let _c = C.acquire();
    listener.notify();
}

fn by_bound<T: Send + Observer>(observer: &T) {
    let _d = D.acquire();
    observer.observe();
}

fn by_where<T>(observer: &T)
where
    T: Observer,
{
    let _e = E.acquire();
    observer.observe();
}

fn after_release<T: Observer>(observer: &T, listener: &dyn Listener) {
    drop(D.acquire());
    observer.observe();
    let a = A.acquire();
    drop(a);
    listener.notify();
}

/// Objects made by code the model does not follow (a derived `Default`).
fn unknown_listener() -> Box<dyn Listener> {
    Box::new(Echo::default())
}

fn unknown_observer() -> Audit {
    Audit::default()
}

fn main() {
    by_ref(&*unknown_listener());
    by_box(unknown_listener());
    by_arc(Arc::from(unknown_listener()));
    by_bound(&unknown_observer());
    by_where(&unknown_observer());
    after_release(&unknown_observer(), &*unknown_listener());
}
