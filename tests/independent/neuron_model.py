#!/usr/bin/env python3
"""Independent integer model of the unified spiking neuron.

Written from the text of neuron-models.md section 4.3 (normative integer semantics), the preset
table of section 4.4 and the resolutions recorded in docs/NEURON.md, with Python's unbounded
integers. It reads a vector file of the `mmfree neuron` contract and prints the contract's output:

    python3 neuron_model.py VECTORS.json   ->   {"cases":[{"name":..,"out":[..],"v":[..],"u":[..]}]}

`u` is printed only for cases with the current stage, `th` and `r` only for adaptive ones. After
every step the model also asserts that each state lies in its register (the range rules of
docs/NEURON.md), so a legal configuration that escapes its register is reported, not hidden.
Plain Python 3, no packages.
"""

import json
import sys

# Section 4.3 recommended defaults (w_v = 24, v_ovf = sat, dec_round = rne, q_round = rne) and the
# neutral defaults of docs/NEURON.md for the other keys.
DEFAULTS = {
    "w_v": 24, "w_u": 24, "v_ovf": "sat", "u_ovf": "sat",
    "in_gain": 1, "in_frac": 0, "in_round": "rne", "in_bias": 0,
    "use_u": False, "dec_frac": 12, "beta_u": 4096, "beta_v": 4096, "dec_round": "rne", "bias": 0,
    "fire": "binary", "cmp": "ge", "vth": 4096, "vth_lo": -4096,
    "d": 4, "q_shift": 12, "q_round": "rne", "g_shift": 0, "g_abs": False,
    "reset": "hard", "v_reset": 0,
    "adapt": False, "th0": 4096, "th_step": 0, "beta_th": 4096, "beta_r": 4096,
    "gated": False, "g_frac": 12, "g_form": "dyn_decay", "g_round": "rne",
}

# Section 4.4, in the units of docs/NEURON.md (Q12 state, 12-bit decays; Loihi: lava's defaults).
LOIHI = {
    "use_u": True, "w_u": 24, "w_v": 24, "u_ovf": "wrap_lava", "v_ovf": "sat_sym",
    "in_gain": 64, "in_frac": 0, "in_round": "rtz", "dec_frac": 12, "dec_round": "rtz",
    "beta_u": 4096 - (0 + 1), "beta_v": 4096 - 0, "bias": 0,
    "fire": "binary", "cmp": "gt", "vth": 10 * 64, "vth_lo": -10 * 64, "reset": "hard", "v_reset": 0,
}
MULTI = {"fire": "multi", "q_shift": 12, "q_round": "rne", "reset": "soft"}
GRADED = {"beta_v": 0, "fire": "graded", "cmp": "gt", "vth": 1, "reset": "hard"}
PRESETS = {
    "loihi_cuba": dict(LOIHI),
    "loihi_cuba_wrap": dict(LOIHI, u_ovf="wrap"),
    "loihi_ternary": dict(LOIHI, fire="ternary"),
    "spikingjelly_lif": {"in_gain": 2048, "in_frac": 12, "beta_v": 2048, "cmp": "ge", "vth": 4096},
    "fsvae_lif": {"in_gain": 1, "beta_v": 1024, "cmp": "gt", "vth": 819},
    "taid_alif": {"in_gain": 2048, "in_frac": 12, "beta_v": 2048, "cmp": "ge", "vth": 2048},
    "adaptive_alif": {
        "use_u": True, "in_gain": 64, "beta_u": 4096 - 1638, "beta_v": 4096 - 1638, "dec_round": "rtz",
        "fire": "binary", "cmp": "ge", "reset": "none", "adapt": True,
        "th0": 320, "th_step": 240, "beta_th": 4096 - 819, "beta_r": 4096 - 819,
    },
    "ilif_coco": dict(MULTI, beta_v=1024, d=4),
    "ilif_gen1": dict(MULTI, beta_v=2048, d=4, in_gain=2048, in_frac=12),
    "sdtrack_t1d4": dict(MULTI, beta_v=0, d=4),
    "sdtrack_t2d2": dict(MULTI, beta_v=1024, d=2),
    "qsd_ielif": dict(MULTI, beta_v=0, d=4, in_gain=4, q_round="rhu"),
    "loihi2_graded_relu": dict(GRADED, g_abs=False),
    "loihi2_graded_vec": dict(GRADED, g_abs=True),
    "mlgru": {
        "w_v": 32, "v_ovf": "sat", "gated": True, "g_frac": 30, "g_form": "dyn_decay", "g_round": "rne",
        "fire": "none", "reset": "none", "use_u": False, "in_gain": 1, "in_frac": 0, "in_bias": 0,
    },
    "integrate_fire": {},
}


def sign(z):
    return (z > 0) - (z < 0)


def RND(z, n, mode):
    """Section 4.3 RND: z / 2^n rounded by mode; n = 0 returns z."""
    if n == 0:
        return z
    half = 2 ** (n - 1)
    if mode == "floor":
        return z >> n
    if mode == "rtz":
        return sign(z) * (abs(z) >> n)
    if mode == "rhu":
        return (z + half) >> n
    if mode == "rhaz":
        return sign(z) * ((abs(z) + half) >> n)
    if mode == "rne":
        q = z >> n
        r = z - (q << n)
        return q + (1 if (r > half or (r == half and q % 2 == 1)) else 0)
    raise ValueError("unknown rounding mode " + repr(mode))


def wrap_lava_section_2_4(x, w):
    """lava's formula as written in section 2.4 (defined for the sums lava produces)."""
    m = 2 ** (w - 1)
    y = x - 2 * m if x > m else x
    return x + 2 * m if y <= -m else y


