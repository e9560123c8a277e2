//! Run-time build of a Verilated model into a cached shared library (toolchain.md section 3):
//! `verilator --cc` (no `--build`), then the generated C++, the shim and the Verilator runtime
//! compiled with the compiler `cc` detects, linked into `lib<top>.so`.
//!
//! Every build is cached under a hash of (Verilog text, top, flags, clock, shim version, Verilator
//! version, compiler command). A build happens in a temporary directory inside the cache and is
//! renamed into place, so concurrent builds of one design (threads or processes) are safe: the
//! first rename wins and the others reuse it. The Verilator runtime objects are compiled once per
//! (Verilator version, compiler, trace) and shared by every design.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Instant;

use crate::error::{Error, Result};
use crate::shim;

/// Verilator options every build uses: fast code, deterministic zero initial values, and warnings
/// left to the lint step (`mmfree_hdl::lint`) instead of failing the build.
const VERILATOR_FLAGS: [&str; 6] = ["-O3", "--x-assign", "0", "--x-initial", "0", "-Wno-fatal"];
/// Runtime sources of Verilator every model links.
const RUNTIME: [&str; 2] = ["verilated.cpp", "verilated_threads.cpp"];
/// Runtime source added when tracing.
const RUNTIME_TRACE: &str = "verilated_vcd_c.cpp";
/// The optimization of Verilator's `__Slow` files ([`runs_once`]), part of every cache key.
const SLOW_FILES_OPT: &str = "-O0";
/// Lines of tool output quoted in an error.
const FIRST_LINES: usize = 4;

/// What a build produced and what it cost.
#[derive(Clone, Debug)]
pub struct BuildInfo {
    /// The shared library.
    pub library: PathBuf,
    /// True when the library came from the cache.
    pub cached: bool,
    /// Wall time of this call, seconds.
    pub seconds: f64,
}

/// One build request.
pub(crate) struct Request<'a> {
    pub verilog: &'a str,
    pub top: &'a str,
    pub shim: String,
    pub trace: bool,
    pub flags: &'a [String],
    pub cache_dir: PathBuf,
}

/// The tools found on this machine.
struct Toolchain {
    verilator_version: String,
    root: PathBuf,
    compiler: cc::Tool,
}

impl Toolchain {
    fn find(trace: bool) -> Result<Toolchain> {
        let verilator_version = run_tool("verilator", &["--version"])?.trim().to_string();
        let root = PathBuf::from(run_tool("verilator", &["--getenv", "VERILATOR_ROOT"])?.trim());
        let flag = if trace { "1" } else { "0" };
        let compiler = cc::Build::new()
            .cpp(true)
            .std("c++17")
            .opt_level(2)
            .debug(false)
            .pic(true)
            .target(env!("MMFREE_SIM_TARGET"))
            .host(env!("MMFREE_SIM_HOST"))
            .cargo_metadata(false)
            .cargo_warnings(false)
            .emit_rerun_if_env_changed(false)
            .warnings(false)
            .include(root.join("include"))
            .include(root.join("include/vltstd"))
            .flag("-w")
            .flag("-fvisibility=hidden")
            .flag("-faligned-new")
            .define("VM_COVERAGE", "0")
            .define("VM_SC", "0")
            .define("VM_TRACE", flag)
            .define("VM_TRACE_VCD", flag)
            .define("VM_TRACE_FST", "0")
            .try_get_compiler()
            .map_err(|e| Error::ToolMissing {
                tool: "C++ compiler".into(),
                source: std::io::Error::other(e.to_string()),
            })?;
        Ok(Toolchain {
            verilator_version,
            root,
            compiler,
        })
    }

    /// The compiler command line, part of every cache key.
    fn compiler_id(&self) -> String {
        format!(
            "{} {:?}",
            self.compiler.path().display(),
            self.compiler.args()
        )
    }
}

