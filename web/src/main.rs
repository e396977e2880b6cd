//! Entry point of the trunk build: mounts the dashboard on the page body.

/// The page's allocator: Talc instead of the standard library's dlmalloc, as in the
/// core's npm package (`core/src/wasm/mod.rs` says why: about 3 KB less gzipped wasm,
/// no slower), with the core's growth of the wasm memory (`phase7_core::browser::Grow`).
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static TALC: phase7_core::browser::Allocator = phase7_core::browser::allocator();

fn main() {
    phase7_web::embed::mount_page();
}
