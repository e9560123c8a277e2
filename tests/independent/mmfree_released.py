#!/usr/bin/env python3
"""An independent implementation of the released MatMul-free LM's arithmetic, for checking the
golden model. Plain Python 3, no packages; written from mmfree-model.md sections 1 and 2 (the
structure of `HGRNBitForCausalLM`, `FusedBitLinear`, `HGRNBitAttention`, `HGRNBitMLP`), not from the
Rust code: the RMSNorms are computed explicitly (no cancellation), activations are fake-quantized
(`q / s` then a float matrix product with `Wt / s_w`, as the PyTorch code does), and all arithmetic is
Python floats (f64), except the weight ternarization, which rounds to f32 where the released code
computes in f32.

Usage: mmfree_released.py CHECKPOINT_DIR TOKENS(comma-separated)
Prints {"logits": [[...], ...], "argmax": [...]} (one row per input token) on stdout.
"""

import json
import math
import struct
import sys


def f32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def load_safetensors(path):
    with open(path, "rb") as fh:
        data = fh.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + n])
    base = 8 + n
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        lo, hi = meta["data_offsets"]
        raw = data[base + lo : base + hi]
        dtype = meta["dtype"]
        if dtype == "F32":
            vals = list(struct.unpack("<%df" % (len(raw) // 4), raw))
        elif dtype == "BF16":
            halves = struct.unpack("<%dH" % (len(raw) // 2), raw)
            vals = list(struct.unpack("<%df" % len(halves), struct.pack("<%dI" % len(halves), *[h << 16 for h in halves])))
        elif dtype == "F16":
            vals = list(struct.unpack("<%de" % (len(raw) // 2), raw))
        else:
            raise SystemExit("unsupported dtype %s for %s" % (dtype, name))
        tensors[name] = (meta["shape"], vals)
    return tensors


def load(ckpt):
    import os

    index = os.path.join(ckpt, "model.safetensors.index.json")
    tensors = {}
    if os.path.exists(index):
        with open(index) as fh:
            files = sorted(set(json.load(fh)["weight_map"].values()))
        for f in files:
            tensors.update(load_safetensors(os.path.join(ckpt, f)))
    else:
        tensors = load_safetensors(os.path.join(ckpt, "model.safetensors"))
    with open(os.path.join(ckpt, "config.json")) as fh:
        config = json.load(fh)
    return config, tensors


def rows(shape_vals):
    shape, vals = shape_vals
    r, c = shape
    return [vals[i * c : (i + 1) * c] for i in range(r)]


class BitLinear:
    """FusedBitLinear: RMSNorm(eps 1e-6) -> absmax int8 fake quantization -> ternary weights."""

    def __init__(self, weight, norm):
        w = rows(weight)
        flat = [abs(v) for row in w for v in row]
        # weight_quant: scale = 1 / mean|W|.clamp(min=1e-5), computed in f32.
        mean = f32(max(f32(math.fsum(flat) / len(flat)), 1e-5))
        scale = f32(1.0 / mean)
        self.trits = [[max(-1, min(1, round(f32(v * scale)))) for v in row] for row in w]
        self.dequant = 1.0 / scale  # F.linear(x, W_t / s_w)
        self.norm = norm[1]
        self.plus = [[j for j, t in enumerate(row) if t == 1] for row in self.trits]
        self.minus = [[j for j, t in enumerate(row) if t == -1] for row in self.trits]

    def __call__(self, x):
        y = rms_norm(x, self.norm)
        m = max(max(abs(v) for v in y), 1e-5)
        s = 127.0 / m
        q = [max(-128, min(127, round_half_away(v * s))) for v in y]
        x_dq = [v / s for v in q]
        return [(sum(x_dq[j] for j in p) - sum(x_dq[j] for j in n)) * self.dequant for p, n in zip(self.plus, self.minus)]


def round_half_away(v):
    return int(math.floor(abs(v) + 0.5)) * (1 if v >= 0 else -1)


def rms_norm(x, weight, eps=1e-6):
    r = 1.0 / math.sqrt(math.fsum(v * v for v in x) / len(x) + eps)
    return [v * r * g for v, g in zip(x, weight)]


def sigmoid(v):
    return 1.0 / (1.0 + math.exp(-v))


def silu(v):
    return v * sigmoid(v)


class Model:
    def __init__(self, ckpt):
        config, t = load(ckpt)
        self.layers = config["num_hidden_layers"]
        self.hidden = config["hidden_size"]
        p = "model.layers.%d."
        self.blocks = []
        for l in range(self.layers):
            g = lambda name: t[(p % l) + name]
            bl = lambda name: BitLinear(g(name + ".weight"), g(name + ".norm.weight"))
            self.blocks.append(
                {
                    "attn_norm": g("attn_norm.weight")[1],
                    "i": bl("attn.i_proj"),
                    "f": bl("attn.f_proj"),
                    "g": bl("attn.g_proj"),
                    "g_norm": g("attn.g_norm.weight")[1],
                    "o": bl("attn.o_proj"),
                    "mlp_norm": g("mlp_norm.weight")[1],
                    "gate": bl("mlp.gate_proj"),
                    "down": bl("mlp.down_proj"),
                }
            )
        self.embed = rows(t["model.embeddings.weight"])
        self.final_norm = t["model.norm.weight"][1]
        self.lm_head = BitLinear(t["lm_head.weight"], t["lm_head.norm.weight"])
        # Lower bounds: softmax over the layer axis per channel, cumsum minus the first.
        if config.get("use_lower_bound", True) and "model.lower_bounds" in t:
            lb = rows(t["model.lower_bounds"])
            self.lb = [[0.0] * self.hidden for _ in range(self.layers)]
            for c in range(self.hidden):
                col = [lb[l][c] for l in range(self.layers)]
                mx = max(col)
                e = [math.exp(v - mx) for v in col]
                z = math.fsum(e)
                prob = [v / z for v in e]
                acc = 0.0
                for l in range(self.layers):
                    acc += prob[l]
                    self.lb[l][c] = acc - prob[0]
        else:
            self.lb = None
        self.h = [[0.0] * self.hidden for _ in range(self.layers)]

    def step(self, token):
        x = list(self.embed[token])
        for l, b in enumerate(self.blocks):
            residual = x
            a = rms_norm(x, b["attn_norm"])
            i = b["i"](a)
            f = [sigmoid(v) for v in b["f"](a)]
            if self.lb is not None and l > 0:
                f = [lb + (1.0 - lb) * v for lb, v in zip(self.lb[l], f)]
            c = [silu(iv) * (1.0 - fv) for iv, fv in zip(i, f)]  # swiglu(i, 1 - f)
            h = [fv * hv + cv for fv, hv, cv in zip(f, self.h[l], c)]
            self.h[l] = h
            g = b["g"](a)
            # g_norm(g_proj(x), h) = RMSNorm(g) * w * h * sigmoid(h)  (the code's form)
            o = [gv * silu(hv) for gv, hv in zip(rms_norm(g, b["g_norm"]), h)]
            m = b["o"](o)
            s = [r + mv for r, mv in zip(residual, m)]
            gu = b["gate"](rms_norm(s, b["mlp_norm"]))
            half = len(gu) // 2
            p = [silu(gu[j]) * gu[half + j] for j in range(half)]
            x = [sv + dv for sv, dv in zip(s, b["down"](p))]
        return self.lm_head(rms_norm(x, self.final_norm))


def main():
    ckpt, tokens = sys.argv[1], [int(t) for t in sys.argv[2].split(",")]
    model = Model(ckpt)
    logits, argmax = [], []
    for t in tokens:
        row = model.step(t)
        logits.append(row)
        argmax.append(max(range(len(row)), key=lambda k: (row[k], -k)))
    print(json.dumps({"logits": logits, "argmax": argmax}))


if __name__ == "__main__":
    main()
