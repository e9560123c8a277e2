//! The JSON vector runner of `mmfree neuron` (docs/NEURON.md section 7) over the reference step
//! of neuron-models.md section 4.3.
//!
//! Input: `{"cases": [{"name", "config" | "preset", "init", "steps": [{"x", "f"}]}]}`. A preset may
//! stand beside `config` or inside it as the key `"preset"`; the other `config` keys override it.
//! Output: `{"cases": [{"name", "out", "v", "u"?, "th"?, "r"?}]}`, the values after each step, with
//! `u` only for cases with the current stage and `th`, `r` only for adaptive ones. Two extra case
//! keys are accepted: `expect` (the expected output, same keys; every value given is compared, and
//! the first difference is an error) and `note` (free text). A case with neither `config` nor
//! `preset` takes the defaults; `init` may give a state the configuration does not use at its
//! starting value. Every input error is one line naming the case and the key.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::config::NeuronConfig;
use super::step::{NeuronState, StepOutput, step_checked};
use crate::error::{Error, Result};

/// Keys a case object may hold.
const CASE_KEYS: [&str; 7] = [
    "name", "config", "preset", "init", "steps", "expect", "note",
];

/// Why `th` and `r` are unused.
const NO_ADAPT: &str = "no adaptive threshold (adapt = false)";

/// One step's inputs: `x`, and the gate `f` (read only by gated cases).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StepInput {
    /// Synaptic input.
    pub x: i64,
    /// Gate of the gated (MLGRU) update; 0 when absent from a non-gated case.
    pub f: i64,
}

/// A case of a vector file with its configuration resolved and validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    /// The case's name, echoed in the output.
    pub name: String,
    /// Preset plus overrides, or the defaults plus overrides.
    pub config: NeuronConfig,
    /// State before the first step.
    pub init: NeuronState,
    /// Inputs of each step.
    pub steps: Vec<StepInput>,
    /// Expected output, when the file gives one (test vectors).
    pub expect: Option<Trace>,
}

/// Outputs and states after each step of one case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trace {
    /// Output of each step.
    pub out: Vec<i64>,
    /// Membrane after each step (an expectation may leave it out: empty).
    #[serde(default)]
    pub v: Vec<i64>,
    /// Current after each step (cases with `use_u` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub u: Option<Vec<i64>>,
    /// Adaptive threshold after each step (cases with `adapt` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub th: Option<Vec<i64>>,
    /// Refractory state after each step (cases with `adapt` only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r: Option<Vec<i64>>,
}

/// One case of the output document.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaseOutput {
    /// The case's name.
    pub name: String,
    /// Its trace.
    #[serde(flatten)]
    pub trace: Trace,
}

/// The output document `{"cases": [...]}`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct VectorsOutput {
    /// One entry per input case, in order.
    pub cases: Vec<CaseOutput>,
}

fn vec_err(at: &str, key: &str, why: impl Into<String>) -> Error {
    Error::NeuronVectors {
        at: format!("{at}, key '{key}'"),
        why: why.into(),
    }
}

fn case_err(at: &str, source: Error) -> Error {
    Error::NeuronCase {
        at: at.into(),
        source: Box::new(source),
    }
}

/// Parses a vector file into validated cases.
pub fn parse_vectors(text: &str) -> Result<Vec<Case>> {
    let root: Value = serde_json::from_str(text).map_err(|e| Error::NeuronVectors {
        at: "JSON".into(),
        why: e.to_string(),
    })?;
    let cases = root
        .as_object()
        .and_then(|o| o.get("cases"))
        .and_then(Value::as_array);
    let cases =
        cases.ok_or_else(|| vec_err("top level", "cases", "expected {\"cases\": [...]}"))?;
    cases
        .iter()
        .enumerate()
        .map(|(i, c)| parse_case(i, c))
        .collect()
}

fn parse_case(index: usize, value: &Value) -> Result<Case> {
    let at = format!("case #{index}");
    let obj = value.as_object().ok_or_else(|| Error::NeuronVectors {
        at: at.clone(),
        why: "expected an object".into(),
    })?;
    let name = match obj.get("name") {
        Some(Value::String(s)) => s.clone(),
        Some(_) => return Err(vec_err(&at, "name", "expected a string")),
        None => return Err(vec_err(&at, "name", "missing")),
    };
    let at = format!("case '{name}'");
    if let Some(key) = obj.keys().find(|k| !CASE_KEYS.contains(&k.as_str())) {
        return Err(vec_err(
            &at,
            key,
            format!("unknown key (a case has {})", CASE_KEYS.join(", ")),
        ));
    }
    let config = resolve_config(&at, obj)?;
    let init = parse_init(&at, &config, obj.get("init"))?;
    let steps = parse_steps(&at, &config, obj.get("steps"))?;
    let expect = match obj.get("expect") {
        Some(e) => {
            let t: Trace = serde_json::from_value(e.clone())
                .map_err(|err| vec_err(&at, "expect", err.to_string()))?;
            check_expect_shape(&at, &config, steps.len(), &t)?;
            Some(t)
        }
        None => None,
    };
    Ok(Case {
        name,
        config,
        init,
        steps,
        expect,
    })
}

