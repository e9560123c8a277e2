//! A reader of the xclbin container (`axlf`, XRT's `xclbin.h`): the header, the section table and
//! the IP_LAYOUT, MEM_TOPOLOGY, CONNECTIVITY and EMBEDDED_METADATA sections, enough to name the
//! kernel, its arguments and the memory bank each argument connects to, before anything touches a
//! card. The file is untrusted input: every offset and count is bounds-checked.
//!
//! [`build`] writes the same layout, so that tests can make matching and mismatching files.

pub mod build;

use std::path::Path;

use crate::error::{Error, Result};

/// The file magic (`axlf.m_magic`).
pub const MAGIC: &[u8; 8] = b"xclbin2\0";
/// Bytes of `struct axlf` up to its section table (`sizeof(struct axlf)` is 496 with one entry).
pub const HEADER_BYTES: usize = 456;
/// Bytes of one `struct axlf_section_header`.
pub const SECTION_HEADER_BYTES: usize = 40;
/// The most sections XRT accepts (`XCLBIN_MAX_NUM_SECTION`).
pub const MAX_SECTIONS: usize = 0x10000;

/// `axlf_section_kind` values this reader uses.
pub mod kind {
    /// `EMBEDDED_METADATA`: the kernel XML (argument names and kinds).
    pub const EMBEDDED_METADATA: u32 = 2;
    /// `MEM_TOPOLOGY`: the memory banks.
    pub const MEM_TOPOLOGY: u32 = 6;
    /// `CONNECTIVITY`: which bank each kernel argument reaches.
    pub const CONNECTIVITY: u32 = 7;
    /// `IP_LAYOUT`: the kernel instances.
    pub const IP_LAYOUT: u32 = 8;
}

/// `IP_TYPE::IP_KERNEL`.
pub const IP_KERNEL: u32 = 1;

/// Byte offsets inside `struct axlf` (xclbin.h).
mod at {
    pub const HEADER: usize = 304;
    pub const LENGTH: usize = HEADER;
    pub const PLATFORM_VBNV: usize = HEADER + 48;
    pub const UUID: usize = HEADER + 112;
    pub const NUM_SECTIONS: usize = HEADER + 144;
    /// `ip_data`: 80 bytes after an 8-byte count; `mem_data`: 40 after 8; `connection`: 12 after 4.
    pub const IP_DATA: (usize, usize) = (8, 80);
    pub const MEM_DATA: (usize, usize) = (8, 40);
    pub const CONNECTION: (usize, usize) = (4, 12);
}

/// One memory bank of MEM_TOPOLOGY.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemBank {
    /// Its tag (`HBM[3]`, `DDR[0]`, `bank0`).
    pub tag: String,
    /// `MEM_TYPE` (6 is HBM, 1 DDR4).
    pub mem_type: u8,
    /// Whether the bank is present.
    pub used: bool,
}

/// One kernel argument.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Arg {
    /// Its index (`xrtRunSetArg`, `xrtKernelArgGroupId`).
    pub id: usize,
    /// Its name, where the xclbin's metadata gives one.
    pub name: Option<String>,
    /// A buffer pointer (connected to a bank) rather than a scalar.
    pub pointer: bool,
    /// The MEM_TOPOLOGY index of the bank it connects to (the memory group for buffers).
    pub group: Option<u32>,
    /// That bank's tag.
    pub bank: Option<String>,
}

/// One kernel of the xclbin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KernelInfo {
    /// The kernel name (`mmfree_u280`).
    pub name: String,
    /// Its compute units (`mmfree_u280_1`).
    pub instances: Vec<String>,
    /// Its arguments in index order.
    pub args: Vec<Arg>,
}