/// Builds (or finds in the cache) the shared library for `req`.
pub(crate) fn build(req: &Request) -> Result<BuildInfo> {
    let start = Instant::now();
    let tools = Toolchain::find(req.trace)?;
    let mut flags: Vec<String> = VERILATOR_FLAGS.iter().map(|s| s.to_string()).collect();
    if req.trace {
        flags.push("--trace".into());
    }
    flags.extend(req.flags.iter().cloned());
    let key = hash(&[
        &shim::SHIM_VERSION.to_string(),
        req.verilog,
        req.top,
        &flags.join(" "),
        &req.shim,
        &tools.verilator_version,
        &tools.compiler_id(),
        SLOW_FILES_OPT,
    ]);
    let dir = req.cache_dir.join(format!("{}-{key:032x}", req.top));
    let library = dir.join(format!("lib{}.so", req.top));
    let cached = once_per_key(&dir, || {
        let runtime = runtime_objects(&tools, &req.cache_dir, req.trace)?;
        build_into(&tools, req, &flags, &runtime, &dir)
    })?;
    Ok(BuildInfo {
        library,
        cached,
        seconds: start.elapsed().as_secs_f64(),
    })
}

/// Runs `make` unless `dir` already exists; returns whether it existed. Builds of one key in this
/// process wait for each other; other processes race safely through the rename in `publish`.
fn once_per_key(dir: &Path, make: impl FnOnce() -> Result<()>) -> Result<bool> {
    static LOCKS: OnceLock<Mutex<HashMap<PathBuf, Arc<Mutex<()>>>>> = OnceLock::new();
    let lock = {
        let mut map = LOCKS
            .get_or_init(Default::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        map.entry(dir.to_path_buf()).or_default().clone()
    };
    let _guard = lock.lock().unwrap_or_else(|e| e.into_inner());
    if dir.exists() {
        return Ok(true);
    }
    make()?;
    Ok(false)
}

/// Verilates and compiles the design in a temporary directory, then publishes it as `dir`.
fn build_into(
    tools: &Toolchain,
    req: &Request,
    flags: &[String],
    runtime: &[PathBuf],
    dir: &Path,
) -> Result<()> {
    let tmp = temp_dir(&req.cache_dir)?;
    let src = tmp.path().join(format!("{}.v", req.top));
    write(&src, req.verilog)?;
    let obj = tmp.path().join("obj");
    let out = Command::new("verilator")
        .arg("--cc")
        .args(flags)
        .args([
            "--top-module",
            req.top,
            "--prefix",
            &format!("V{}", req.top),
            "-Mdir",
        ])
        .arg(&obj)
        .arg(&src)
        .output()
        .map_err(|source| Error::ToolMissing {
            tool: "verilator".into(),
            source,
        })?;
    if !out.status.success() {
        let first = first_lines(&String::from_utf8_lossy(&out.stderr), |l| {
            l.starts_with("%Error")
        });
        return Err(Error::Verilate {
            top: req.top.into(),
            first,
        });
    }
    write(&obj.join("mmfree_shim.cpp"), &req.shim)?;
    let mut sources: Vec<PathBuf> = list(&obj)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "cpp"))
        .collect();
    sources.sort();
    let jobs: Vec<(PathBuf, PathBuf)> = sources
        .iter()
        .map(|s| (s.clone(), s.with_extension("o")))
        .collect();
    compile_all(tools, &jobs)?;
    let objects: Vec<PathBuf> = jobs
        .into_iter()
        .map(|(_, o)| o)
        .chain(runtime.iter().cloned())
        .collect();
    link(
        tools,
        &objects,
        &tmp.path().join(format!("lib{}.so", req.top)),
    )?;
    std::fs::remove_dir_all(&obj).map_err(|source| Error::Io {
        path: obj.clone(),
        source,
    })?;
    publish(tmp, dir)
}

