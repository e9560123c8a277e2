//! Vitis packaging of the top-level kernel: `kernel.xml`, the `package_xo` Tcl script and the
//! `v++` link configuration, all derived from the kernel's interface list ([`interfaces`]) and the
//! register map of `mmfree_spec::regmap`, so that the package cannot disagree with the RTL.

use std::fmt::Write;

use mmfree_spec::hw::{CardMemory, HW_NAMES, HwConfig};
use mmfree_spec::regmap;

use crate::error::{Error, Result};
use crate::top::config::TopConfig;
use crate::top::wrapper::{Interface, interfaces, vitis_shell};
use crate::top::{emit_top_named, top_name};

/// Name of the kernel description file `package_xo` reads.
pub const KERNEL_XML: &str = "kernel.xml";
/// Name of the Vivado script that packages the `.xo`.
pub const PACKAGE_TCL: &str = "package_xo.tcl";

/// One kernel argument as the host sets it: a bank pointer or a scalar word of the control slave.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KernelArg {
    /// Argument name (a pointer is named after its master: `data`, `w0`, ...).
    pub name: String,
    /// Index the host passes to `xrtKernelArgGroupId` and `xrtRunSetArg`.
    pub id: usize,
    /// Byte offset in the control slave.
    pub offset: u32,
    /// Bytes of the argument.
    pub size: u32,
    /// The interface it addresses (`m_axi_*`) or `s_axi_control` for a scalar.
    pub port: String,
}

impl KernelArg {
    /// Whether the argument is a buffer pointer (`addressQualifier` 1) rather than a scalar.
    pub fn is_pointer(&self) -> bool {
        self.port != CONTROL
    }
}

const CONTROL: &str = "s_axi_control";

/// Everything written for one configuration and platform.
#[derive(Clone, Debug)]
pub struct Package {
    /// Kernel (and top module) name.
    pub kernel: String,
    /// The kernel's Verilog: the simulated kernel under `{kernel}_core` and the Vitis shell.
    pub verilog: String,
    /// `kernel.xml`.
    pub kernel_xml: String,
    /// The `package_xo` Tcl script.
    pub package_tcl: String,
    /// The `v++` link configuration.
    pub link_cfg: String,
}

impl Package {
    /// File name of the Verilog.
    pub fn verilog_file(&self) -> String {
        format!("{}.v", self.kernel)
    }

    /// File name of the link configuration.
    pub fn cfg_file(&self) -> String {
        format!("{}.cfg", self.kernel)
    }

    /// Every file as (name, contents), in the order they are written.
    pub fn files(&self) -> [(String, &str); 4] {
        [
            (self.verilog_file(), &self.verilog),
            (KERNEL_XML.to_string(), &self.kernel_xml),
            (PACKAGE_TCL.to_string(), &self.package_tcl),
            (self.cfg_file(), &self.link_cfg),
        ]
    }
}

/// The card memory behind `hw`'s ports, or why `hw` cannot be packaged for a card.
fn card_of(hw: &HwConfig) -> Result<CardMemory> {
    hw.card_memory().ok_or_else(|| Error::Unsupported {
        kernel: "package",
        why: format!(
            "configuration {} targets no Alveo card (card configurations: {})",
            hw.name,
            HW_NAMES
                .iter()
                .filter(|n| HwConfig::preset(n).is_ok_and(|c| c.card_memory().is_some()))
                .copied()
                .collect::<Vec<_>>()
                .join(", ")
        ),
    })
}

/// Refuses a platform that is not one of `card`'s (its name carries the card, e.g.
/// `xilinx_u280_gen3x16_xdma_1_202211_1`).
fn check_platform(card: &CardMemory, hw: &HwConfig, platform: &str) -> Result<()> {
    let stem = platform.rsplit('/').next().unwrap_or(platform);
    let ok = !stem.is_empty()
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        && stem
            .to_ascii_lowercase()
            .contains(&card.card.to_ascii_lowercase());
    if ok {
        return Ok(());
    }
    Err(Error::Unsupported {
        kernel: "package",
        why: format!(
            "platform '{platform}' is not an Alveo {} platform (configuration {} targets the {}; \
             e.g. xilinx_{}_...)",
            card.card,
            hw.name,
            card.card,
            card.card.to_ascii_lowercase()
        ),
    })
}

