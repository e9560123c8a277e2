//! Choosing the next token from a device's logits: greedy, or temperature / top-k / top-p
//! sampling from a seeded generator, defined so that the same seed picks the same tokens on every
//! device that implements the fixed-point contract (`ref`, `iss`, `sim`, a card).
//!
//! The arithmetic, in this order, on the logits `x_j` the device returned (for contract devices
//! the dequantized fixed-point logits `m_j * 2^e` of docs/NUMERICS.md, converted to f64 exactly;
//! for `golden` its f32 logits widened to f64):
//!
//! 1. Temperature 0 is greedy: the device's own argmax (first on ties); no random number is drawn.
//! 2. Rank the ids by logit, largest first, ties by the smaller id.
//! 3. Top-k keeps the first `k` of that ranking.
//! 4. Weights `w_j = exp((x_j - x_max) / T)` in f64 (the largest weight is exactly 1), summed in
//!    ranking order into running totals `c_1 <= c_2 <= ...`.
//! 5. Top-p keeps the shortest prefix whose total reaches `p` times the sum (`p = 1` keeps all).
//! 6. One draw `u = (r >> 11) * 2^-53` from the next 64-bit output `r` of ChaCha20 seeded with
//!    `--seed` (`rand_chacha`'s `seed_from_u64`); the token is the first of the kept prefix whose
//!    running total exceeds `u` times the kept total.
//!
//! Every step is a fixed sequence of f64 operations on bit-identical inputs, so devices whose
//! logits agree in every bit (what `--check` proves) also agree on every sampled token. Each
//! sequence has its own generator seeded with the same seed, so a prompt's tokens depend on the
//! prompt and the seed only, not on its place in a prompts file or in a batch.

use rand_chacha::ChaCha20Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};

/// How the next token is chosen; the default is greedy.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sampling {
    /// Softmax temperature; 0 means greedy.
    pub temperature: f64,
    /// Keep only the `k` most likely tokens.
    pub top_k: Option<usize>,
    /// Keep the most likely tokens whose probabilities sum to at least `p`, in `(0, 1]`.
    pub top_p: f64,
    /// Seed of each sequence's generator.
    pub seed: u64,
}

impl Default for Sampling {
    fn default() -> Self {
        Sampling {
            temperature: 0.0,
            top_k: None,
            top_p: 1.0,
            seed: 0,
        }
    }
}

impl Sampling {
    /// Whether no random choice is made.
    pub fn is_greedy(&self) -> bool {
        self.temperature == 0.0
    }

    /// Refuses values outside their ranges, and top-k or top-p without a temperature (they
    /// would silently have no effect on a greedy run).
    pub fn validate(&self) -> Result<(), String> {
        temperature_ok(self.temperature)?;
        top_p_ok(self.top_p)?;
        if let Some(k) = self.top_k {
            top_k_ok(k)?;
        }
        if self.is_greedy() && (self.top_k.is_some() || self.top_p < 1.0) {
            return Err(
                "--top-k and --top-p shape sampling, which needs --temperature above 0 \
                 (temperature 0 is greedy)"
                    .into(),
            );
        }
        Ok(())
    }
}

fn temperature_ok(t: f64) -> Result<f64, String> {
    if t.is_finite() && t >= 0.0 {
        Ok(t)
    } else {
        Err(format!("the temperature must be finite and >= 0, not {t}"))
    }
}

fn top_p_ok(p: f64) -> Result<f64, String> {
    if p > 0.0 && p <= 1.0 {
        Ok(p)
    } else {
        Err(format!("top-p must be in (0, 1], not {p}"))
    }
}

fn top_k_ok(k: usize) -> Result<usize, String> {
    if k >= 1 {
        Ok(k)
    } else {
        Err("top-k must be >= 1, not 0".into())
    }
}

/// Parses `--temperature` (clap value parser).
pub fn parse_temperature(s: &str) -> Result<f64, String> {
    let t = s
        .parse::<f64>()
        .map_err(|_| format!("the temperature must be a number >= 0, not '{s}'"))?;
    temperature_ok(t)
}

/// Parses `--top-p` (clap value parser).
pub fn parse_top_p(s: &str) -> Result<f64, String> {
    let p = s
        .parse::<f64>()
        .map_err(|_| format!("top-p must be a number in (0, 1], not '{s}'"))?;
    top_p_ok(p)
}

/// Parses `--top-k` (clap value parser).
pub fn parse_top_k(s: &str) -> Result<usize, String> {
    let k = s
        .parse::<usize>()
        .map_err(|_| format!("top-k must be an integer >= 1, not '{s}'"))?;
    top_k_ok(k)
}

/// Parses `--seed` (clap value parser; `-1` reaches it instead of reading as a flag).
pub fn parse_seed(s: &str) -> Result<u64, String> {
    s.parse::<u64>()
        .map_err(|_| format!("the seed must be an integer >= 0 and below 2^64, not '{s}'"))
}

/// One sequence's token chooser: the settings and that sequence's generator.
pub struct Sampler {
    cfg: Sampling,
    rng: ChaCha20Rng,
}

impl Sampler {
    /// A chooser whose generator starts from `cfg.seed`.
    pub fn new(cfg: Sampling) -> Sampler {
        Sampler {
            cfg,
            rng: ChaCha20Rng::seed_from_u64(cfg.seed),
        }
    }

