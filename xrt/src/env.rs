//! The process environment XRT's loader needs, prepared once before the first XRT call.
//!
//! XRT 2.13 opens its hardware and emulation drivers as `$XILINX_XRT/lib/libxrt_core.so.2` (or
//! `libxrt_hwemu.so.2`): unset it throws "XILINX_XRT not set", and set to `/usr` on Debian it finds
//! nothing, because Debian puts the libraries in the multiarch directory. When the variable does
//! not name a directory with those libraries, a directory of symlinks to the libraries this crate
//! was linked against is made in the user's cache and `XILINX_XRT` points there. XRT's own stderr
//! messages (a banner, `[XRT] ERROR` lines) are silenced unless `XRT_INI_PATH` names an `xrt.ini`:
//! every failure reaches the caller as an error instead.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::error::{Error, Result};
use crate::ffi;

/// The library directory of the XRT this crate was linked against (build.rs).
pub const LINKED_LIB_DIR: &str = env!("MMFREE_XRT_LIB_DIR");
/// The library XRT's loader opens first for a card.
const CORE_LIB: &str = "libxrt_core.so.2";

static READY: OnceLock<std::result::Result<(), String>> = OnceLock::new();

/// Prepares the environment (once per process) and reports why XRT cannot start, if it cannot.
pub fn ready() -> Result<()> {
    READY
        .get_or_init(|| {
            prepare_root()?;
            quiet();
            Ok(())
        })
        .clone()
        .map_err(|why| Error::NoRuntime { why })
}

fn has_core(root: &Path) -> bool {
    root.join("lib").join(CORE_LIB).exists()
}

fn prepare_root() -> std::result::Result<(), String> {
    let given = std::env::var_os("XILINX_XRT");
    if given.as_deref().is_some_and(|r| has_core(Path::new(r))) {
        return Ok(());
    }
    let linked = Path::new(LINKED_LIB_DIR);
    if !linked.join(CORE_LIB).exists() {
        return Err(match given {
            Some(r) => format!(
                "XILINX_XRT={} has no lib/{CORE_LIB}, nor has {LINKED_LIB_DIR}",
                Path::new(&r).display()
            ),
            None => format!("XILINX_XRT is not set and {LINKED_LIB_DIR} has no {CORE_LIB}"),
        });
    }
    let root = cache_root();
    link_libraries(linked, &root.join("lib")).map_err(|e| e.to_string())?;
    // SAFETY: runs once, before this process's first XRT call, from the thread that opens the
    // device; mmfree starts no thread that reads the environment while a device opens.
    unsafe { std::env::set_var("XILINX_XRT", &root) };
    Ok(())
}

/// `$XDG_CACHE_HOME/mmfree/xrt` or `$HOME/.cache/mmfree/xrt`, else a folder of the temporary
/// directory named after the user.
fn cache_root() -> PathBuf {
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")));
    match cache {
        Some(c) => c.join("mmfree").join("xrt"),
        None => {
            let user = std::env::var_os("USER").unwrap_or_else(|| OsString::from("user"));
            let mut name = OsString::from("mmfree-xrt-");
            name.push(user);
            std::env::temp_dir().join(name)
        }
    }
}

/// Symlinks every `libxrt*` of `from` into `to`, each link made under a unique name and renamed
/// into place, so that processes doing this at once never see a missing or half-made link.
fn link_libraries(from: &Path, to: &Path) -> Result<()> {
    let io = |path: &Path| {
        let path = path.display().to_string();
        move |source| Error::Io { path, source }
    };
    std::fs::create_dir_all(to).map_err(io(to))?;
    for entry in std::fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let name = entry.file_name();
        if !name.to_string_lossy().starts_with("libxrt") {
            continue;
        }
        let link = to.join(&name);
        if std::fs::read_link(&link).is_ok_and(|t| t == entry.path()) {
            continue;
        }
        let mut tmp_name = name.clone();
        tmp_name.push(format!(".{}.tmp", std::process::id()));
        let tmp = to.join(tmp_name);
        let _ = std::fs::remove_file(&tmp);
        std::os::unix::fs::symlink(entry.path(), &tmp).map_err(io(&tmp))?;
        std::fs::rename(&tmp, &link).map_err(io(&link))?;
    }
    Ok(())
}

/// Sets XRT's verbosity to zero unless the user configures XRT through `XRT_INI_PATH`.
fn quiet() {
    if std::env::var_os("XRT_INI_PATH").is_some() {
        return;
    }
    let mut err = crate::api::empty_err();
    // A failure only leaves XRT's messages on; the calls that matter report their own errors.
    // SAFETY: the shim catches every exception; `err` is a valid out-buffer.
    let _ = unsafe { ffi::mmfree_xrt_quiet(&mut err) };
}