/// What an xclbin holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Xclbin {
    /// `m_header.uuid`.
    pub uuid: [u8; 16],
    /// The platform it was linked for (`m_platformVBNV`).
    pub platform: String,
    /// MEM_TOPOLOGY, in order.
    pub banks: Vec<MemBank>,
    /// The kernels, in IP_LAYOUT order.
    pub kernels: Vec<KernelInfo>,
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn get(&self, at: usize, n: usize, what: &str) -> std::result::Result<&[u8], String> {
        at.checked_add(n)
            .and_then(|end| self.bytes.get(at..end))
            .ok_or_else(|| {
                format!(
                    "{what} ({n} bytes at offset {at}) lies beyond the file's {} bytes",
                    self.bytes.len()
                )
            })
    }
    fn u32(&self, at: usize, what: &str) -> std::result::Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.get(at, 4, what)?.try_into().expect("4 bytes"),
        ))
    }
    fn i32(&self, at: usize, what: &str) -> std::result::Result<i32, String> {
        Ok(self.u32(at, what)? as i32)
    }
    fn u64(&self, at: usize, what: &str) -> std::result::Result<u64, String> {
        Ok(u64::from_le_bytes(
            self.get(at, 8, what)?.try_into().expect("8 bytes"),
        ))
    }
    fn text(&self, at: usize, n: usize, what: &str) -> std::result::Result<String, String> {
        let raw = self.get(at, n, what)?;
        let end = raw.iter().position(|&b| b == 0).unwrap_or(raw.len());
        Ok(String::from_utf8_lossy(&raw[..end]).into_owned())
    }
}

/// One section's place in the file.
#[derive(Clone, Copy)]
struct Section {
    kind: u32,
    offset: usize,
    size: usize,
}

impl Xclbin {
    /// Reads an xclbin file.
    pub fn read(path: &Path) -> Result<Xclbin> {
        let bytes = std::fs::read(path).map_err(|e| Error::Xclbin {
            path: path.display().to_string(),
            why: format!("cannot read the xclbin: {e}"),
        })?;
        Xclbin::parse(&bytes).map_err(|why| Error::Xclbin {
            path: path.display().to_string(),
            why,
        })
    }

    /// Parses xclbin bytes; the error says which field is wrong.
    pub fn parse(bytes: &[u8]) -> std::result::Result<Xclbin, String> {
        let r = Reader { bytes };
        if r.get(0, 8, "the magic")? != MAGIC {
            return Err("not an xclbin: the file does not start with \"xclbin2\"".into());
        }
        let length = r.u64(at::LENGTH, "the header's length")?;
        if length != bytes.len() as u64 {
            return Err(format!(
                "truncated or padded xclbin: the header says {length} bytes, the file has {}",
                bytes.len()
            ));
        }
        let sections = sections(&r)?;
        let body = |k: u32| -> Option<&Section> { sections.iter().find(|s| s.kind == k) };
        let banks = match body(kind::MEM_TOPOLOGY) {
            Some(s) => mem_topology(&r, s)?,
            None => Vec::new(),
        };
        let ips = match body(kind::IP_LAYOUT) {
            Some(s) => ip_layout(&r, s)?,
            None => return Err("no IP_LAYOUT section: the xclbin names no kernel".into()),
        };
        let connections = match body(kind::CONNECTIVITY) {
            Some(s) => connectivity(&r, s, ips.len(), banks.len())?,
            None => Vec::new(),
        };
        let metadata = match body(kind::EMBEDDED_METADATA) {
            Some(s) => Some(r.get(s.offset, s.size, "EMBEDDED_METADATA")?),
            None => None,
        };
        let declared = match metadata {
            Some(xml) => metadata_args(xml)?,
            None => Vec::new(),
        };
        let kernels = kernels(&ips, &connections, &banks, &declared);
        Ok(Xclbin {
            uuid: r
                .get(at::UUID, 16, "the UUID")?
                .try_into()
                .expect("16 bytes"),
            platform: r.text(at::PLATFORM_VBNV, 64, "the platform name")?,
            banks,
            kernels,
        })
    }

    /// The kernel called `name`.
    pub fn kernel(&self, name: &str) -> Option<&KernelInfo> {
        self.kernels.iter().find(|k| k.name == name)
    }
}

