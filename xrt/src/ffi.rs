//! The bindgen output over `shim/shim.h` (build.rs): the shim's functions and the XRT handle,
//! enum and UUID types they use. Only [`crate::api`] calls these.
#![allow(
    non_camel_case_types,
    non_upper_case_globals,
    non_snake_case,
    dead_code
)]
#![allow(clippy::all)]

include!(concat!(env!("OUT_DIR"), "/xrt.rs"));
