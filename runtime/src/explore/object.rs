//! How the engine recognises a primitive: by the address of the [`Stamp`] inside it.
//!
//! Per schedule the engine keeps a side table `stamp address -> model state`, filled lazily at a
//! primitive's first operation from its initial state. The stamp says which execution last touched
//! a primitive, so that a primitive created anew at a reused address starts fresh, and one created
//! outside the explored closure and touched by two executions is refused; it also keeps the
//! primitive's id in that execution's table, so that an operation finds its model without a look-up.
//! Statics are recognised by
//! address and are per-execution by construction: every execution has its own table, so parallel
//! schedules never see each other's state.

use std::alloc::{self, Layout};
use std::panic::Location;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};

/// The engine's mark inside every primitive; its address is the primitive's identity. It keeps
/// where the primitive was created (the user's constructor call, through `#[track_caller]`), by
/// which witnesses name it.
#[derive(Debug)]
pub struct Stamp {
    word: AtomicU64,
    created_at: &'static Location<'static>,
}

impl Default for Stamp {
    #[track_caller]
    fn default() -> Self {
        Stamp::new()
    }
}

/// Set once the primitive has been used outside exploration.
const USED_FOR_REAL: u64 = 1 << 63;

/// The stamp's word: the real-use flag, the id (plus one, 0: none) of the primitive in the side
/// table of the execution that last touched it, and that execution.
const EXECUTION_BITS: u32 = 40;
const EXECUTION_MASK: u64 = (1 << EXECUTION_BITS) - 1;
const OBJECT_MASK: u64 = !USED_FOR_REAL & !EXECUTION_MASK;

/// Executions are numbered in `1..=MAX_EXECUTION` (and round again after it).
pub(crate) const MAX_EXECUTION: u64 = EXECUTION_MASK;

impl Stamp {
    /// A stamp no execution has touched yet, created by the caller's caller.
    #[track_caller]
    pub const fn new() -> Self {
        Stamp {
            word: AtomicU64::new(0),
            created_at: Location::caller(),
        }
    }

    /// The constructor call that created the primitive.
    pub(crate) fn created_at(&self) -> &'static Location<'static> {
        self.created_at
    }

    /// Records a use outside exploration (the engine must then not copy a static's data that may
    /// own heap memory). Reads first, so the common path writes nothing.
    #[inline]
    pub fn mark_used_for_real(&self) {
        if self.word.load(Ordering::Relaxed) & USED_FOR_REAL == 0 {
            self.word.fetch_or(USED_FOR_REAL, Ordering::Relaxed);
        }
    }

    pub(crate) fn used_for_real(&self) -> bool {
        self.word.load(Ordering::Relaxed) & USED_FOR_REAL != 0
    }

    /// The execution that last touched this primitive, 0 for none.
    pub(crate) fn execution(&self) -> u64 {
        self.word.load(Ordering::Relaxed) & EXECUTION_MASK
    }

    /// Makes `execution` (at most [`MAX_EXECUTION`]) the one that last touched this primitive,
    /// which has no id in its table yet.
    pub(crate) fn claim(&self, execution: u64) {
        // One read-modify-write: a real-mode `mark_used_for_real` racing with this claim must not be lost
        // (racecheck's own R002 found the earlier load-then-store here).
        let keep_real_flag = |word: u64| Some((word & USED_FOR_REAL) | execution);
        let _ = self
            .word
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, keep_real_flag);
    }

    /// The primitive's id in the table of `execution`, if it was noted there.
    pub(crate) fn object_in(&self, execution: u64) -> Option<usize> {
        let word = self.word.load(Ordering::Relaxed);
        let noted = (word & OBJECT_MASK) >> EXECUTION_BITS;
        (word & EXECUTION_MASK == execution && noted > 0).then(|| noted as usize - 1)
    }

    /// Notes the primitive's id in the table of `execution`, which claimed it (an id too large
    /// for the word is not noted: the table's index finds it).
    pub(crate) fn note_object(&self, execution: u64, id: usize) {
        let noted = (id as u64 + 1) << EXECUTION_BITS;
        if noted & !OBJECT_MASK != 0 {
            return;
        }
        let note = |word: u64| {
            (word & EXECUTION_MASK == execution).then_some((word & !OBJECT_MASK) | noted)
        };
        let _ = self
            .word
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, note);
    }

    pub(crate) fn key(&self) -> usize {
        self as *const Stamp as usize
    }
}

