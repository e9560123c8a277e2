//! The Alveo card backend (DESIGN.md section 1: the `xrt` device): XRT 2.13's C API through a
//! C++ shim that turns every exception into an error ([`api`]), a reader of the `axlf` xclbin
//! layout that needs no card and no vendor tool ([`xclbin`]), and [`card::XrtCard`], the
//! `mmfree_spec::card::Card` that drives the packaged kernel.
//!
//! Without a card every entry point returns [`Error::NoCard`] or [`Error::NoRuntime`] with what to
//! check; nothing here aborts the process.

pub mod api;
pub mod card;
mod env;
mod error;
mod ffi;
pub mod xclbin;

pub use api::{Bo, CardInfo, Device, Kernel, Probe, Run, RunState, probe};
pub use card::{ArgSpec, KernelSpec, XrtCard};
pub use env::LINKED_LIB_DIR;
pub use error::{Error, Result};