fn sections(r: &Reader<'_>) -> std::result::Result<Vec<Section>, String> {
    let n = r.u32(at::NUM_SECTIONS, "the section count")? as usize;
    if n > MAX_SECTIONS {
        return Err(format!("{n} sections (XRT accepts at most {MAX_SECTIONS})"));
    }
    (0..n)
        .map(|i| {
            let h = HEADER_BYTES + i * SECTION_HEADER_BYTES;
            let what = format!("section header {i}");
            let kind = r.u32(h, &what)?;
            let offset = r.u64(h + 24, &what)?;
            let size = r.u64(h + 32, &what)?;
            let (offset, size) = (offset as usize, size as usize);
            r.get(offset, size, &format!("section {i} (kind {kind})"))?;
            Ok(Section { kind, offset, size })
        })
        .collect()
}

/// The entry count of an array section and the byte offset of entry `i`, checked against the
/// section's size.
fn entries(
    r: &Reader<'_>,
    s: &Section,
    (first, stride): (usize, usize),
    what: &str,
) -> std::result::Result<Vec<usize>, String> {
    let count = r.i32(s.offset, what)?;
    let count = usize::try_from(count).map_err(|_| format!("{what}: negative count {count}"))?;
    let need = count
        .checked_mul(stride)
        .and_then(|b| b.checked_add(first))
        .filter(|&b| b <= s.size);
    if need.is_none() {
        return Err(format!(
            "{what}: {count} entries of {stride} bytes do not fit its {} bytes",
            s.size
        ));
    }
    Ok((0..count).map(|i| s.offset + first + i * stride).collect())
}

fn mem_topology(r: &Reader<'_>, s: &Section) -> std::result::Result<Vec<MemBank>, String> {
    entries(r, s, at::MEM_DATA, "MEM_TOPOLOGY")?
        .into_iter()
        .map(|e| {
            let raw = r.get(e, 2, "MEM_TOPOLOGY")?;
            Ok(MemBank {
                mem_type: raw[0],
                used: raw[1] != 0,
                tag: r.text(e + 24, 16, "MEM_TOPOLOGY tag")?,
            })
        })
        .collect()
}

/// IP_LAYOUT entries as (type, name).
fn ip_layout(r: &Reader<'_>, s: &Section) -> std::result::Result<Vec<(u32, String)>, String> {
    entries(r, s, at::IP_DATA, "IP_LAYOUT")?
        .into_iter()
        .map(|e| {
            Ok((
                r.u32(e, "IP_LAYOUT")?,
                r.text(e + 16, 64, "IP_LAYOUT name")?,
            ))
        })
        .collect()
}

/// CONNECTIVITY entries as (argument, IP index, bank index), each index checked.
fn connectivity(
    r: &Reader<'_>,
    s: &Section,
    ips: usize,
    banks: usize,
) -> std::result::Result<Vec<(usize, usize, usize)>, String> {
    entries(r, s, at::CONNECTION, "CONNECTIVITY")?
        .into_iter()
        .enumerate()
        .map(|(i, e)| {
            let arg = r.i32(e, "CONNECTIVITY")?;
            let ip = r.i32(e + 4, "CONNECTIVITY")?;
            let mem = r.i32(e + 8, "CONNECTIVITY")?;
            let bad = |what: &str, v: i32, n: usize| {
                format!("CONNECTIVITY entry {i}: {what} {v} is out of range (0..{n})")
            };
            let arg = usize::try_from(arg).map_err(|_| bad("argument", arg, usize::MAX))?;
            let ip_i = usize::try_from(ip).ok().filter(|&v| v < ips);
            let mem_i = usize::try_from(mem).ok().filter(|&v| v < banks);
            Ok((
                arg,
                ip_i.ok_or_else(|| bad("IP_LAYOUT index", ip, ips))?,
                mem_i.ok_or_else(|| bad("MEM_TOPOLOGY index", mem, banks))?,
            ))
        })
        .collect()
}

