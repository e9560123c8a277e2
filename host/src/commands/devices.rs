//! `mmfree devices [--json]`: what this machine can run (contracts.md): the software models, the
//! instruction-set simulator and the Verilated kernel with the configurations each accepts, and
//! every XRT card found, or why there is none.

use anyhow::Result;
use mmfree_kernels::top::EMITTED_PRESETS;
use mmfree_spec::hw::{HW_NAMES, HwConfig};
use serde_json::{Value, json};

use crate::commands::print_json;

/// Arguments of `devices`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print one JSON object.
    #[arg(long)]
    pub json: bool,
}

/// Configurations the ISS accepts: every preset that validates.
fn iss_configs() -> Vec<&'static str> {
    HW_NAMES
        .iter()
        .filter(|n| HwConfig::preset(n).is_ok_and(|c| mmfree_iss::Iss::new(c).is_ok()))
        .copied()
        .collect()
}

/// Whether Verilator is on PATH (the sim device builds the kernel with it).
fn verilator() -> Option<String> {
    let out = std::process::Command::new("verilator")
        .arg("--version")
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The devices and the XRT verdict, as contracts.md's JSON.
pub fn listing() -> Value {
    let sim = verilator();
    let mut devices = vec![
        json!({"name": "golden", "kind": "software", "available": true,
               "description": "the golden f32 model (integer-faithful)"}),
        json!({"name": "ref", "kind": "software", "available": true,
               "description": "the bit-exact fixed-point reference"}),
        json!({"name": "iss", "kind": "simulator", "available": true, "default_config": "tiny",
               "configs": iss_configs(),
               "description": "the accelerator's instruction-set simulator"}),
        json!({"name": "sim", "kind": "simulator", "available": sim.is_some(),
        "default_config": "tiny", "configs": EMITTED_PRESETS,
        "description": "the generated RTL under Verilator",
        "reason": match &sim {
            Some(v) => v.clone(),
            None => "verilator is not on PATH (scripts/setup-system demo)".into(),
        }}),
    ];
    let probe = mmfree_xrt::probe();
    for c in &probe.cards {
        devices.push(
            json!({"name": format!("xrt:{}", c.index), "kind": "card", "available": true,
                            "card": c.name, "pci": c.bdf, "shell": c.shell,
                            "configs": crate::xrt::card_configs()}),
        );
    }
    let reason = probe
        .reason
        .unwrap_or_else(|| format!("{} card(s) found", probe.cards.len()));
    json!({"devices": devices,
           "xrt": {"available": !probe.cards.is_empty(), "reason": reason}})
}

/// Lists the devices.
pub fn run(a: Args) -> Result<()> {
    let v = listing();
    if a.json {
        print_json(&v);
        return Ok(());
    }
    for d in v["devices"].as_array().into_iter().flatten() {
        let configs = d["configs"].as_array().map(|c| {
            let names: Vec<&str> = c.iter().filter_map(Value::as_str).collect();
            format!(" (--hw {})", names.join(", "))
        });
        let what = match d["kind"].as_str() {
            Some("card") => format!(
                "{} at {}, shell {}",
                d["card"].as_str().unwrap_or("?"),
                d["pci"].as_str().unwrap_or("?"),
                d["shell"].as_str().unwrap_or("?")
            ),
            _ => d["description"].as_str().unwrap_or_default().to_string(),
        };
        let off = match (d["available"].as_bool(), d["reason"].as_str()) {
            (Some(false), Some(r)) => format!(" [not available: {r}]"),
            _ => String::new(),
        };
        println!(
            "{:<8} {what}{}{off}",
            d["name"].as_str().unwrap_or("?"),
            configs.unwrap_or_default()
        );
    }
    let xrt = &v["xrt"];
    match xrt["available"].as_bool() {
        Some(true) => println!("xrt      {}", xrt["reason"].as_str().unwrap_or_default()),
        _ => println!(
            "xrt:N    no card: {}",
            xrt["reason"].as_str().unwrap_or_default()
        ),
    }
    Ok(())
}
