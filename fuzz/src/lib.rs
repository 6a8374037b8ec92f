//! Support for the fuzz targets in `fuzz_targets/`: the invariants they assert (shared with
//! `tests/properties.rs`) and a reader that turns fuzz bytes into structured input.

pub mod input;
pub mod invariants;
