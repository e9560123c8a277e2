//! The compiled image against ACCELERATOR.md section 2, checked with an independent decoder of
//! the weight banks, hand-computed sizes, and the refusals of models that do not fit.

use mmfree_compiler::{Image, Options, compile, symbols};
use mmfree_model::{Component, FloatDtype, Model, random};
use mmfree_spec::card::Bank;
use mmfree_spec::devmem::{self, Header, tag_hash};
use mmfree_spec::format::Bfp;
use mmfree_spec::hw::HwConfig;
use mmfree_spec::isa;
use mmfree_spec::pack::Packing;
use mmfree_spec::shape::ModelShape;

fn model(shape: ModelShape) -> Model {
    random::model(shape, 5, FloatDtype::Bf16, &mut |_, _, _| {}).unwrap()
}

fn tiny() -> HwConfig {
    HwConfig::preset("tiny").unwrap()
}

/// Weight `j` of row `r` of the model's matrix, read from the Pack2 bits directly.
fn model_weight(w: &mmfree_model::Ternary, r: usize, j: usize) -> i8 {
    ((w.row(r)[j / 4] >> (2 * (j % 4))) & 3) as i8 - 1
}

/// Weight `j` of a packed bank row, decoded by hand: 2-bit fields LSB first, or base-3 digits.
fn bank_weight(row: &[u8], j: usize, packing: Packing) -> i8 {
    match packing {
        Packing::Pack2 => ((row[j / 4] >> (2 * (j % 4))) & 3) as i8 - 1,
        Packing::Pack5 => (row[j / 5] as u32 / 3u32.pow((j % 5) as u32) % 3) as i8 - 1,
    }
}

fn check_weights(m: &Model, cfg: &HwConfig, image: &Image) {
    let ports = cfg.weight_ports as usize;
    let k = cfg.weights_per_beat() as usize;
    let mut matrices = 0;
    for (base, c) in m.components() {
        let Component::Linear(l) = c else { continue };
        let w = &l.weight;
        let sym = image.layout.symbol(&format!("{base}.weight")).unwrap();
        assert_eq!(sym.offset % 64, 0);
        let row_bytes = w.cols.div_ceil(k) * cfg.port_bits as usize / 8;
        let rows_per_bank = w.rows.div_ceil(ports);
        assert_eq!(sym.bytes as usize, rows_per_bank * row_bytes, "{base}");
        for r in 0..rows_per_bank * ports {
            let at = sym.offset as usize + (r / ports) * row_bytes;
            let row = &image.weights[r % ports][at..at + row_bytes];
            for j in 0..row_bytes * cfg.packing.weights_per_byte() {
                let want = if r < w.rows && j < w.cols {
                    model_weight(w, r, j)
                } else {
                    0
                };
                assert_eq!(
                    bank_weight(row, j, cfg.packing),
                    want,
                    "{base} row {r} col {j}"
                );
            }
        }
        matrices += 1;
    }
    assert_eq!(matrices, 6 * m.shape.layers + 1);
}

#[test]
fn weights_are_laid_out_row_by_row_across_banks() {
    // Rows that do not divide by the ports (V = 100 over 8 banks) and columns that end in a
    // partial beat, in both packings.
    let m = model(ModelShape {
        hidden: 40,
        layers: 2,
        vocab: 100,
        intermediate: 56,
    });
    for packing in [Packing::Pack2, Packing::Pack5] {
        for (ports, bits) in [(1, 64), (8, 128)] {
            let cfg = HwConfig {
                weight_ports: ports,
                port_bits: bits,
                packing,
                ..tiny()
            };
            let image = compile(&m, &cfg, &Options::default()).unwrap();
            assert_eq!(image.weights.len(), ports as usize);
            check_weights(&m, &cfg, &image);
        }
    }
}

#[test]
fn tiny_image_sizes_by_hand() {
    let m = model(ModelShape::preset("tiny").unwrap());
    let image = compile(&m, &tiny(), &Options::default()).unwrap();
    // 64-bit beats of 32 weights. Per layer: four 64x64 matrices of 2 beats a row (4 x 1024 B),
    // gate_proj 512 rows x 2 beats (8192 B), down_proj 64 rows x 8 beats (4096 B); lm_head
    // 256 rows x 2 beats (4096 B).
    assert_eq!(image.weights[0].len(), 2 * (4 * 1024 + 8192 + 4096) + 4096);
    // 99 instructions: EMBED, 44 in layer 0, 46 in layer 1 (the lower bound's LOADG and LBMIX),
    // the head's 7 and END.
    assert_eq!(image.program.len(), 1 + 44 + 46 + 8);
    let traced = compile(&m, &tiny(), &Options { trace: true }).unwrap();
    assert_eq!(traced.program.len(), image.program.len() + 2);
    // The trace regions: one 64-element BFP vector (320 bytes) per layer; the program region
    // grows from 1600 to 1664 bytes (101 instructions, aligned to 64).
    for l in 0..2 {
        assert_eq!(traced.layout.symbol(&symbols::trace(l)).unwrap().bytes, 320);
    }
    assert_eq!(traced.data.len() - image.data.len(), 2 * 320 + 64);
}