/// Whether `address` lies in the executable's static data (`.rodata`, `.data`, `.bss`): on Linux
/// between the linker-defined symbols `etext` and `end` (see `man 3 end`). Elsewhere nothing is
/// treated as static, so a static primitive touched by a second execution is refused rather than
/// silently shared.
#[cfg(target_os = "linux")]
pub(crate) fn is_static_address(address: usize) -> bool {
    extern "C" {
        static etext: u8;
        static end: u8;
    }
    let (start, stop) = (&raw const etext as usize, &raw const end as usize);
    (start..stop).contains(&address)
}

#[cfg(not(target_os = "linux"))]
pub(crate) fn is_static_address(_address: usize) -> bool {
    false
}

/// Owned, suitably aligned bytes holding a value the engine never drops: a `Shared`'s `Copy`
/// value, or an execution's private bitwise copy of a static lock's data.
pub(crate) struct ErasedBytes {
    ptr: NonNull<u8>,
    layout: Layout,
}

impl ErasedBytes {
    /// A bitwise copy of `*value`.
    ///
    /// # Safety
    /// `value` must point to a live, initialised `T` that nothing mutates during the copy.
    pub(crate) unsafe fn copy_of<T: ?Sized>(value: *const T) -> Self {
        // SAFETY: the caller guarantees `value` points to a live `T`.
        let layout = Layout::for_value(unsafe { &*value });
        let ptr = if layout.size() == 0 {
            // A dangling pointer with the right alignment is a valid pointer to a zero-sized value.
            NonNull::new(layout.align() as *mut u8).expect("alignment is nonzero")
        } else {
            // SAFETY: the layout has a nonzero size.
            let ptr = unsafe { alloc::alloc(layout) };
            let Some(ptr) = NonNull::new(ptr) else {
                alloc::handle_alloc_error(layout)
            };
            // SAFETY: both regions are `layout.size()` bytes and distinct (one was just allocated).
            unsafe {
                std::ptr::copy_nonoverlapping(value.cast::<u8>(), ptr.as_ptr(), layout.size())
            };
            ptr
        };
        ErasedBytes { ptr, layout }
    }

    /// The copy, typed like `like`: same pointer metadata (slice length, vtable), new address.
    pub(crate) fn as_ptr_like<T: ?Sized>(&self, like: *const T) -> *mut T {
        debug_assert_eq!(
            // SAFETY: `like` points to the value this copy was made of.
            Layout::for_value(unsafe { &*like }),
            self.layout
        );
        let mut typed = like.cast_mut();
        // Keep the metadata of `like` but the address *and provenance* of our allocation: a
        // pointer's address is its first word, for thin and wide pointers alike (stable Rust has
        // no `ptr::from_raw_parts` yet).
        // SAFETY: writes a valid `*mut u8` over the address word of a local pointer.
        unsafe { *(&raw mut typed).cast::<*mut u8>() = self.ptr.as_ptr() };
        typed
    }
}

impl Drop for ErasedBytes {
    fn drop(&mut self) {
        if self.layout.size() != 0 {
            // SAFETY: allocated in `copy_of` with this very layout.
            unsafe { alloc::dealloc(self.ptr.as_ptr(), self.layout) }
        }
    }
}

/// A value the engine owns without naming its type: a bitwise copy that is dropped in place
/// before its bytes are freed.
pub(crate) struct ErasedValue {
    bytes: ErasedBytes,
    /// The copy's typed pointer, as its raw words: a pointer to a `?Sized` value carries metadata.
    pointer: [usize; 2],
    drop_in_place: unsafe fn(&[usize; 2]),
}

impl ErasedValue {
    /// Takes ownership of a bitwise copy of `*value`: the copy is dropped with this.
    ///
    /// # Safety
    /// As for [`ErasedBytes::copy_of`]; moreover dropping the copy must be sound, i.e. the copy
    /// must not share owned memory with a value that will also be dropped.
    pub(crate) unsafe fn copy_of<T: ?Sized>(value: *const T) -> Self {
        // SAFETY: forwarded from the caller.
        let bytes = unsafe { ErasedBytes::copy_of(value) };
        let typed = bytes.as_ptr_like(value);
        let mut pointer = [0usize; 2];
        const { assert!(std::mem::size_of::<*mut T>() <= std::mem::size_of::<[usize; 2]>()) };
        // SAFETY: a pointer is at most two words (checked above), and `[usize; 2]` is aligned for
        // one.
        unsafe { pointer.as_mut_ptr().cast::<*mut T>().write(typed) };
        ErasedValue {
            bytes,
            pointer,
            drop_in_place: drop_pointee::<T>,
        }
    }

