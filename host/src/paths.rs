//! Guards for commands that write: an output that is, or lies inside, one of the command's inputs
//! would overwrite the data it is made from, so it is refused before anything is read or written.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};

/// `path` with symbolic links and `..` resolved; for a path that does not exist yet, its nearest
/// existing ancestor is resolved and the rest appended.
fn resolved(path: &Path) -> PathBuf {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut rest = Vec::new();
    let mut base = abs.as_path();
    loop {
        if let Ok(real) = base.canonicalize() {
            return rest.iter().rev().fold(real, |p, part| p.join(part));
        }
        match (base.parent(), base.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                base = parent;
            }
            _ => return abs,
        }
    }
}

/// Refuses `out` when it is `input` or lies inside it.
pub fn refuse_output_in_input(out: &Path, input: &Path) -> Result<()> {
    let (o, i) = (resolved(out), resolved(input));
    if o == i {
        bail!("--out {}: is the input {}", out.display(), input.display());
    }
    if o.starts_with(&i) {
        bail!(
            "--out {}: lies inside the input {}",
            out.display(),
            input.display()
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::refuse_output_in_input;

    #[test]
    fn outputs_in_or_equal_to_the_input_are_refused_after_resolving() {
        let t = tempfile::tempdir().unwrap();
        let input = t.path().join("ckpt");
        std::fs::create_dir(&input).unwrap();
        let sneaky = t.path().join("ckpt/../ckpt/model.safetensors");
        assert!(refuse_output_in_input(&sneaky, &input).is_err());
        assert!(refuse_output_in_input(&input.join("new/deeper.mmf"), &input).is_err());
        assert!(refuse_output_in_input(&input, &input).is_err());
        assert!(refuse_output_in_input(&t.path().join("ckpt.mmf"), &input).is_ok());
    }
}