/// Arguments the metadata XML declares: (kernel, id, name, pointer).
fn metadata_args(xml: &[u8]) -> std::result::Result<Vec<(String, usize, String, bool)>, String> {
    let end = xml.iter().position(|&b| b == 0).unwrap_or(xml.len());
    let text = std::str::from_utf8(&xml[..end])
        .map_err(|e| format!("EMBEDDED_METADATA is not UTF-8: {e}"))?;
    let doc = roxmltree::Document::parse(text)
        .map_err(|e| format!("EMBEDDED_METADATA is not XML: {e}"))?;
    let mut out = Vec::new();
    for k in doc.descendants().filter(|n| n.has_tag_name("kernel")) {
        let Some(kernel) = k.attribute("name") else {
            continue;
        };
        for a in k.children().filter(|n| n.has_tag_name("arg")) {
            let name = a.attribute("name").unwrap_or_default().to_string();
            let id = a.attribute("id").unwrap_or_default();
            let id: usize = id.parse().map_err(|_| {
                format!("EMBEDDED_METADATA: kernel {kernel} argument {name:?} has id {id:?}")
            })?;
            let pointer = a.attribute("addressQualifier") == Some("1");
            out.push((kernel.to_string(), id, name, pointer));
        }
    }
    Ok(out)
}