    /// The copy, typed like `like` (see [`ErasedBytes::as_ptr_like`]).
    pub(crate) fn as_ptr_like<T: ?Sized>(&self, like: *const T) -> *mut T {
        self.bytes.as_ptr_like(like)
    }
}

/// Drops the value behind a `*mut T` stored as raw words.
///
/// # Safety
/// `pointer` must hold a `*mut T` to a live value that nothing uses afterwards.
unsafe fn drop_pointee<T: ?Sized>(pointer: &[usize; 2]) {
    // SAFETY: the caller guarantees `pointer` holds a `*mut T` (written by `ErasedValue::copy_of`).
    let typed = unsafe { pointer.as_ptr().cast::<*mut T>().read() };
    // SAFETY: the caller guarantees the value is live and unused from now on.
    unsafe { std::ptr::drop_in_place(typed) }
}

impl Drop for ErasedValue {
    fn drop(&mut self) {
        // SAFETY: `pointer` was written by `copy_of` for this very function's `T`, and the copy is
        // dropped once, here, before `bytes` frees it.
        unsafe { (self.drop_in_place)(&self.pointer) }
    }
}

// SAFETY: ErasedBytes is plain owned memory; the engine only reads or writes it from the worker
// thread that owns the execution.
unsafe impl Send for ErasedBytes {}

#[cfg(test)]
mod tests {
    use super::*;

    static IN_DATA: Stamp = Stamp::new();

    #[test]
    fn statics_are_told_from_heap_and_stack() {
        assert!(is_static_address(IN_DATA.key()) || !cfg!(target_os = "linux"));
        let on_heap = Box::new(Stamp::new());
        assert!(!is_static_address(on_heap.key()));
        let on_stack = Stamp::new();
        assert!(!is_static_address(on_stack.key()));
    }

    #[test]
    fn a_stamp_remembers_the_execution_and_real_use_apart() {
        let stamp = Stamp::new();
        assert_eq!((stamp.execution(), stamp.used_for_real()), (0, false));
        stamp.claim(7);
        stamp.mark_used_for_real();
        assert_eq!((stamp.execution(), stamp.used_for_real()), (7, true));
        stamp.claim(9);
        assert_eq!((stamp.execution(), stamp.used_for_real()), (9, true));
    }

    #[test]
    fn a_stamp_notes_its_id_for_the_execution_that_claimed_it_only() {
        let stamp = Stamp::new();
        stamp.claim(MAX_EXECUTION);
        assert_eq!(stamp.object_in(MAX_EXECUTION), None);
        stamp.note_object(MAX_EXECUTION, 5);
        stamp.mark_used_for_real();
        assert_eq!(stamp.object_in(MAX_EXECUTION), Some(5));
        assert_eq!(
            (stamp.execution(), stamp.used_for_real()),
            (MAX_EXECUTION, true)
        );
        stamp.note_object(3, 6);
        assert_eq!(stamp.object_in(MAX_EXECUTION), Some(5));
        stamp.claim(4);
        assert_eq!(stamp.object_in(4), None);
        stamp.note_object(4, usize::MAX - 1);
        assert_eq!(stamp.object_in(4), None);
    }

    #[test]
    fn erased_copies_are_independent() {
        let original = [1u64, 2, 3];
        let copy = unsafe { ErasedBytes::copy_of(&original as *const [u64]) };
        let typed = copy.as_ptr_like(&original as *const [u64]);
        unsafe { (*typed)[1] = 20 };
        assert_eq!(unsafe { &*typed }, &[1, 20, 3]);
        assert_eq!(original, [1, 2, 3]);
        let unit = unsafe { ErasedBytes::copy_of(&() as *const ()) };
        assert_eq!(unsafe { *unit.as_ptr_like(&() as *const ()) }, ());
    }

    #[test]
    fn an_erased_value_drops_what_its_copy_came_to_own() {
        let drops = std::rc::Rc::new(());
        let empty: Vec<std::rc::Rc<()>> = Vec::new();
        let copy = unsafe { ErasedValue::copy_of(&empty as *const Vec<std::rc::Rc<()>>) };
        let typed = copy.as_ptr_like(&empty as *const Vec<std::rc::Rc<()>>);
        unsafe { (*typed).extend([drops.clone(), drops.clone()]) };
        assert_eq!(std::rc::Rc::strong_count(&drops), 3);
        drop(copy);
        assert_eq!(
            std::rc::Rc::strong_count(&drops),
            1,
            "the copy's elements were dropped"
        );
        assert!(empty.is_empty(), "the original was not touched");
    }
}
