//! Writes xclbin files in the `axlf` layout (xclbin.h) with the sections the reader uses: a
//! MEM_TOPOLOGY of the named banks, an IP_LAYOUT with one compute unit, a CONNECTIVITY entry per
//! pointer argument and an EMBEDDED_METADATA XML naming every argument. No bitstream: the files
//! serve tests of the host's checks (Debian ships no working `xclbinutil`), not a card.

use super::{HEADER_BYTES, IP_KERNEL, MAGIC, SECTION_HEADER_BYTES, kind};

/// `MEM_TYPE` of a bank tag: `MEM_HBM` for `HBM[..]`, else `MEM_DDR4`.
fn mem_type(tag: &str) -> u8 {
    if tag.starts_with("HBM") { 6 } else { 1 }
}

/// One argument of the kernel to write.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildArg {
    /// Argument name.
    pub name: String,
    /// The bank tag a pointer connects to (`HBM[0]`); `None` for a scalar.
    pub bank: Option<String>,
}

/// An xclbin to write: one kernel with one compute unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct XclbinBuilder {
    /// Kernel name.
    pub kernel: String,
    /// Platform name written into the header.
    pub platform: String,
    /// Arguments in index order.
    pub args: Vec<BuildArg>,
}

fn put(buf: &mut [u8], at: usize, bytes: &[u8]) {
    buf[at..at + bytes.len()].copy_from_slice(bytes);
}

fn fixed_text(s: &str, n: usize) -> Vec<u8> {
    let mut v = s.as_bytes().to_vec();
    v.truncate(n - 1);
    v.resize(n, 0);
    v
}

impl XclbinBuilder {
    /// A kernel with no arguments yet.
    pub fn new(kernel: &str, platform: &str) -> XclbinBuilder {
        XclbinBuilder {
            kernel: kernel.into(),
            platform: platform.into(),
            args: Vec::new(),
        }
    }

    /// Adds a pointer argument connected to bank `tag`.
    pub fn pointer(mut self, name: &str, tag: &str) -> XclbinBuilder {
        self.args.push(BuildArg {
            name: name.into(),
            bank: Some(tag.into()),
        });
        self
    }

    /// Adds a 32-bit scalar argument.
    pub fn scalar(mut self, name: &str) -> XclbinBuilder {
        self.args.push(BuildArg {
            name: name.into(),
            bank: None,
        });
        self
    }

    /// The distinct bank tags, in first-use order (MEM_TOPOLOGY).
    fn banks(&self) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for t in self.args.iter().filter_map(|a| a.bank.clone()) {
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        tags
    }

    fn mem_topology(&self, banks: &[String]) -> Vec<u8> {
        let mut s = vec![0u8; 8 + 40 * banks.len()];
        put(&mut s, 0, &(banks.len() as i32).to_le_bytes());
        for (i, tag) in banks.iter().enumerate() {
            let e = 8 + 40 * i;
            s[e] = mem_type(tag);
            s[e + 1] = 1;
            put(&mut s, e + 8, &(256u64 << 20).to_le_bytes()); // size in KiB: 256 MiB
            put(&mut s, e + 16, &((i as u64) << 28).to_le_bytes());
            put(&mut s, e + 24, &fixed_text(tag, 16));
        }
        s
    }

    fn ip_layout(&self) -> Vec<u8> {
        let mut s = vec![0u8; 8 + 80];
        put(&mut s, 0, &1i32.to_le_bytes());
        put(&mut s, 8, &IP_KERNEL.to_le_bytes());
        // ap_ctrl_hs (IP_CONTROL 0) with interrupts enabled.
        put(&mut s, 12, &1u32.to_le_bytes());
        put(&mut s, 16, &0x0180_0000u64.to_le_bytes());
        let cu = format!("{0}:{0}_1", self.kernel);
        put(&mut s, 24, &fixed_text(&cu, 64));
        s
    }