def FIT(z, w, mode):
    """Section 4.3 FIT. wrap_lava: two's-complement wrap whose code -2^(w-1) reads +2^(w-1)."""
    m = 2 ** (w - 1)
    if mode == "wrap":
        return (z + m) % (2 * m) - m
    if mode == "sat":
        return max(-m, min(z, m - 1))
    if mode == "sat_sym":
        return max(-(m - 1), min(z, m - 1))
    if mode == "wrap_lava":
        y = (z + m) % (2 * m) - m
        y = m if y == -m else y
        if -3 * m < z <= 3 * m:
            assert y == wrap_lava_section_2_4(z, w), (z, w)
        return y
    raise ValueError("unknown overflow rule " + repr(mode))


def register(w, mode):
    m = 2 ** (w - 1)
    return (-(m - 1), m) if mode == "wrap_lava" else (-m, m - 1)


def passes(a, thr, cmp):
    return a > thr if cmp == "gt" else a >= thr


def step(c, s, x, f):
    """One timestep, steps 1-7 of section 4.3. Mutates the state dict s; returns out."""
    FD, DR = c["dec_frac"], c["dec_round"]
    # 1 input affine
    x_eff = RND(x * c["in_gain"], c["in_frac"], c["in_round"]) + c["in_bias"]
    # 2 current
    if c["use_u"]:
        s["u"] = FIT(RND(s["u"] * c["beta_u"], FD, DR) + x_eff, c["w_u"], c["u_ovf"])
        drive = s["u"]
    else:
        drive = x_eff
    # 3 membrane
    v = s["v"]
    if c["gated"]:
        G, GR, form = c["g_frac"], c["g_round"], c["g_form"]
        if form == "dyn_decay":
            v_pre = RND(f * v, G, GR) + drive
        elif form == "lerp":
            v_pre = drive + RND(f * (v - drive), G, GR)
        elif form == "two_product":
            v_pre = RND(f * v, G, GR) + RND((2 ** G - f) * drive, G, GR)
        else:
            raise ValueError("unknown g_form " + repr(form))
    else:
        v_pre = RND(v * c["beta_v"], FD, DR) + drive + c["bias"]
    v = FIT(v_pre, c["w_v"], c["v_ovf"])
    # 4 threshold
    thr = c["vth"]
    if c["adapt"]:
        s["th"] = c["th0"] + RND((s["th"] - c["th0"]) * c["beta_th"], FD, DR)
        s["r"] = RND(s["r"] * c["beta_r"], FD, DR)
        thr = s["th"] + s["r"]
    # 5 fire
    fire = c["fire"]
    if fire == "binary":
        out = 1 if passes(v, thr, c["cmp"]) else 0
    elif fire == "ternary":
        out = 1 if passes(v, thr, c["cmp"]) else (-1 if v < c["vth_lo"] else 0)
    elif fire == "multi":
        out = min(max(RND(v, c["q_shift"], c["q_round"]), 0), c["d"])
    elif fire == "graded":
        level = abs(v) if c["g_abs"] else v
        out = (v >> c["g_shift"]) if passes(level, thr, c["cmp"]) else 0
    elif fire == "none":
        out = v
    else:
        raise ValueError("unknown fire rule " + repr(fire))
    # 6 reset ("none: v (no reset)")
    if out != 0 and fire != "none":
        if c["reset"] == "hard":
            v = c["v_reset"]
        elif c["reset"] == "soft":
            v = v - (out * 2 ** c["q_shift"] if fire == "multi" else out * thr)
    s["v"] = v
    # 7 adaptation
    if c["adapt"] and out != 0:
        s["r"] = s["r"] + 2 * s["th"]
        s["th"] = s["th"] + c["th_step"]
    return out


def check_registers(c, s, where):
    lo, hi = register(c["w_v"], c["v_ovf"])
    assert lo <= s["v"] <= hi, "%s: v = %d left its register [%d, %d]" % (where, s["v"], lo, hi)
    if c["use_u"]:
        lo, hi = register(c["w_u"], c["u_ovf"])
        assert lo <= s["u"] <= hi, "%s: u = %d left its register [%d, %d]" % (where, s["u"], lo, hi)
    if c["adapt"]:
        top = 2 ** c["w_v"]
        assert c["th0"] <= s["th"] <= top, "%s: th = %d out of [th0, 2^w_v]" % (where, s["th"])
        assert 0 <= s["r"] <= top, "%s: r = %d out of [0, 2^w_v]" % (where, s["r"])


def resolve_config(case):
    overrides = dict(case.get("config", {}))
    name = case.get("preset", overrides.pop("preset", None))
    c = dict(DEFAULTS)
    if name is not None:
        c.update(PRESETS[name])
    c.update(overrides)
    return c


def run_case(case):
    c = resolve_config(case)
    init = case.get("init", {})
    s = {"u": init.get("u", 0), "v": init.get("v", 0), "th": init.get("th", c["th0"]), "r": init.get("r", 0)}
    trace = {"name": case["name"], "out": [], "v": []}
    extra = (["u"] if c["use_u"] else []) + (["th", "r"] if c["adapt"] else [])
    for key in extra:
        trace[key] = []
    for i, st in enumerate(case["steps"]):
        out = step(c, s, st["x"], st.get("f", 0))
        check_registers(c, s, "case %r step %d" % (case["name"], i))
        trace["out"].append(out)
        trace["v"].append(s["v"])
        for key in extra:
            trace[key].append(s[key])
    return trace


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: neuron_model.py VECTORS.json")
    with open(sys.argv[1]) as fh:
        doc = json.load(fh)
    out = {"cases": [run_case(case) for case in doc["cases"]]}
    sys.stdout.write(json.dumps(out, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
