//! The global allocator: mimalloc for the many small blocks of a run, the system
//! allocator for blocks of 1 MiB and more.
//!
//! A large parsed container grows by a quarter at a time (`read::json`), and mimalloc
//! moves a large block that grows by copying it into a new one and keeping the old one's
//! pages a while: a 16.5 MB input of eight million numbers took 726 MB resident for a
//! counted peak of 308 MB. glibc serves such blocks with `mmap`, grows them with
//! `mremap` (the pages are moved, not copied) and returns them to the system when freed,
//! so the resident memory stays near the counted peak (docs/formats.md, "Cost").
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};

use mimalloc::MiMalloc;

/// Blocks of this size and more go to the system allocator.
const LARGE: usize = 1 << 20;

/// Fixes glibc's `mmap` threshold at [`LARGE`]: call first thing in `main`.
///
/// By default glibc raises the threshold each time a block it mapped is freed (up to
/// 32 MiB), so after the first large container of a run is freed, the next ones come
/// from the heap of the thread's arena instead, which keeps their pages once they are
/// freed: every thread that ran a large plan kept its high-water mark, and a batch of
/// 15 MB plans on two threads took 351 MB resident against 216 MB on one. A fixed
/// threshold keeps every large block mapped — grown with `mremap`, returned when freed —
/// so each plan's memory goes back to the system when it is done (that batch: 190 MB).
pub fn init() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: `mallopt` sets one parameter of glibc's malloc; it is thread-safe and
    // called before any thread is started. LARGE fits a C int.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, LARGE as libc::c_int);
    }
}

/// mimalloc below [`LARGE`] bytes, the system allocator from there on; a block's layout
/// (which every `dealloc` and `realloc` is given) says which one holds it.
pub struct Split;

// SAFETY: every block is allocated, reallocated and freed by the allocator its size
// selects; a `realloc` that crosses `LARGE` allocates in the other one, copies the bytes
// both sizes hold and frees the old block where it was allocated.
unsafe impl GlobalAlloc for Split {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() >= LARGE {
            unsafe { System.alloc(layout) }
        } else {
            unsafe { MiMalloc.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.size() >= LARGE {
            unsafe { System.alloc_zeroed(layout) }
        } else {
            unsafe { MiMalloc.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if layout.size() >= LARGE {
            unsafe { System.dealloc(ptr, layout) }
        } else {
            unsafe { MiMalloc.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match (layout.size() >= LARGE, new_size >= LARGE) {
            (true, true) => unsafe { System.realloc(ptr, layout, new_size) },
            (false, false) => unsafe { MiMalloc.realloc(ptr, layout, new_size) },
            _ => {
                // SAFETY: the caller guarantees that `new_size`, rounded up to
                // `layout.align()`, does not overflow `isize`.
                let new = unsafe { Layout::from_size_align_unchecked(new_size, layout.align()) };
                let out = unsafe { self.alloc(new) };
                if !out.is_null() {
                    unsafe {
                        std::ptr::copy_nonoverlapping(ptr, out, layout.size().min(new_size));
                        self.dealloc(ptr, layout);
                    }
                }
                out
            }
        }
    }
}
