//! One model against another over a token stream (NUMERICS.md section 8): normally the fixed-point
//! model (the candidate) against the golden model (the reference).
//!
//! The reference generates greedily from the prompt; both models are then fed the same tokens
//! (teacher forcing), so every position compares the two models' next-token logits on identical
//! inputs. Reported per position: whether the greedy choices agree, the largest and mean absolute
//! logit error, the error relative to the reference logits' RMS, and the cosine of the two logit
//! vectors. Mismatches carry the reference's top-1/top-2 margin (in units of the logits' RMS), so a
//! reader can tell a near-tie from a real error.

use crate::{Decoder, Result, Step};

/// What one position of the stream showed.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Position {
    /// Index in the stream (0 = after the first prompt token).
    pub index: usize,
    /// The token fed at this position.
    pub token: u32,
    /// Greedy choice of the reference.
    pub reference: usize,
    /// Greedy choice of the candidate.
    pub candidate: usize,
    /// Largest absolute logit difference.
    pub max_abs_err: f64,
    /// Mean absolute logit difference.
    pub mean_abs_err: f64,
    /// RMS of the difference over RMS of the reference logits.
    pub rel_rms_err: f64,
    /// Cosine of the two logit vectors.
    pub cosine: f64,
    /// Reference top-1 minus top-2 logit, over the reference logits' RMS.
    pub reference_margin: f64,
}

/// The summary over a stream.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Report {
    /// Positions compared.
    pub positions: usize,
    /// Positions whose greedy choices agree.
    pub agree: usize,
    /// `agree / positions`.
    pub top1_agreement: f64,
    /// Largest absolute logit error anywhere.
    pub max_abs_err: f64,
    /// Mean absolute logit error over all positions and entries.
    pub mean_abs_err: f64,
    /// Largest per-position relative RMS error.
    pub max_rel_rms_err: f64,
    /// Smallest per-position cosine.
    pub min_cosine: f64,
    /// Mean per-position cosine.
    pub mean_cosine: f64,
    /// Every position, in order.
    pub detail: Vec<Position>,
}

fn position(index: usize, token: u32, g: &Step, f: &Step) -> Position {
    let n = g.logits.len() as f64;
    let (mut max_abs, mut sum_abs, mut sq_err, mut dot, mut gg, mut ff) =
        (0f64, 0f64, 0f64, 0f64, 0f64, 0f64);
    for (&a, &b) in g.logits.iter().zip(&f.logits) {
        let (a, b) = (a as f64, b as f64);
        let d = (a - b).abs();
        max_abs = max_abs.max(d);
        sum_abs += d;
        sq_err += d * d;
        dot += a * b;
        gg += a * a;
        ff += b * b;
    }
    let rms = (gg / n).sqrt();
    let mut sorted = g.logits.clone();
    sorted.sort_by(|x, y| y.total_cmp(x));
    let margin = if sorted.len() > 1 {
        (sorted[0] - sorted[1]) as f64
    } else {
        f64::INFINITY
    };
    let cosine = if gg == 0.0 || ff == 0.0 {
        if gg == ff { 1.0 } else { 0.0 }
    } else {
        dot / (gg.sqrt() * ff.sqrt())
    };
    Position {
        index,
        token,
        reference: g.argmax,
        candidate: f.argmax,
        max_abs_err: max_abs,
        mean_abs_err: sum_abs / n,
        rel_rms_err: if rms > 0.0 {
            (sq_err / n).sqrt() / rms
        } else {
            0.0
        },
        cosine,
        reference_margin: if rms > 0.0 { margin / rms } else { 0.0 },
    }
}

/// Runs the prompt and `new_tokens` greedy continuations of the reference through both models;
/// `on_position` sees each position as it completes (for progress output).
pub fn compare(
    reference: &mut dyn Decoder,
    candidate: &mut dyn Decoder,
    prompt: &[u32],
    new_tokens: usize,
    on_position: &mut dyn FnMut(&Position, usize),
) -> Result<Report> {
    let total = prompt.len() + new_tokens;
    let mut detail = Vec::with_capacity(total);
    let mut token = *prompt.first().unwrap_or(&0);
    for index in 0..total {
        if index < prompt.len() {
            token = prompt[index];
        }
        let g = reference.step(token)?;
        let f = candidate.step(token)?;
        let p = position(index, token, &g, &f);
        on_position(&p, total);
        detail.push(p);
        token = g.argmax as u32;
    }
    Ok(summarize(detail))
}

fn summarize(detail: Vec<Position>) -> Report {
    let n = detail.len().max(1) as f64;
    let agree = detail.iter().filter(|p| p.reference == p.candidate).count();
    Report {
        positions: detail.len(),
        agree,
        top1_agreement: agree as f64 / n,
        max_abs_err: detail.iter().map(|p| p.max_abs_err).fold(0.0, f64::max),
        mean_abs_err: detail.iter().map(|p| p.mean_abs_err).sum::<f64>() / n,
        max_rel_rms_err: detail.iter().map(|p| p.rel_rms_err).fold(0.0, f64::max),
        min_cosine: detail.iter().map(|p| p.cosine).fold(1.0, f64::min),
        mean_cosine: detail.iter().map(|p| p.cosine).sum::<f64>() / n,
        detail,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(logits: Vec<f32>) -> Step {
        let argmax = crate::golden::argmax(&logits);
        Step { logits, argmax }
    }

    #[test]
    fn position_metrics_match_hand_values() {
        let g = step(vec![3.0, 1.0, -1.0, 1.0]);
        let f = step(vec![2.0, 2.0, -1.0, 1.0]);
        let p = position(4, 9, &g, &f);
        assert_eq!((p.reference, p.candidate), (0, 0)); // tie 2.0 = 2.0 takes the first
        assert_eq!(p.max_abs_err, 1.0);
        assert_eq!(p.mean_abs_err, 0.5);
        // rms(g) = sqrt(12/4) = sqrt(3); rms(diff) = sqrt(2/4)
        assert!((p.rel_rms_err - (0.5f64).sqrt() / 3f64.sqrt()).abs() < 1e-12);
        assert!((p.cosine - 10.0 / (12f64.sqrt() * 10f64.sqrt())).abs() < 1e-12);
        assert!((p.reference_margin - 2.0 / 3f64.sqrt()).abs() < 1e-12);
        let r = summarize(vec![
            p.clone(),
            Position {
                candidate: 1,
                cosine: 0.5,
                ..p
            },
        ]);
        assert_eq!((r.positions, r.agree, r.top1_agreement), (2, 1, 0.5));
        assert_eq!((r.min_cosine, r.max_abs_err), (0.5, 1.0));
    }
}