/// The kernel's arguments: the data-bank pointer, one pointer per weight bank, the debug word.
pub fn kernel_args(c: &TopConfig) -> Vec<KernelArg> {
    let pointer = |id: usize, port: &Interface| KernelArg {
        name: port.name.trim_start_matches("m_axi_").to_string(),
        id,
        offset: regmap::pointer_arg(id as u32),
        size: regmap::POINTER_BYTES,
        port: port.name.clone(),
    };
    let mut args: Vec<KernelArg> = interfaces(c)
        .iter()
        .filter(|i| i.master)
        .enumerate()
        .map(|(id, i)| pointer(id, i))
        .collect();
    args.push(KernelArg {
        name: "debug_ctrl".into(),
        id: args.len(),
        offset: c.debug_ctrl_offset(),
        size: 4,
        port: CONTROL.into(),
    });
    args
}

/// The memory bank (`HBM[i]`, `DDR[i]`) of each master: weight bank `p` on channel `p`, the data
/// bank beside weight bank 0 (it moves a few kilobytes per token against megabytes of weights).
pub fn bank_of(card: &CardMemory, arg_id: usize) -> String {
    let channel = arg_id.saturating_sub(1) % card.channels as usize;
    format!("{}[{channel}]", card.bank)
}

/// `kernel.xml` for the kernel `top` of `c`.
pub fn kernel_xml(c: &TopConfig, top: &str) -> String {
    let mut s = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    s += "<root versionMajor=\"1\" versionMinor=\"6\">\n";
    let _ = writeln!(
        s,
        "  <kernel name=\"{top}\" language=\"ip_c\" vlnv=\"mmfree:kernel:{top}:1.0\" attributes=\"\" \
         preferredWorkGroupSizeMultiple=\"0\" workGroupSize=\"1\" interrupt=\"true\" \
         hwControlProtocol=\"ap_ctrl_hs\">\n    <ports>"
    );
    for i in interfaces(c) {
        let (mode, range) = if i.master {
            ("master", "0xFFFFFFFFFFFFFFFF".to_string())
        } else {
            (
                "slave",
                format!("{:#X}", 1u64 << i.addr_bits).replace("0X", "0x"),
            )
        };
        let _ = writeln!(
            s,
            "      <port name=\"{}\" mode=\"{mode}\" range=\"{range}\" dataWidth=\"{}\" \
             portType=\"addressable\" base=\"0x0\"/>",
            i.name, i.data_bits
        );
    }
    s += "    </ports>\n    <args>\n";
    for a in kernel_args(c) {
        let (qualifier, ty) = if a.is_pointer() {
            (1, "void*")
        } else {
            (0, "uint")
        };
        let _ = writeln!(
            s,
            "      <arg name=\"{}\" addressQualifier=\"{qualifier}\" id=\"{}\" port=\"{}\" \
             size=\"{:#x}\" offset=\"{:#x}\" type=\"{ty}\" hostOffset=\"0x0\" hostSize=\"{:#x}\"/>",
            a.name, a.id, a.port, a.size, a.offset, a.size
        );
    }
    s += "    </args>\n  </kernel>\n</root>\n";
    s
}

