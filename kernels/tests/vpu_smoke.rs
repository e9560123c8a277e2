mod common;
use common::vpu_rig::{Command, VpuRig};
use mmfree_kernels::declare_vpu;
use mmfree_kernels::vpu::{VpuConfig, VpuOp};
use mmfree_spec::format::Bfp;
use mmfree_spec::ops;

declare_vpu!(Vpu4, 4, 4);

#[test]
fn smoke() -> anyhow::Result<()> {
    let cfg = VpuConfig::new(4, 64, 2)?;
    let t = std::time::Instant::now();
    let vpu = Vpu4::new(&cfg)?;
    let model = common::verilate(vpu, "vpu4_smoke")?;
    println!("build {:?}", t.elapsed());
    let mut rig = VpuRig::new(model, cfg)?;
    let a = Bfp::from_f32(&[1.0, 2.0, -3.0, 0.5, 7.0]);
    let b = Bfp::from_f32(&[0.25, 2.0, 3.0, 0.5, -1e-3]);
    rig.write_bfp(1, &a)?;
    rig.write_bfp(2, &b)?;
    let back = rig.read_bfp(1, 5)?;
    assert_eq!(back, a);
    for op in [VpuOp::Add, VpuOp::Mul] {
        let out = rig.run(Command { op, vd: 3, va: 1, vb: 2, len: 5, imm: (0, 0) }, 10_000)?;
        let got = rig.read_bfp(3, 5)?;
        let want = if op == VpuOp::Add { ops::add(&a, &b) } else { ops::mul(&a, &b) };
        println!("{op:?} cycles {} error {}", out.cycles, out.error);
        assert_eq!(got, want, "{op:?}");
    }
    Ok(())
}
