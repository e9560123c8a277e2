//! `mmfree`: the command-line entry point. Errors are printed as one line and exit with status 1.

use std::process::ExitCode;

fn main() -> ExitCode {
    match mmfree_host::cli::main() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", mmfree_host::report::one_line(&e));
            ExitCode::FAILURE
        }
    }
}
