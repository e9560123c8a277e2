//! All-or-nothing output: files are written as temporaries in their destination directory and
//! renamed into place only when every one of them is complete, so an error (or a crash) never
//! leaves a partial model behind (packed model file and HF checkpoint writers).

use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

use crate::error::{Error, Result};

/// A set of files being written into one directory.
pub(crate) struct Staged {
    dir: PathBuf,
    files: Vec<(NamedTempFile, PathBuf)>,
    created_dir: bool,
    committed: bool,
}

impl Staged {
    /// Prepares writing into `dir`, creating it (and removing it again on failure) if needed.
    pub(crate) fn new(dir: &Path) -> Result<Staged> {
        let created_dir = !dir.exists();
        if created_dir {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
        }
        Ok(Staged {
            dir: dir.into(),
            files: Vec::new(),
            created_dir,
            committed: false,
        })
    }

    /// A new temporary file that [`Staged::commit`] will rename to `dir/name`.
    pub(crate) fn file(&mut self, name: &str) -> Result<&mut NamedTempFile> {
        let temp = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".tmp")
            // The temporary becomes the output: give it the usual mode (0666 less the umask)
            // rather than the private 0600 of a temporary.
            .permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666))
            .tempfile_in(&self.dir)
            .map_err(|e| Error::io(&self.dir, e))?;
        self.files.push((temp, self.dir.join(name)));
        let last = self.files.len() - 1;
        Ok(&mut self.files[last].0)
    }

    /// Flushes every file to disk and renames them into place. If a rename fails, the files
    /// already renamed are removed again.
    pub(crate) fn commit(mut self) -> Result<()> {
        for (temp, _) in &self.files {
            temp.as_file()
                .sync_all()
                .map_err(|e| Error::io(temp.path(), e))?;
        }
        let mut done: Vec<PathBuf> = Vec::new();
        for (temp, dest) in std::mem::take(&mut self.files) {
            if let Err(e) = temp.persist(&dest) {
                done.iter().for_each(|p| drop(std::fs::remove_file(p)));
                return Err(Error::io(dest, e.error));
            }
            done.push(dest);
        }
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        // Temporaries delete themselves when dropped; remove the directory if this writer made it.
        self.files.clear();
        if !self.committed && self.created_dir {
            let _ = std::fs::remove_dir(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    #[test]
    fn uncommitted_files_and_created_directories_vanish() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("new");
        {
            let mut s = Staged::new(&dir).unwrap();
            s.file("a.bin").unwrap().write_all(b"partial").unwrap();
            assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        }
        assert!(!dir.exists());
        let mut s = Staged::new(tmp.path()).unwrap();
        s.file("a.bin").unwrap().write_all(b"whole").unwrap();
        s.file("b.json").unwrap().write_all(b"{}").unwrap();
        s.commit().unwrap();
        let mut names: Vec<String> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into())
            .collect();
        names.sort();
        assert_eq!(names, ["a.bin", "b.json"]);
        assert_eq!(std::fs::read(tmp.path().join("a.bin")).unwrap(), b"whole");
    }
}
