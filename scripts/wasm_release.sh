# Sourced by the scripts that build release wasm (npm.sh, e2e.sh, size.sh, run.sh).
#
# Release wasm is built with the `wasm-release` profile (Cargo.toml: opt-level "z" for
# size, but sha2 at opt-level 3, which is faster there). A profile's
# per-package opt-level only holds when no rustflag sets one, and .cargo/config.toml's
# wasm32 rustflags set "z" for every other wasm32 build (clippy, the wasm tests, a plain
# `trunk build`). Our flags replace those rustflags: the same cfg without the opt-level.
#
# `--remap-path-prefix` drops the cargo home from the source paths of the dependencies'
# panic locations (`…/registry/src/index.crates.io-…/sha2-0.10.9/src/core_api.rs` instead
# of `/root/.cargo/registry/src/…`): the wasm is then byte for byte the same whoever builds
# it, so its size, which the test command checks against the budget (scripts/size.sh), is
# too.
#
# The flags go through CARGO_ENCODED_RUSTFLAGS (separated by 0x1f; it takes precedence over
# RUSTFLAGS and the config's rustflags alike), not RUSTFLAGS, which cargo splits at
# whitespace: a cargo home with a space in its path ("/home/First Last/.cargo") would be cut
# into two arguments and rustc would refuse both. A relative CARGO_HOME is made absolute
# (cargo reads it from the current folder), as the paths rustc is given are.
case "${CARGO_HOME:-$HOME/.cargo}" in
  /*) _phase7_cargo_home=${CARGO_HOME:-$HOME/.cargo} ;;
  *) _phase7_cargo_home=$PWD/${CARGO_HOME:-$HOME/.cargo} ;;
esac
CARGO_ENCODED_RUSTFLAGS=$(printf '%s\037%s\037%s' --cfg erase_components \
  "--remap-path-prefix=$_phase7_cargo_home/registry/src/=")
export CARGO_ENCODED_RUSTFLAGS
unset _phase7_cargo_home
