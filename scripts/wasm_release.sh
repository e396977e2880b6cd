# Sourced by the scripts that build release wasm (npm.sh, e2e.sh, size.sh, run.sh).
#
# Release wasm is built with the `wasm-release` profile (Cargo.toml: opt-level "z" for
# size, but sha2 at opt-level 3, which is both faster and smaller there). A profile's
# per-package opt-level only holds when no rustflag sets one, and .cargo/config.toml's
# wasm32 rustflags set "z" for every other wasm32 build (clippy, the wasm tests, a plain
# `trunk build`). RUSTFLAGS replaces those rustflags: the same cfg without the opt-level.
export RUSTFLAGS="--cfg erase_components"
