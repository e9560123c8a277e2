//! The Verilated kernel against the instruction-set simulator after every instruction (DESIGN.md
//! section 3, rung 2; docs/ACCELERATOR.md: "the RTL must equal the ISS after every instruction"):
//! the tiny model compiled for the `tiny` configuration runs in single-step mode on both, and
//! after each instruction every vector register (the elements the ISS holds, and the exponent),
//! the codes, the accumulators, `sigma` and the whole data bank must agree bit for bit. A failure
//! names the instruction and the first differing element.

use anyhow::{Context, bail, ensure};
use mmfree_compiler::{Options, compile};
use mmfree_iss::machine::{Machine, Memory};
use mmfree_sim::card::{SimCard, Stop};
use mmfree_spec::card::{Bank, Card};
use mmfree_spec::devmem::Header;
use mmfree_spec::hw::HwConfig;
use mmfree_spec::shape::ModelShape;

/// Where two slices first differ, as text.
fn first_mismatch<T: PartialEq + std::fmt::Debug>(got: &[T], want: &[T]) -> Option<String> {
    if let Some(i) = got.iter().zip(want).position(|(a, b)| a != b) {
        return Some(format!("element {i}: rtl {:?}, iss {:?}", got[i], want[i]));
    }
    (got.len() != want.len()).then(|| format!("rtl {} elements, iss {}", got.len(), want.len()))
}

/// Compares the whole visible state after instruction `index`.
fn compare(
    sim: &mut SimCard,
    iss: &Machine<'_>,
    data: &[u8],
    index: usize,
    what: &str,
) -> anyhow::Result<()> {
    let fail = |part: String, m: String| -> anyhow::Result<()> {
        bail!("after instruction {index} ({what}): {part}: {m}")
    };
    for r in 0..16 {
        let want = iss.vreg(0, r);
        if want.mant.is_empty() {
            continue;
        }
        let (mant, exp) = sim.vreg(r as u8, want.mant.len())?;
        if let Some(m) = first_mismatch(&mant, &want.mant) {
            return fail(format!("v{r}"), m);
        }
        if exp != want.exp {
            return fail(
                format!("v{r} exponent"),
                format!("rtl {exp}, iss {}", want.exp),
            );
        }
    }
    let codes = iss.codes(0);
    if let Some(m) = first_mismatch(&sim.codes(codes.len())?, codes) {
        return fail("codes".into(), m);
    }
    let acc = iss.accumulators(0);
    if let Some(m) = first_mismatch(&sim.acc(acc.len())?, acc) {
        return fail("accumulators".into(), m);
    }
    // The ISS starts every run from empty registers, codes and sigma; the RTL keeps them, so
    // only what this run wrote is compared.
    if !codes.is_empty() {
        let s = iss.sigma(0);
        let got = sim.sigma()?;
        if got != (s.mantissa(), s.exponent()) {
            return fail("sigma".into(), format!("rtl {got:?}, iss {s:?}"));
        }
    }
    let mut bank = vec![0u8; data.len()];
    sim.read(Bank::Data, 0, &mut bank)?;
    if let Some(m) = first_mismatch(&bank, data) {
        return fail("data bank".into(), format!("byte {m}"));
    }
    Ok(())
}

#[test]
fn rtl_equals_the_iss_after_every_instruction_of_the_tiny_model() -> anyhow::Result<()> {
    let hw = HwConfig::preset("tiny")?;
    let shape = ModelShape::preset("tiny")?;
    let model = mmfree_model::random::model(shape, 11, Default::default(), &mut |_, _, _| {})?;
    let image = compile(&model, &hw, &Options { trace: false })?;
    let mut sim = SimCard::new(hw.clone())?;
    let mut data = image.data.clone();
    let header = Header::decode(&data)?;
    let mut token = 1u32;
    for _ in 0..4 {
        data[header.tokens as usize..][..4].copy_from_slice(&token.to_le_bytes());
        for (i, bytes) in std::iter::once(&data).chain(&image.weights).enumerate() {
            let bank = if i == 0 {
                Bank::Data
            } else {
                Bank::Weight(i as u32 - 1)
            };
            let address = sim.alloc(bank, bytes.len() as u64)?;
            sim.write(bank, 0, bytes)?;
            sim.set_bank_arg(bank, address)?;
        }
        sim.set_single_step(true)?;
        let weights: Vec<&[u8]> = image.weights.iter().map(|w| &w[..]).collect();
        let mut machine = Machine::new(&hw, header);
        eprintln!("token {token}");
        for index in 0.. {
            let what = image.program[index].to_string();
            let end = {
                let mut mem = Memory {
                    data: &mut data,
                    weights: weights.clone(),
                };
                machine.step(&mut mem, index)?
            };
            let stop = sim
                .step()
                .with_context(|| format!("instruction {index} ({what})"))?;
            if end {
                ensure!(stop == Stop::Done, "the RTL did not stop at END ({index})");
                break;
            }
            ensure!(
                stop == Stop::Paused,
                "the RTL stopped early at {index} ({what})"
            );
            ensure!(
                sim.pc()? == index as u64 + 1,
                "program counter after {index}"
            );
            compare(&mut sim, &machine, &data, index, &what)?;
        }
        sim.set_single_step(false)?;
        // Greedy decoding: the next input is this step's output token.
        let out = &data[header.outputs as usize..][..4];
        token = u32::from_le_bytes([out[0], out[1], out[2], out[3]]);
    }
    Ok(())
}