    fn connectivity(&self, banks: &[String]) -> Vec<u8> {
        let links: Vec<(usize, usize)> = (self.args.iter().enumerate())
            .filter_map(|(id, a)| {
                let tag = a.bank.as_ref()?;
                Some((id, banks.iter().position(|b| b == tag)?))
            })
            .collect();
        let mut s = vec![0u8; (4 + 12 * links.len()).max(16)];
        put(&mut s, 0, &(links.len() as i32).to_le_bytes());
        for (i, (arg, mem)) in links.iter().enumerate() {
            let e = 4 + 12 * i;
            put(&mut s, e, &(*arg as i32).to_le_bytes());
            put(&mut s, e + 4, &0i32.to_le_bytes());
            put(&mut s, e + 8, &(*mem as i32).to_le_bytes());
        }
        s
    }

    fn metadata(&self) -> Vec<u8> {
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project name=\"");
        x += &self.kernel;
        x += "\">\n <platform><device><core name=\"OCL_REGION_0\" type=\"clc_region\">\n";
        x += &format!("  <kernel name=\"{}\" language=\"ip_c\">\n", self.kernel);
        for (id, a) in self.args.iter().enumerate() {
            let (q, port, ty) = match &a.bank {
                Some(_) => (1, format!("m_axi_{}", a.name), "void*"),
                None => (0, "S_AXI_CONTROL".into(), "uint"),
            };
            x += &format!(
                "   <arg name=\"{}\" addressQualifier=\"{q}\" id=\"{id}\" port=\"{port}\" \
                 size=\"0x{:x}\" offset=\"0x{:x}\" type=\"{ty}\"/>\n",
                a.name,
                if a.bank.is_some() { 8 } else { 4 },
                0x10 + 8 * id
            );
        }
        x += "  </kernel>\n </core></device></platform>\n</project>\n";
        x.into_bytes()
    }

    /// A UUID derived from the content (FNV-1a), so equal builds give equal files.
    fn uuid(&self) -> [u8; 16] {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        let mut mix = |bytes: &[u8]| {
            for &b in bytes {
                h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
            }
            h
        };
        let a = mix(self.kernel.as_bytes());
        let b = mix(format!("{:?}{}", self.args, self.platform).as_bytes());
        let mut u = [0u8; 16];
        u[..8].copy_from_slice(&a.to_le_bytes());
        u[8..].copy_from_slice(&b.to_le_bytes());
        u
    }

    /// The xclbin's bytes.
    pub fn build(&self) -> Vec<u8> {
        let banks = self.banks();
        let sections: [(u32, &str, Vec<u8>); 4] = [
            (
                kind::MEM_TOPOLOGY,
                "mem_topology",
                self.mem_topology(&banks),
            ),
            (kind::IP_LAYOUT, "ip_layout", self.ip_layout()),
            (
                kind::CONNECTIVITY,
                "connectivity",
                self.connectivity(&banks),
            ),
            (kind::EMBEDDED_METADATA, "metadata", self.metadata()),
        ];
        let mut offset = (HEADER_BYTES + SECTION_HEADER_BYTES * sections.len()).next_multiple_of(8);
        let mut placed = Vec::new();
        for (k, name, body) in &sections {
            placed.push((*k, *name, offset, body.len()));
            offset = (offset + body.len()).next_multiple_of(8);
        }
        let mut f = vec![0u8; offset];
        put(&mut f, 0, MAGIC);
        put(&mut f, 8, &(-1i32).to_le_bytes());
        f[12..40].fill(0xFF);
        put(&mut f, super::at::LENGTH, &(offset as u64).to_le_bytes());
        let h = super::at::HEADER;
        put(&mut f, h + 26, &[2, 1]); // version 2.1.0
        put(
            &mut f,
            super::at::PLATFORM_VBNV,
            &fixed_text(&self.platform, 64),
        );
        put(&mut f, super::at::UUID, &self.uuid());
        put(
            &mut f,
            super::at::NUM_SECTIONS,
            &(sections.len() as u32).to_le_bytes(),
        );
        for (i, ((k, name, at, len), (_, _, body))) in placed.iter().zip(&sections).enumerate() {
            let sh = HEADER_BYTES + SECTION_HEADER_BYTES * i;
            put(&mut f, sh, &k.to_le_bytes());
            put(&mut f, sh + 4, &fixed_text(name, 16));
            put(&mut f, sh + 24, &(*at as u64).to_le_bytes());
            put(&mut f, sh + 32, &(*len as u64).to_le_bytes());
            put(&mut f, *at, body);
        }
        f
    }
}