    /// The next token from `logits`, whose greedy choice the device reported as `argmax`.
    pub fn choose(&mut self, logits: &[f64], argmax: usize) -> usize {
        if self.cfg.is_greedy() {
            return argmax;
        }
        let u = (self.rng.next_u64() >> 11) as f64 * (-53f64).exp2();
        pick(logits, &self.cfg, u)
    }
}

/// Steps 2 to 6 of the module doc for a uniform draw `u` in `[0, 1)`.
pub fn pick(logits: &[f64], cfg: &Sampling, u: f64) -> usize {
    let mut order: Vec<usize> = (0..logits.len()).collect();
    order.sort_by(|&a, &b| logits[b].total_cmp(&logits[a]).then(a.cmp(&b)));
    order.truncate(cfg.top_k.unwrap_or(order.len()).max(1));
    let top = logits[order[0]];
    let mut running = Vec::with_capacity(order.len());
    let mut total = 0.0f64;
    for &j in &order {
        total += ((logits[j] - top) / cfg.temperature).exp();
        running.push(total);
    }
    let kept = running
        .iter()
        .position(|&c| c >= cfg.top_p * total)
        .unwrap_or(running.len() - 1)
        + 1;
    let target = u * running[kept - 1];
    let at = running[..kept]
        .iter()
        .position(|&c| c > target)
        .unwrap_or(kept - 1);
    order[at]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sampled(t: f64) -> Sampling {
        Sampling {
            temperature: t,
            ..Sampling::default()
        }
    }

    #[test]
    fn draws_split_the_unit_interval_by_probability() {
        // Weights exp(0), exp(-ln 3) = 1/3: probabilities 3/4 and 1/4.
        let logits = [0.0, 3f64.ln(), -50.0];
        let cfg = sampled(1.0);
        assert_eq!(pick(&logits, &cfg, 0.0), 1);
        assert_eq!(pick(&logits, &cfg, 0.749), 1);
        assert_eq!(pick(&logits, &cfg, 0.751), 0);
        // The third id has probability below 2e-22: no draw short of 1 reaches it.
        assert_eq!(pick(&logits, &cfg, 1.0 - 1e-16), 0);
    }

    #[test]
    fn top_k_and_top_p_cut_the_ranking() {
        let logits = [1.0, 3.0, 2.0, 3.0];
        // Ranking 1, 3 (tie, smaller id first), 2, 0; top-1 is always id 1.
        let k1 = Sampling {
            top_k: Some(1),
            ..sampled(5.0)
        };
        assert_eq!(pick(&logits, &k1, 0.99), 1);
        let k2 = Sampling {
            top_k: Some(2),
            ..sampled(5.0)
        };
        assert_eq!(pick(&logits, &k2, 0.99), 3);
        // Equal logits 0, 0: each half. p = 0.5 keeps the first only.
        let p = Sampling {
            top_p: 0.5,
            ..sampled(1.0)
        };
        assert_eq!(pick(&[0.0, 0.0], &p, 0.9), 0);
        assert_eq!(pick(&[0.0, 0.0], &sampled(1.0), 0.9), 1);
    }

    #[test]
    fn low_temperatures_approach_greedy_and_zero_is_greedy() {
        let logits = [0.0, 1.0, 0.5];
        assert_eq!(pick(&logits, &sampled(1e-300), 0.999_999), 1);
        let mut s = Sampler::new(Sampling::default());
        // Greedy returns the device's argmax even where a draw would differ.
        assert_eq!(s.choose(&logits, 2), 2);
    }

    #[test]
    fn the_same_seed_draws_the_same_sequence() {
        let logits: Vec<f64> = (0..50).map(|j| (j % 7) as f64 * 0.3).collect();
        let run = |seed| {
            let mut s = Sampler::new(Sampling {
                seed,
                ..sampled(2.0)
            });
            (0..40).map(|_| s.choose(&logits, 0)).collect::<Vec<_>>()
        };
        assert_eq!(run(7), run(7));
        assert_ne!(run(7), run(8));
    }

    #[test]
    fn ranges_are_checked() {
        assert!(parse_temperature("-0.5").unwrap_err().contains(">= 0"));
        assert!(parse_temperature("inf").unwrap_err().contains("finite"));
        assert!(parse_temperature("NaN").is_err());
        assert_eq!(parse_temperature("0.7"), Ok(0.7));
        assert!(parse_top_p("0").unwrap_err().contains("(0, 1]"));
        assert!(parse_top_p("1.5").is_err());
        assert_eq!(parse_top_p("1"), Ok(1.0));
        assert!(parse_top_k("0").unwrap_err().contains(">= 1"));
        assert!(parse_top_k("-3").unwrap_err().contains(">= 1"));
        assert!(parse_seed("-1").unwrap_err().contains(">= 0"));
        assert_eq!(parse_seed("18446744073709551615"), Ok(u64::MAX));
        let greedy_top_k = Sampling {
            top_k: Some(3),
            ..Sampling::default()
        };
        assert!(
            greedy_top_k
                .validate()
                .unwrap_err()
                .contains("--temperature")
        );
        assert!(sampled(0.8).validate().is_ok());
    }
}
