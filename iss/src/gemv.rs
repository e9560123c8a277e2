//! The ternary engines (ACCELERATOR.md section 1): `acc[r] = sum_j w[r][j] * codes[j]` with row `r`
//! read from bank `r mod P` at `offset + (r div P) * row_bytes` (section 2), each row's weights used
//! for all B code vectors. Each bank's rows are one strided matrix, so the product runs on the CPU
//! GEMV kernels of `mmfree-gemv` (the AVX2 kernel for pack2, the scalar one for pack5); the sums
//! are exact `i32`, so the order of the additions does not matter.

use mmfree_spec::hw::HwConfig;
use mmfree_spec::pack::Packing;

/// A GEMV's operands: the matrix in the banks and the B code vectors.
pub struct Gemv<'a> {
    /// The weight banks, in port order.
    pub banks: &'a [&'a [u8]],
    /// Byte offset of the matrix in every bank.
    pub offset: usize,
    /// Bytes of one padded row.
    pub row_bytes: usize,
    /// Matrix rows.
    pub rows: usize,
    /// One code vector per sequence, zero-extended to the padded row's weights.
    pub codes: &'a [Vec<i8>],
}

/// Runs the product; returns `acc[b][r]` for every sequence `b`, or what the weights' kernel
/// refused (the first invalid byte, located in its bank).
pub fn run(g: &Gemv<'_>, cfg: &HwConfig) -> Result<Vec<Vec<i32>>, String> {
    let ports = g.banks.len();
    let cols = g.row_bytes * cfg.packing.weights_per_byte();
    let mut acc = vec![vec![0i32; g.rows]; g.codes.len()];
    let mut out = Vec::new();
    for (p, bank) in g.banks.iter().enumerate() {
        // Rows r < rows with r mod P = p.
        let n = (g.rows + ports - 1 - p) / ports;
        if n == 0 {
            continue;
        }
        let matrix = &bank[g.offset..g.offset + n * g.row_bytes];
        // A device's banks hold whatever the host wrote, and the fast Pack2 product does not look
        // for code 3 (the model loader refuses it), so the bank's rows are checked once here.
        if cfg.packing == Packing::Pack2 {
            mmfree_gemv::check_pack2_codes(matrix, n, cols, g.row_bytes)
                .map_err(|e| refusal(e, cfg.packing, p, g.offset, g.row_bytes))?;
        }
        for (b, codes) in g.codes.iter().enumerate() {
            out.resize(n, 0);
            product(
                cfg.packing,
                matrix,
                n,
                cols,
                g.row_bytes,
                &codes[..cols],
                &mut out,
            )
            .map_err(|e| refusal(e, cfg.packing, p, g.offset, g.row_bytes))?;
            for (k, &v) in out.iter().enumerate() {
                acc[b][k * ports + p] = v;
            }
        }
    }
    Ok(acc)
}

fn product(
    packing: Packing,
    w: &[u8],
    rows: usize,
    cols: usize,
    row_bytes: usize,
    q: &[i8],
    acc: &mut [i32],
) -> mmfree_gemv::Result<()> {
    match packing {
        Packing::Pack2 => mmfree_gemv::gemv(w, rows, cols, row_bytes, q, acc),
        Packing::Pack5 => mmfree_gemv::gemv_pack5_scalar(w, rows, cols, row_bytes, q, acc),
    }
}

/// Describes a refusal, locating an invalid weight byte in its bank.
fn refusal(
    e: mmfree_gemv::Error,
    packing: Packing,
    bank: usize,
    offset: usize,
    row_bytes: usize,
) -> String {
    match e {
        mmfree_gemv::Error::BadCode {
            row,
            offset: at,
            byte,
            ..
        } => {
            let at = offset + row * row_bytes + at;
            format!(
                "byte 0x{byte:02x} at offset 0x{at:x} of weight bank {bank} is not a {packing:?} code"
            )
        }
        other => format!("ternary product refused: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_interleave_over_banks_and_every_sequence_shares_them() {
        // Two banks, 3 rows of 8 trits in Pack2 (2 bytes a row), rows 0 and 2 in bank 0.
        let cfg = HwConfig {
            weight_ports: 2,
            port_bits: 16,
            ..HwConfig::preset("tiny").unwrap()
        };
        let rows: [[i8; 8]; 3] = [
            [1, -1, 0, 1, 1, 1, 1, 1],
            [0, 0, 0, 0, 0, 0, 0, -1],
            [-1, -1, -1, -1, 1, 0, 0, 0],
        ];
        let mut banks = [vec![0x55u8; 4], vec![0x55u8; 4]];
        for (r, w) in rows.iter().enumerate() {
            let at = (r / 2) * 2;
            Packing::Pack2
                .pack_row(w, &mut banks[r % 2][at..at + 2])
                .unwrap();
        }
        let codes = vec![vec![1i8, 2, 3, 4, 5, 6, 7, 8], vec![-127i8; 8]];
        let product = |banks: &[Vec<u8>; 2]| {
            let refs: Vec<&[u8]> = banks.iter().map(|b| b.as_slice()).collect();
            let g = Gemv {
                banks: &refs,
                offset: 0,
                row_bytes: 2,
                rows: 3,
                codes: &codes,
            };
            run(&g, &cfg)
        };
        let acc = product(&banks).unwrap();
        // Written out by hand: 1-2+4+5+6+7+8 = 29, -8, -1-2-3-4+5 = -5.
        assert_eq!(acc[0], vec![29, -8, -5]);
        assert_eq!(acc[1], vec![-127 * 5, 127, 127 * 3]);
        banks[1][1] = 0xff;
        assert_eq!(
            product(&banks).unwrap_err(),
            "byte 0xff at offset 0x1 of weight bank 1 is not a Pack2 code"
        );
    }
}
