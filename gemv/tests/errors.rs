//! Bad input to every entry point gives the same one-line error, never a panic: invalid codes are
//! named by row, byte offset and byte (by the oracle and `check_pack2_codes`; the fast kernels
//! leave codes to the model loader); lengths by the buffer at fault.

use mmfree_gemv::{
    Error, Kernel, check_pack2_codes, gemv, gemv_pack5_scalar, gemv_scalar, gemv_single,
};

type Entry = fn(&[u8], usize, usize, usize, &[i8], &mut [i32]) -> mmfree_gemv::Result<()>;

fn entries() -> Vec<(&'static str, Entry)> {
    let mut all: Vec<(&'static str, Entry)> = vec![
        ("gemv_scalar", gemv_scalar),
        ("gemv_single", gemv_single),
        ("gemv", gemv),
    ];
    if Kernel::Avx2.is_available() {
        all.push(("avx2", |w, r, c, rb, q, a| {
            Kernel::Avx2.gemv(w, r, c, rb, q, a)
        }));
    }
    all
}

#[test]
fn a_code_three_is_named_by_the_oracle_and_the_check_and_counts_two_in_the_fast_kernels() {
    let (rows, cols, row_bytes) = (300, 1000, 256);
    for (row, weight) in [(0, 0), (137, 999), (299, 513)] {
        let mut w = vec![0x55u8; rows * row_bytes];
        w[row * row_bytes + weight / 4] |= 3 << (2 * (weight % 4));
        let byte = w[row * row_bytes + weight / 4];
        let want = Error::BadCode {
            format: "pack2",
            row,
            offset: weight / 4,
            byte,
        };
        assert_eq!(
            check_pack2_codes(&w, rows, cols, row_bytes),
            Err(want.clone())
        );
        let mut acc = vec![7; rows];
        assert_eq!(
            gemv_scalar(&w, rows, cols, row_bytes, &[1; 1000], &mut acc),
            Err(want)
        );
        assert_eq!(acc, vec![7; rows], "the oracle refuses before writing");
        // Unvalidated rows: every fast kernel reads code 3 as `code - 1 = 2`, the same value.
        let q: Vec<i8> = (0..cols).map(|j| (j % 7) as i8 - 3).collect();
        let mut want_acc = vec![0; rows];
        want_acc[row] = 2 * i32::from(q[weight]);
        for (name, f) in entries().into_iter().filter(|(n, _)| *n != "gemv_scalar") {
            let mut acc = vec![0; rows];
            f(&w, rows, cols, row_bytes, &q, &mut acc).unwrap();
            assert_eq!(acc, want_acc, "{name}");
        }
    }
    let msg = Error::BadCode {
        format: "pack2",
        row: 2,
        offset: 9,
        byte: 0x57,
    }
    .to_string();
    assert_eq!(
        msg,
        "row 2: byte 0x57 at offset 9 holds an invalid pack2 code"
    );
}

#[test]
fn a_code_three_in_padding_is_ignored_by_every_kernel() {
    let (rows, cols, row_bytes) = (9, 1000, 256);
    let mut w = vec![0b01_01_01_10u8; rows * row_bytes]; // weight +1 every fourth column
    for r in 0..rows {
        w[r * row_bytes + 255] = 0xff; // weights 1020..1024: padding
    }
    for (name, f) in entries() {
        let mut acc = vec![0; rows];
        f(&w, rows, cols, row_bytes, &[2; 1000], &mut acc).unwrap();
        assert_eq!(acc, vec![2 * 250; rows], "{name}");
    }
}

#[test]
fn wrong_lengths_are_named_by_every_entry_point() {
    let w = vec![0x55u8; 4 * 32];
    for (name, f) in entries() {
        let e = f(&w, 4, 100, 32, &[0; 99], &mut [0; 4]).unwrap_err();
        assert_eq!(
            e,
            Error::Length {
                what: "activations q (cols)",
                expected: 100,
                got: 99
            },
            "{name}"
        );
        let e = f(&w, 4, 100, 32, &[0; 100], &mut [0; 5]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "accumulators acc (rows): expected 4 elements, got 5",
            "{name}"
        );
        let e = f(&w, 5, 100, 32, &[0; 100], &mut [0; 5]).unwrap_err();
        assert!(
            matches!(
                e,
                Error::Length {
                    expected: 160,
                    got: 128,
                    ..
                }
            ),
            "{name}: {e}"
        );
        let e = f(&w, 4, 200, 32, &[0; 200], &mut [0; 4]).unwrap_err();
        assert_eq!(
            e,
            Error::RowStride {
                format: "pack2",
                cols: 200,
                row_bytes: 32,
                needed: 50
            },
            "{name}"
        );
    }
    let e = gemv_pack5_scalar(&w, 4, 200, 32, &[0; 200], &mut [0; 4]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "row_bytes 32 cannot hold 200 pack5 weights (needs at least 40)"
    );
}

#[test]
fn unavailable_kernels_refuse_by_name() {
    for kernel in [Kernel::Scalar, Kernel::Avx2] {
        let r = kernel.gemv(&[0x55; 32], 1, 128, 32, &[0; 128], &mut [0]);
        match r {
            Ok(()) => assert!(kernel.is_available()),
            Err(e) => assert_eq!(
                e,
                Error::KernelUnavailable {
                    kernel: kernel.name()
                }
            ),
        }
    }
    assert_eq!(
        Kernel::detect() == Kernel::Avx2,
        Kernel::Avx2.is_available()
    );
    assert!(Kernel::Scalar.is_available());
}
