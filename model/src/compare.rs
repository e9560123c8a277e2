//! Bit-exact comparison of two models, part by part: how tests and `convert --check`-style tools
//! prove that two loading paths (HF conversion, packed file, random generation) agree.

use crate::model::{BitLinear, Component, Embedding, LowerBound, Model, Norm};

fn same_f32(a: &[f32], b: &[f32]) -> Option<String> {
    if a.len() != b.len() {
        return Some(format!("length {} vs {}", a.len(), b.len()));
    }
    let i = a
        .iter()
        .zip(b)
        .position(|(x, y)| x.to_bits() != y.to_bits())?;
    Some(format!("element {i}: {} vs {}", a[i], b[i]))
}

fn same_bytes(what: &str, a: &[u8], b: &[u8]) -> Option<String> {
    if a.len() != b.len() {
        return Some(format!("{what}: {} bytes vs {}", a.len(), b.len()));
    }
    let i = a.iter().zip(b).position(|(x, y)| x != y)?;
    Some(format!("{what}: byte {i}: {:#04x} vs {:#04x}", a[i], b[i]))
}

fn norm_diff(a: &Norm, b: &Norm) -> Option<String> {
    if let Some(d) = same_f32(&a.f32, &b.f32) {
        return Some(format!("f32 {d}"));
    }
    (a.fixed != b.fixed).then(|| {
        format!(
            "BFP exponent {} vs {} or mantissas differ",
            a.fixed.exp, b.fixed.exp
        )
    })
}

fn linear_diff(a: &BitLinear, b: &BitLinear) -> Option<String> {
    let (wa, wb) = (&a.weight, &b.weight);
    if (wa.rows, wa.cols) != (wb.rows, wb.cols) {
        return Some(format!(
            "shape [{}, {}] vs [{}, {}]",
            wa.rows, wa.cols, wb.rows, wb.cols
        ));
    }
    if let Some(d) = same_bytes("packed weights", &wa.data, &wb.data) {
        return Some(d);
    }
    if a.alpha.to_bits() != b.alpha.to_bits() || a.alpha_fixed != b.alpha_fixed {
        return Some(format!(
            "alpha {} ({:?}) vs {} ({:?})",
            a.alpha, a.alpha_fixed, b.alpha, b.alpha_fixed
        ));
    }
    norm_diff(&a.norm, &b.norm).map(|d| format!("norm {d}"))
}

fn lower_bound_diff(a: &LowerBound, b: &LowerBound) -> Option<String> {
    if let Some(d) = same_f32(&a.f32, &b.f32) {
        return Some(format!("f32 {d}"));
    }
    if a.fixed.len() != b.fixed.len() {
        return Some(format!(
            "GATE length {} vs {}",
            a.fixed.len(),
            b.fixed.len()
        ));
    }
    let i = a.fixed.iter().zip(&b.fixed).position(|(x, y)| x != y)?;
    Some(format!(
        "GATE element {i}: {} vs {}",
        a.fixed[i], b.fixed[i]
    ))
}

fn embedding_diff(a: &Embedding, b: &Embedding) -> Option<String> {
    match (a, b) {
        (Embedding::Bf16(x), Embedding::Bf16(y)) | (Embedding::F32(x), Embedding::F32(y)) => {
            same_bytes("values", x, y)
        }
        _ => Some("stored in different precisions (bf16 vs f32)".into()),
    }
}

fn component_diff(a: Component<'_>, b: Component<'_>) -> Option<String> {
    match (a, b) {
        (Component::Linear(x), Component::Linear(y)) => linear_diff(x, y),
        (Component::Norm(x), Component::Norm(y)) => norm_diff(x, y),
        (Component::LowerBound(x), Component::LowerBound(y)) => lower_bound_diff(x, y),
        (Component::Embedding(x), Component::Embedding(y)) => embedding_diff(x, y),
        _ => Some("different kinds of component".into()),
    }
}

impl Model {
    /// The first part in which two models differ in any bit, as `"<base name>: <what>"`, or `None`
    /// when they are identical (shape, every packed weight, scale, norm, lower bound, embedding).
    pub fn first_difference(&self, other: &Model) -> Option<String> {
        if self.shape != other.shape {
            return Some(format!("shape {:?} vs {:?}", self.shape, other.shape));
        }
        let (a, b) = (self.components(), other.components());
        if a.len() != b.len() {
            return Some(format!("{} components vs {}", a.len(), b.len()));
        }
        a.into_iter()
            .zip(b)
            .find_map(|((name, x), (_, y))| component_diff(x, y).map(|d| format!("{name}: {d}")))
    }
}
