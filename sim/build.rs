//! Records the target and host triples so that the run-time C++ build (`cc::Build` used outside a
//! build script) compiles for the same platform as this crate. Nothing is verilated here.

fn main() {
    for var in ["TARGET", "HOST"] {
        let value = std::env::var(var).unwrap_or_default();
        println!("cargo:rustc-env=MMFREE_SIM_{var}={value}");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