/// The Vivado script that packages `verilog` and `kernel.xml` (beside it) into `{top}.xo`.
pub fn package_tcl(c: &TopConfig, top: &str, verilog: &str) -> String {
    let mut s = format!(
        "# Packages the mmfree RTL kernel {top} (configuration {name}) as a Vitis .xo:\n\
         #   vivado -mode batch -source {PACKAGE_TCL}\n\
         set here [file dirname [file normalize [info script]]]\n\
         set kernel {top}\n\
         create_project -force pack $here/pack\n\
         add_files -norecurse $here/{verilog}\n\
         set_property top $kernel [current_fileset]\n\
         update_compile_order -fileset sources_1\n\
         ipx::package_project -root_dir $here/ip -vendor mmfree -library kernel -taxonomy /KernelIP \
         -import_files -set_current false\n\
         ipx::unload_core $here/ip/component.xml\n\
         ipx::edit_ip_in_project -upgrade true -name edit_kernel -directory $here/pack $here/ip/component.xml\n\
         set core [ipx::current_core]\n\
         set_property sdx_kernel true $core\n\
         set_property sdx_kernel_type rtl $core\n\
         set_property ipi_drc {{ignore_freq_hz true}} $core\n",
        name = c.name
    );
    s += "ipx::associate_bus_interfaces -clock ap_clk -reset ap_rst_n $core\n";
    for i in interfaces(c) {
        let _ = writeln!(
            s,
            "ipx::associate_bus_interfaces -busif {} -clock ap_clk $core",
            i.name
        );
    }
    s += "set block [ipx::get_address_blocks reg0 -of_objects [ipx::get_memory_maps s_axi_control -of_objects $core]]\n";
    for a in kernel_args(c) {
        let _ = writeln!(
            s,
            "set reg [ipx::add_register {} $block]\n\
             set_property address_offset {:#x} $reg\n\
             set_property size {} $reg",
            a.name,
            a.offset,
            8 * a.size
        );
        if a.is_pointer() {
            let _ = writeln!(
                s,
                "set_property value {} [ipx::add_register_parameter ASSOCIATED_BUSIF $reg]",
                a.port
            );
        }
    }
    s += "set_property xpm_libraries {XPM_CDC XPM_MEMORY XPM_FIFO} $core\n\
          ipx::create_xgui_files $core\n\
          ipx::update_checksums $core\n\
          ipx::check_integrity -kernel $core\n\
          ipx::save_core $core\n\
          close_project -delete\n";
    let _ = writeln!(
        s,
        "package_xo -force -xo_path $here/$kernel.xo -kernel_name $kernel -ip_directory $here/ip \
         -kernel_xml $here/{KERNEL_XML}"
    );
    s
}

/// The `v++` link configuration: the platform, the clock and one `sp=` line per master.
pub fn link_cfg(hw: &HwConfig, c: &TopConfig, top: &str, platform: &str) -> Result<String> {
    let card = card_of(hw)?;
    let mut s = format!(
        "# v++ link configuration of {top} ({tag}) on {platform}:\n\
         #   v++ --link --config {top}.cfg -o {top}.xclbin {top}.xo\n\
         platform={platform}\n\
         kernel_frequency={mhz}\n\n\
         [connectivity]\n\
         nk={top}:1:{top}_1\n",
        tag = hw.tag(),
        mhz = hw.clock_hz / 1_000_000
    );
    for a in kernel_args(c).iter().filter(|a| a.is_pointer()) {
        let _ = writeln!(s, "sp={top}_1.{}:{}", a.name, bank_of(&card, a.id));
    }
    Ok(s)
}

/// The whole package of `hw` for `platform`.
pub fn package(hw: &HwConfig, platform: &str) -> Result<Package> {
    let card = card_of(hw)?;
    check_platform(&card, hw, platform)?;
    let kernel = top_name(hw);
    let core = emit_top_named(hw, &format!("{kernel}_core"))?;
    let c = core.config.clone();
    let verilog = core.text + &vitis_shell(&c, &kernel, &core.top);
    let verilog_file = format!("{kernel}.v");
    Ok(Package {
        kernel_xml: kernel_xml(&c, &kernel),
        package_tcl: package_tcl(&c, &kernel, &verilog_file),
        link_cfg: link_cfg(hw, &c, &kernel, platform)?,
        verilog,
        kernel,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_of_another_card_and_cardless_configs_are_refused() {
        let u280 = HwConfig::preset("u280").unwrap();
        let e = package(&u280, "xilinx_u250_gen3x16_xdma_4_1_202210_1")
            .unwrap_err()
            .to_string();
        assert!(e.contains("not an Alveo U280 platform"), "{e}");
        let e = package(&HwConfig::preset("tiny").unwrap(), "xilinx_u280_x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("u280, u55c, u250"), "{e}");
    }
}