/// Groups IP_LAYOUT's kernel instances (`kernel:instance`) by kernel and gives each its
/// arguments: the metadata's where it declares them, else the connected ones.
fn kernels(
    ips: &[(u32, String)],
    connections: &[(usize, usize, usize)],
    banks: &[MemBank],
    declared: &[(String, usize, String, bool)],
) -> Vec<KernelInfo> {
    let mut out: Vec<KernelInfo> = Vec::new();
    for (ip_index, (ty, full)) in ips.iter().enumerate() {
        if *ty != IP_KERNEL {
            continue;
        }
        let (name, instance) = full.split_once(':').unwrap_or((full, full));
        let connected = |arg: usize| {
            connections
                .iter()
                .find(|&&(a, ip, _)| a == arg && ip == ip_index)
                .map(|&(_, _, m)| m)
        };
        if let Some(k) = out.iter_mut().find(|k| k.name == name) {
            k.instances.push(instance.to_string());
            continue;
        }
        let mut args: Vec<Arg> = declared
            .iter()
            .filter(|d| d.0 == name)
            .map(|(_, id, arg, pointer)| Arg {
                id: *id,
                name: Some(arg.clone()),
                pointer: *pointer,
                group: None,
                bank: None,
            })
            .collect();
        if args.is_empty() {
            let mut ids: Vec<usize> = connections
                .iter()
                .filter(|c| c.1 == ip_index)
                .map(|c| c.0)
                .collect();
            ids.sort_unstable();
            ids.dedup();
            args = ids
                .into_iter()
                .map(|id| Arg {
                    id,
                    name: None,
                    pointer: true,
                    group: None,
                    bank: None,
                })
                .collect();
        }
        for a in &mut args {
            if let Some(m) = connected(a.id) {
                a.group = Some(m as u32);
                a.bank = Some(banks[m].tag.clone());
            }
        }
        args.sort_by_key(|a| a.id);
        out.push(KernelInfo {
            name: name.to_string(),
            instances: vec![instance.to_string()],
            args,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::build::XclbinBuilder;
    use super::*;

    fn u280_like() -> XclbinBuilder {
        XclbinBuilder::new("mmfree_k", "xilinx_u280_gen3x16_xdma_1_202211_1")
            .pointer("data", "HBM[0]")
            .pointer("w0", "HBM[0]")
            .pointer("w1", "HBM[1]")
            .scalar("debug_ctrl")
    }

    #[test]
    fn a_built_file_reads_back_kernel_arguments_and_banks() {
        let bytes = u280_like().build();
        assert_eq!(&bytes[..8], MAGIC);
        assert_eq!(bytes.len() % 8, 0);
        let x = Xclbin::parse(&bytes).unwrap();
        assert_eq!(x.platform, "xilinx_u280_gen3x16_xdma_1_202211_1");
        let tags: Vec<&str> = x.banks.iter().map(|b| b.tag.as_str()).collect();
        assert_eq!(tags, ["HBM[0]", "HBM[1]"]);
        assert!(x.banks.iter().all(|b| b.used && b.mem_type == 6));
        let k = x.kernel("mmfree_k").unwrap();
        assert_eq!(k.instances, ["mmfree_k_1"]);
        let got: Vec<String> = (k.args.iter())
            .map(|a| {
                format!(
                    "{} {:?} {} {:?} {:?}",
                    a.id, a.name, a.pointer, a.group, a.bank
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                r#"0 Some("data") true Some(0) Some("HBM[0]")"#,
                r#"1 Some("w0") true Some(0) Some("HBM[0]")"#,
                r#"2 Some("w1") true Some(1) Some("HBM[1]")"#,
                r#"3 Some("debug_ctrl") false None None"#,
            ]
        );
    }

    #[test]
    fn the_layout_matches_xclbin_h_offsets() {
        // Independent of the reader: the fields at the byte offsets xclbin.h's static asserts fix.
        let bytes = u280_like().build();
        let u32_at = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
        let u64_at = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().unwrap());
        assert_eq!(u64_at(304), bytes.len() as u64, "m_header.m_length");
        assert_eq!(u32_at(304 + 144), 4, "m_header.m_numSections");
        let kinds: Vec<u32> = (0..4).map(|i| u32_at(456 + 40 * i)).collect();
        assert_eq!(kinds, [6, 8, 7, 2]);
        let ip = u64_at(456 + 40 + 24) as usize;
        assert_eq!(u32_at(ip), 1, "ip_layout.m_count");
        assert_eq!(u32_at(ip + 8), 1, "ip_data.m_type = IP_KERNEL");
        assert_eq!(&bytes[ip + 24..ip + 24 + 19], b"mmfree_k:mmfree_k_1");
        let conn = u64_at(456 + 80 + 24) as usize;
        assert_eq!(u32_at(conn), 3, "three pointer arguments connected");
        assert_eq!((u32_at(conn + 28), u32_at(conn + 32)), (2, 0), "w1 on ip 0");
        assert_eq!(u32_at(conn + 36), 1, "w1 on mem_data 1");
    }

    #[test]
    fn damaged_files_are_refused_naming_the_field() {
        let good = u280_like().build();
        let err = |b: &[u8]| Xclbin::parse(b).unwrap_err();
        assert!(
            err(b"hello").contains("beyond the file"),
            "{}",
            err(b"hello")
        );
        let mut m = good.clone();
        m[0] = b'X';
        assert!(err(&m).contains("not an xclbin"));
        assert!(err(&good[..good.len() - 8]).contains("truncated"));
        let mut n = good.clone();
        n[304 + 144..304 + 148].copy_from_slice(&0x10001u32.to_le_bytes());
        assert!(err(&n).contains("65537 sections"), "{}", err(&n));
        let mut s = good.clone();
        s[456 + 32..456 + 40].copy_from_slice(&u64::MAX.to_le_bytes());
        assert!(err(&s).contains("section 0 (kind 6)"), "{}", err(&s));
        let ip = u64::from_le_bytes(good[456 + 64..456 + 72].try_into().unwrap()) as usize;
        let mut c = good.clone();
        c[ip..ip + 4].copy_from_slice(&1000i32.to_le_bytes());
        assert!(err(&c).contains("IP_LAYOUT: 1000 entries"), "{}", err(&c));
        let conn = u64::from_le_bytes(good[456 + 104..456 + 112].try_into().unwrap()) as usize;
        let mut d = good.clone();
        d[conn + 12..conn + 16].copy_from_slice(&7i32.to_le_bytes());
        assert!(err(&d).contains("MEM_TOPOLOGY index 7"), "{}", err(&d));
    }

    #[test]
    fn without_metadata_the_connected_arguments_are_listed() {
        let mut bytes = u280_like().build();
        // Turn the EMBEDDED_METADATA section header into an unused kind.
        bytes[456 + 120..456 + 124].copy_from_slice(&31u32.to_le_bytes());
        let x = Xclbin::parse(&bytes).unwrap();
        let k = &x.kernels[0];
        let ids: Vec<(usize, Option<&str>)> =
            k.args.iter().map(|a| (a.id, a.bank.as_deref())).collect();
        assert_eq!(
            ids,
            [
                (0, Some("HBM[0]")),
                (1, Some("HBM[0]")),
                (2, Some("HBM[1]"))
            ]
        );
        assert!(k.args.iter().all(|a| a.pointer && a.name.is_none()));
    }
}