/// The Verilator runtime compiled once per toolchain and trace setting.
fn runtime_objects(tools: &Toolchain, cache: &Path, trace: bool) -> Result<Vec<PathBuf>> {
    let key = hash(&[
        &tools.verilator_version,
        &tools.compiler_id(),
        &trace.to_string(),
    ]);
    let dir = cache.join(format!("runtime-{key:032x}"));
    let mut names: Vec<&str> = RUNTIME.to_vec();
    if trace {
        names.push(RUNTIME_TRACE);
    }
    once_per_key(&dir, || {
        let tmp = temp_dir(cache)?;
        let jobs: Vec<(PathBuf, PathBuf)> = names
            .iter()
            .map(|n| {
                (
                    tools.root.join("include").join(n),
                    tmp.path().join(Path::new(n).with_extension("o")),
                )
            })
            .collect();
        compile_all(tools, &jobs)?;
        publish(tmp, &dir)
    })?;
    Ok(names
        .iter()
        .map(|n| dir.join(Path::new(n).with_extension("o")))
        .collect())
}

/// Compiles each `(source, object)` pair, on as many threads as the machine has cores.
fn compile_all(tools: &Toolchain, jobs: &[(PathBuf, PathBuf)]) -> Result<()> {
    let next = AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len().max(1));
    let results: Vec<Result<()>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let Some((source, object)) = jobs.get(next.fetch_add(1, Ordering::Relaxed))
                        else {
                            return Ok(());
                        };
                        compile_one(tools, source, object)?;
                    }
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join().unwrap_or_else(|_| {
                    Err(Error::Compile {
                        file: PathBuf::new(),
                        first: "a compiler thread panicked".into(),
                    })
                })
            })
            .collect()
    });
    results.into_iter().collect()
}

/// Whether `source` is one of Verilator's `__Slow` files: the constructor, the initial blocks and
/// the settle pass, which run once per model. They are compiled at `-O0` (5 times faster than
/// `-O2` for the `tiny` kernel's, and the `u280` kernel's ROM initialization is one 29 MB file),
/// the per-cycle code at `-O2`.
fn runs_once(source: &Path) -> bool {
    source
        .file_name()
        .is_some_and(|n| n.to_string_lossy().contains("__Slow"))
}

fn compile_one(tools: &Toolchain, source: &Path, object: &Path) -> Result<()> {
    let mut command = tools.compiler.to_command();
    if runs_once(source) {
        command.arg(SLOW_FILES_OPT);
    }
    let out = command
        .arg("-c")
        .arg(source)
        .arg("-o")
        .arg(object)
        .output()
        .map_err(|source| Error::ToolMissing {
            tool: format!("{:?}", tools.compiler.path()),
            source,
        })?;
    if out.status.success() {
        return Ok(());
    }
    let first = first_lines(&String::from_utf8_lossy(&out.stderr), |l| {
        l.contains("error")
    });
    Err(Error::Compile {
        file: source.into(),
        first,
    })
}

fn link(tools: &Toolchain, objects: &[PathBuf], library: &Path) -> Result<()> {
    let out = tools
        .compiler
        .to_command()
        .args(["-shared", "-Wl,-Bsymbolic", "-o"])
        .arg(library)
        .args(objects)
        .args(["-pthread", "-latomic"])
        .output()
        .map_err(|source| Error::ToolMissing {
            tool: format!("{:?}", tools.compiler.path()),
            source,
        })?;
    if out.status.success() {
        return Ok(());
    }
    let first = first_lines(&String::from_utf8_lossy(&out.stderr), |l| !l.is_empty());
    Err(Error::Link {
        file: library.into(),
        first,
    })
}

/// Renames a finished temporary build directory to `dir`; losing the race to another build of the
/// same key is success.
fn publish(tmp: tempfile::TempDir, dir: &Path) -> Result<()> {
    let path = tmp.keep();
    match std::fs::rename(&path, dir) {
        Ok(()) => Ok(()),
        Err(_) if dir.exists() => {
            let _ = std::fs::remove_dir_all(&path);
            Ok(())
        }
        Err(source) => Err(Error::Io {
            path: dir.into(),
            source,
        }),
    }
}