/// The preset (beside or inside `config`) or the defaults, overridden by the other `config` keys.
fn resolve_config(at: &str, obj: &Map<String, Value>) -> Result<NeuronConfig> {
    let overrides = match obj.get("config") {
        Some(Value::Object(m)) => m.clone(),
        Some(_) => return Err(vec_err(at, "config", "expected an object")),
        // Neither config nor preset: the defaults apply (missing keys take the defaults).
        None => Map::new(),
    };
    let preset = match (obj.get("preset"), overrides.get("preset")) {
        (Some(_), Some(_)) => {
            return Err(vec_err(at, "preset", "given both beside and inside config"));
        }
        (Some(p), None) => Some((p, "preset")),
        (None, Some(p)) => Some((p, "config.preset")),
        (None, None) => None,
    };
    let base = match preset {
        Some((Value::String(name), _)) => {
            NeuronConfig::preset(name).map_err(|e| case_err(at, e))?
        }
        Some((_, key)) => return Err(vec_err(at, key, "expected a preset name")),
        None => NeuronConfig::default(),
    };
    let base = match serde_json::to_value(&base) {
        Ok(Value::Object(m)) => m,
        _ => unreachable!("a NeuronConfig serializes to an object"),
    };
    let mut merged = base.clone();
    for (key, value) in overrides.iter().filter(|(k, _)| k.as_str() != "preset") {
        let key_at = format!("config.{key}");
        if !base.contains_key(key) {
            return Err(vec_err(at, &key_at, "unknown config key"));
        }
        // Parse each override alone so that a type error names its key.
        let mut trial = base.clone();
        trial.insert(key.clone(), value.clone());
        serde_json::from_value::<NeuronConfig>(Value::Object(trial))
            .map_err(|e| vec_err(at, &key_at, e.to_string()))?;
        merged.insert(key.clone(), value.clone());
    }
    let cfg: NeuronConfig = serde_json::from_value(Value::Object(merged))
        .map_err(|e| vec_err(at, "config", e.to_string()))?;
    cfg.validate().map_err(|e| case_err(at, e))?;
    Ok(cfg)
}

fn int(at: &str, key: &str, value: &Value) -> Result<i64> {
    value
        .as_i64()
        .ok_or_else(|| vec_err(at, key, format!("expected a 64-bit integer, got {value}")))
}

fn parse_init(at: &str, cfg: &NeuronConfig, init: Option<&Value>) -> Result<NeuronState> {
    let mut state = NeuronState::initial(cfg);
    let obj = match init {
        None => return Ok(state),
        Some(Value::Object(m)) => m,
        Some(_) => return Err(vec_err(at, "init", "expected an object")),
    };
    for (key, value) in obj {
        let key_at = format!("init.{key}");
        let start = NeuronState::initial(cfg);
        let (slot, start, enabled, stage) = match key.as_str() {
            "u" => (
                &mut state.u,
                start.u,
                cfg.use_u,
                "no current stage (use_u = false)",
            ),
            "v" => (&mut state.v, start.v, true, ""),
            "th" => (&mut state.th, start.th, cfg.adapt, NO_ADAPT),
            "r" => (&mut state.r, start.r, cfg.adapt, NO_ADAPT),
            _ => return Err(vec_err(at, &key_at, "unknown state (init has u, v, th, r)")),
        };
        let value = int(at, &key_at, value)?;
        // A state the configuration does not use may still be given at its starting value.
        if !enabled && value != start {
            let why =
                format!("the case has {stage}, so only its starting value {start} is accepted");
            return Err(vec_err(at, &key_at, why));
        }
        *slot = value;
    }
    cfg.check_state(&state)
        .map_err(|e| case_err(&format!("{at}, init"), e))?;
    Ok(state)
}

fn parse_steps(at: &str, cfg: &NeuronConfig, steps: Option<&Value>) -> Result<Vec<StepInput>> {
    let steps = match steps {
        Some(Value::Array(a)) => a,
        Some(_) => return Err(vec_err(at, "steps", "expected an array")),
        None => return Err(vec_err(at, "steps", "missing")),
    };
    let mut inputs = Vec::with_capacity(steps.len());
    for (i, s) in steps.iter().enumerate() {
        let key = |k: &str| format!("steps[{i}].{k}");
        let obj = s.as_object().ok_or_else(|| {
            vec_err(
                at,
                &format!("steps[{i}]"),
                "expected an object {\"x\", \"f\"}",
            )
        })?;
        if let Some(k) = obj.keys().find(|k| !matches!(k.as_str(), "x" | "f")) {
            return Err(vec_err(at, &key(k), "unknown key (a step has x and f)"));
        }
        let x = obj
            .get("x")
            .ok_or_else(|| vec_err(at, &key("x"), "missing"))?;
        let x = int(at, &key("x"), x)?;
        let f = match obj.get("f") {
            Some(f) => int(at, &key("f"), f)?,
            None if cfg.gated => return Err(vec_err(at, &key("f"), "missing (the case is gated)")),
            None => 0,
        };
        cfg.check_input(x, f)
            .map_err(|e| case_err(&format!("{at}, step {i}"), e))?;
        inputs.push(StepInput { x, f });
    }
    Ok(inputs)
}

