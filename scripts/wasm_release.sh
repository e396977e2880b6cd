# Sourced by the scripts that build release wasm (npm.sh, e2e.sh, size.sh, run.sh).
#
# Release wasm is built with the `wasm-release` profile (Cargo.toml: opt-level "z" for
# size, but sha2 at opt-level 3, which is faster there). A profile's
# per-package opt-level only holds when no rustflag sets one, and .cargo/config.toml's
# wasm32 rustflags set "z" for every other wasm32 build (clippy, the wasm tests, a plain
# `trunk build`). Our flags replace those rustflags: the same cfg without the opt-level.
#
# `--remap-path-prefix` drops the cargo home and the registry's folder from the source
# paths of the dependencies' panic locations (`sha2-0.10.9/src/core_api.rs` instead of
# `/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/sha2-0.10.9/…`): the wasm is
# then byte for byte the same whoever builds it and from whichever registry folder, so its
# size, which the test command checks against the budget (scripts/size.sh), is too; and
# the npm wasm is 48 B smaller gzipped (149,974 -> 149,926 B) than with the cargo home
# alone dropped. (The standard library's own paths, `/rustc/<commit>/library/…`, come
# compiled with it and are not remapped by these flags.) Rustc applies the last prefix
# that matches, so each registry folder comes after the cargo home's.
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
for _phase7_registry in "$_phase7_cargo_home"/registry/src/*/; do
  [ -d "$_phase7_registry" ] || continue
  CARGO_ENCODED_RUSTFLAGS=$(printf '%s\037%s' "$CARGO_ENCODED_RUSTFLAGS" \
    "--remap-path-prefix=$_phase7_registry=")
done
export CARGO_ENCODED_RUSTFLAGS
unset _phase7_cargo_home _phase7_registry