fn temp_dir(cache: &Path) -> Result<tempfile::TempDir> {
    std::fs::create_dir_all(cache).map_err(|source| Error::Io {
        path: cache.into(),
        source,
    })?;
    tempfile::Builder::new()
        .prefix(".build-")
        .tempdir_in(cache)
        .map_err(|source| Error::Io {
            path: cache.into(),
            source,
        })
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|source| Error::Io {
        path: path.into(),
        source,
    })
}

fn list(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.into(),
        source,
    })?;
    Ok(entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
}

/// Runs a tool and returns its standard output.
fn run_tool(tool: &str, args: &[&str]) -> Result<String> {
    let out = Command::new(tool)
        .args(args)
        .output()
        .map_err(|source| Error::ToolMissing {
            tool: tool.into(),
            source,
        })?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// 128-bit hash of the parts, each length-prefixed so that boundaries count.
fn hash(parts: &[&str]) -> u128 {
    let mut bytes = Vec::new();
    for p in parts {
        bytes.extend_from_slice(&(p.len() as u64).to_le_bytes());
        bytes.extend_from_slice(p.as_bytes());
    }
    xxhash_rust::xxh3::xxh3_128(&bytes)
}

/// The first lines `keep` selects (or the first lines at all), as one line.
fn first_lines(text: &str, keep: impl Fn(&str) -> bool) -> String {
    let picked: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| keep(l))
        .take(FIRST_LINES)
        .collect();
    let lines = if picked.is_empty() {
        text.lines().map(str::trim).take(FIRST_LINES).collect()
    } else {
        picked
    };
    lines.join(" | ")
}

/// The cache directory: the explicit option, else `$MMFREE_SIM_CACHE`, else `mmfree-sim` in the
/// cargo target directory holding the executable `exe` (found by its `CACHEDIR.TAG`), else beside
/// the executable, else in the temporary directory.
pub(crate) fn cache_dir(
    explicit: Option<PathBuf>,
    env: Option<std::ffi::OsString>,
    exe: Option<PathBuf>,
) -> PathBuf {
    const NAME: &str = "mmfree-sim";
    if let Some(dir) = explicit.or_else(|| env.filter(|e| !e.is_empty()).map(PathBuf::from)) {
        return dir;
    }
    let Some(exe) = exe else {
        return std::env::temp_dir().join(NAME);
    };
    match exe
        .ancestors()
        .skip(1)
        .find(|d| d.join("CACHEDIR.TAG").exists())
    {
        Some(target) => target.join(NAME),
        None => exe
            .parent()
            .map_or_else(|| std::env::temp_dir().join(NAME), |p| p.join(NAME)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_dir_prefers_option_then_env_then_target_dir() {
        let root = tempfile::tempdir().unwrap();
        let target = root.path().join("target");
        let exe = target.join("release/deps/flow-0123");
        std::fs::create_dir_all(exe.parent().unwrap()).unwrap();
        std::fs::write(
            target.join("CACHEDIR.TAG"),
            "Signature: 8a477f597d28d172789f06886806bc55",
        )
        .unwrap();
        let exe = Some(exe);
        assert_eq!(
            cache_dir(None, None, exe.clone()),
            target.join("mmfree-sim")
        );
        assert_eq!(
            cache_dir(None, Some("/c".into()), exe.clone()),
            PathBuf::from("/c")
        );
        assert_eq!(
            cache_dir(Some("/o".into()), Some("/c".into()), exe.clone()),
            PathBuf::from("/o")
        );
        let loose = root.path().join("bin/tool");
        assert_eq!(
            cache_dir(None, None, Some(loose)),
            root.path().join("bin/mmfree-sim")
        );
    }

    #[test]
    fn hash_separates_parts() {
        assert_ne!(hash(&["ab", "c"]), hash(&["a", "bc"]));
        assert_eq!(hash(&["x"]), hash(&["x"]));
    }
}