/// The columns of a trace by name, `None` where the trace leaves one out.
fn columns(t: &Trace) -> [(&'static str, Option<&[i64]>); 5] {
    [
        ("out", Some(&t.out)),
        ("v", (!t.v.is_empty()).then_some(t.v.as_slice())),
        ("u", t.u.as_deref()),
        ("th", t.th.as_deref()),
        ("r", t.r.as_deref()),
    ]
}

/// Refuses an expectation with a column the case does not produce or a length other than the
/// number of steps, so that every expected value is compared.
fn check_expect_shape(at: &str, cfg: &NeuronConfig, steps: usize, t: &Trace) -> Result<()> {
    let made = Trace::from_outputs(cfg, &[]);
    for ((key, want), (_, made)) in columns(t).into_iter().zip(columns(&made)) {
        let key_at = format!("expect.{key}");
        match want {
            Some(_) if made.is_none() && key != "v" => {
                let why = match key {
                    "u" => "the case has no current stage (use_u = false)",
                    _ => NO_ADAPT,
                };
                return Err(vec_err(at, &key_at, format!("not produced: {why}")));
            }
            Some(w) if w.len() != steps => {
                let why = format!("{} values for {steps} steps", w.len());
                return Err(vec_err(at, &key_at, why));
            }
            _ => {}
        }
    }
    Ok(())
}

/// Compares a case's trace with its `expect`, if any: the first differing value is an error
/// naming the case, step, column, expected and produced value.
pub fn check_expect(case: &Case, got: &Trace) -> Result<()> {
    let Some(want) = &case.expect else {
        return Ok(());
    };
    for ((key, want), (_, got)) in columns(want).into_iter().zip(columns(got)) {
        let (Some(want), Some(got)) = (want, got) else {
            continue;
        };
        if let Some(i) = (0..want.len()).find(|&i| want[i] != got[i]) {
            return Err(Error::NeuronVectors {
                at: format!("case '{}', step {i}, {key}", case.name),
                why: format!("expected {}, got {}", want[i], got[i]),
            });
        }
    }
    Ok(())
}

/// Runs one case from its initial state.
pub fn run_case(case: &Case) -> Result<Trace> {
    let at = format!("case '{}'", case.name);
    let cfg = &case.config;
    cfg.validate().map_err(|e| case_err(&at, e))?;
    cfg.check_state(&case.init)
        .map_err(|e| case_err(&format!("{at}, init"), e))?;
    let mut state = case.init;
    let mut outputs = Vec::with_capacity(case.steps.len());
    for (i, s) in case.steps.iter().enumerate() {
        cfg.check_input(s.x, s.f)
            .map_err(|e| case_err(&format!("{at}, step {i}"), e))?;
        outputs.push(step_checked(cfg, &mut state, s.x, s.f));
    }
    Ok(Trace::from_outputs(cfg, &outputs))
}

impl Trace {
    /// The trace of a case's step outputs: `out` and `v` always, `u` only with the current stage,
    /// `th` and `r` only with the adaptive threshold (every engine reports through this).
    pub fn from_outputs(cfg: &NeuronConfig, outputs: &[StepOutput]) -> Trace {
        let column = |f: fn(&StepOutput) -> i64| outputs.iter().map(f).collect::<Vec<_>>();
        Trace {
            out: column(|o| o.out),
            v: column(|o| o.v),
            u: cfg.use_u.then(|| column(|o| o.u)),
            th: cfg.adapt.then(|| column(|o| o.th)),
            r: cfg.adapt.then(|| column(|o| o.r)),
        }
    }
}

/// Parses and runs a vector file.
pub fn run_vectors(text: &str) -> Result<VectorsOutput> {
    let cases = parse_vectors(text)?;
    let cases = cases.iter().map(|c| {
        let trace = run_case(c)?;
        check_expect(c, &trace)?;
        Ok(CaseOutput {
            name: c.name.clone(),
            trace,
        })
    });
    Ok(VectorsOutput {
        cases: cases.collect::<Result<_>>()?,
    })
}

/// Parses and runs a vector file and returns the output document as one line of JSON.
pub fn run_json(text: &str) -> Result<String> {
    let out = run_vectors(text)?;
    Ok(serde_json::to_string(&out).expect("integers and strings always serialize"))
}
