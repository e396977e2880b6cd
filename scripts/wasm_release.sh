# Sourced by the scripts that build release wasm (npm.sh, e2e.sh, size.sh, run.sh).
#
# Release wasm is built with the `wasm-release` profile (Cargo.toml: opt-level "z" for
# size, but sha2 at opt-level 3, which is faster there). A profile's
# per-package opt-level only holds when no rustflag sets one, and .cargo/config.toml's
# wasm32 rustflags set "z" for every other wasm32 build (clippy, the wasm tests, a plain
# `trunk build`). RUSTFLAGS replaces those rustflags: the same cfg without the opt-level.
#
# `--remap-path-prefix` drops the cargo home from the source paths of the dependencies'
# panic locations (`…/registry/src/index.crates.io-…/sha2-0.10.9/src/core_api.rs` instead
# of `/root/.cargo/registry/src/…`): the wasm is then byte for byte the same whoever builds
# it, so its size, which the test command checks against the budget (scripts/size.sh), is
# too.
export RUSTFLAGS="--cfg erase_components --remap-path-prefix=${CARGO_HOME:-$HOME/.cargo}/registry/src/="