#[test]
fn data_bank_holds_header_program_parameters_and_state() {
    let m = model(ModelShape::preset("tiny").unwrap());
    let cfg = HwConfig { batch: 3, ..tiny() };
    let image = compile(&m, &cfg, &Options { trace: true }).unwrap();
    let again = compile(&m, &cfg, &Options { trace: true }).unwrap();
    assert!(
        image.data == again.data && image.weights == again.weights,
        "deterministic"
    );
    let l = &image.layout;
    let h = Header::decode(&image.data).unwrap();
    let program = l.symbol(symbols::PROGRAM).unwrap();
    assert_eq!(
        h,
        Header {
            tag_hash: tag_hash(&cfg.tag()),
            batch: 3,
            vocab: 256,
            program: program.offset as u32,
            program_len: image.program.len() as u32,
            tokens: l.symbol(symbols::IO_TOKENS).unwrap().offset as u32,
            outputs: l.symbol(symbols::IO_OUTPUTS).unwrap().offset as u32,
            data_bytes: image.data.len() as u32,
        }
    );
    for (k, i) in image.program.iter().enumerate() {
        let at = program.offset as usize + 16 * k;
        assert_eq!(isa::decode(&image.data[at..at + 16]).unwrap(), *i);
    }
    // Regions are aligned, inside their bank and disjoint.
    for bank in [Bank::Data, Bank::Weight(0)] {
        let mut regions: Vec<_> = l.symbols.iter().filter(|s| s.bank == bank).collect();
        regions.sort_by_key(|s| s.offset);
        let size = match bank {
            Bank::Data => image.data.len(),
            Bank::Weight(_) => image.weights[0].len(),
        } as u64;
        for pair in regions.windows(2) {
            assert!(pair[0].offset + pair[0].bytes <= pair[1].offset, "{pair:?}");
        }
        for s in &regions {
            assert_eq!(s.offset % 64, 0, "{}", s.name);
            assert!(s.offset + s.bytes <= size, "{}", s.name);
        }
    }
    // Parameters, an embedding row and the zero state read back as the model's values.
    let read = |name: &str, b: usize, n: usize| {
        let at = l.address(name, b).unwrap() as usize;
        devmem::decode_bfp(&image.data[at..], n).unwrap()
    };
    assert_eq!(read("model.norm.weight", 0, 64), m.final_norm.fixed);
    assert_eq!(
        read("model.layers.1.attn.f_proj.norm.weight", 0, 64),
        m.layers[1].f_proj.norm.fixed
    );
    let table = l.symbol("model.embeddings.weight").unwrap();
    let row = 77 * devmem::bfp_bytes(64);
    let got = devmem::decode_bfp(&image.data[table.offset as usize + row..], 64).unwrap();
    assert_eq!(got, Bfp::from_f32(&m.embedding_row(77)));
    for b in 0..3 {
        assert_eq!(read(&symbols::state(1), b, 64), Bfp::zeros(64));
    }
    let lb = l.symbol("model.layers.1.lower_bound").unwrap();
    assert_eq!(
        devmem::decode_gates(&image.data[lb.offset as usize..], 64).unwrap(),
        m.layers[1].lower_bound.fixed
    );
    assert!(image.dump().contains("; layer 1\n"));
}

#[test]
fn models_that_do_not_fit_are_refused_in_one_line() {
    let small = model(ModelShape::preset("small").unwrap());
    let up5k = HwConfig::preset("up5k").unwrap();
    let e = compile(&small, &up5k, &Options::default())
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "hidden size = 256 exceeds the max_hidden = 64 of hardware configuration 'up5k'"
    );
    let narrow = HwConfig {
        max_vocab: 1024,
        ..tiny()
    };
    let e = compile(&small, &narrow, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("vocabulary = 4096 exceeds the max_vocab = 1024"),
        "{e}"
    );
    let little = HwConfig {
        device_bytes: 4 << 20,
        ..tiny()
    };
    let e = compile(&small, &little, &Options::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("the image needs 5648256 bytes (5.4 MiB)")
            && e.ends_with("has 4194304 bytes (4.0 MiB) of device memory"),
        "{e}"
    );
    assert!(!e.contains('\n'));
}
