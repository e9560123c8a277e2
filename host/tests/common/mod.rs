//! Running the `mmfree` binary from the CLI tests, and the shape every failure must have: a
//! non-zero exit with exactly one line on stderr starting `error:`, as the last line, and never a
//! panic or backtrace.

use std::process::Command;

/// Runs `mmfree` with `args`: whether it succeeded, its stdout and its stderr.
pub fn mmfree(args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mmfree"))
        .args(args)
        .output()
        .expect("mmfree runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// Runs a command that must fail and returns its one error line.
pub fn fails(args: &[&str]) -> String {
    fails_with_env(args, &[])
}

/// [`fails`] with environment variables set for the run.
pub fn fails_with_env(args: &[&str], env: &[(&str, &str)]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mmfree"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("mmfree runs");
    let (ok, err) = (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(!ok, "{args:?} succeeded");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{args:?} panicked:\n{err}"
    );
    let errors: Vec<&str> = err.lines().filter(|l| l.starts_with("error:")).collect();
    assert_eq!(
        errors.len(),
        1,
        "{args:?}: expected one error line, got:\n{err}"
    );
    assert_eq!(
        err.lines().last(),
        Some(errors[0]),
        "{args:?}: the error must be the last line"
    );
    errors[0].to_string()
}
