"""Trains the bundled byte-level MatMul-free LM (HGRNBit) and exports it as a Hugging Face checkpoint.

The model is exactly the released architecture (docs/TRAINING.md): ternary absmean BitLinear with its
own RMSNorm and per-token int8 absmax activations, trained through the straight-through estimator;
the MLGRU token mixer with the per-layer forget-gate lower bound; the GLU channel mixer; RMSNorm with
eps 1e-6 everywhere. Everything that varies between runs comes from `--seed`.
"""

import argparse
import json
import math
import os
import time

import jax
import jax.numpy as jnp
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import optax  # noqa: E402
from safetensors.flax import save_file  # noqa: E402
from tqdm import tqdm  # noqa: E402

EPS = 1e-6
VOCAB = 256
# Layer components in state-dict order (model/src/names.rs).
LINEARS = ("attn.i_proj", "attn.f_proj", "attn.g_proj", "attn.o_proj", "mlp.gate_proj", "mlp.down_proj")
NORMS = ("attn_norm", "attn.g_norm", "mlp_norm")


def intermediate_size(d):
    """The released code's GLU width: 256 * ceil(int(d * 4 * 2/3) / 256)."""
    return 256 * math.ceil(int(d * 4 * 2 / 3) / 256)


def linear_dims(part, d, i):
    return {"mlp.gate_proj": (2 * i, d), "mlp.down_proj": (d, i)}.get(part, (d, d))


def init_params(key, d, layers):
    """HF initialisation: normal(0, 0.02) matrices and embedding, unit norms, zero lower bounds."""
    i = intermediate_size(d)
    params = {}
    keys = iter(jax.random.split(key, 2 + layers * len(LINEARS)))

    def normal(shape):
        return 0.02 * jax.random.normal(next(keys), shape, jnp.float32)

    params["model.embeddings.weight"] = normal((VOCAB, d))
    params["model.lower_bounds"] = jnp.zeros((layers, d), jnp.float32)
    for n in range(layers):
        for part in NORMS:
            params[f"model.layers.{n}.{part}.weight"] = jnp.ones((d,), jnp.float32)
        for part in LINEARS:
            rows, cols = linear_dims(part, d, i)
            params[f"model.layers.{n}.{part}.weight"] = normal((rows, cols))
            params[f"model.layers.{n}.{part}.norm.weight"] = jnp.ones((cols,), jnp.float32)
    params["model.norm.weight"] = jnp.ones((d,), jnp.float32)
    params["lm_head.weight"] = normal((VOCAB, d))
    params["lm_head.norm.weight"] = jnp.ones((d,), jnp.float32)
    return params


def rms_norm(x, gamma):
    return x * jax.lax.rsqrt(jnp.mean(x * x, axis=-1, keepdims=True) + EPS) * gamma


def ste(x, q):
    """Forward value q, gradient of x (the straight-through estimator)."""
    return x + jax.lax.stop_gradient(q - x)


def bit_linear(params, base, x):
    """FusedBitLinear: RMSNorm, per-token int8 absmax codes, per-tensor absmean ternary weights."""
    y = rms_norm(x, params[f"{base}.norm.weight"])
    s_x = 127.0 / jnp.maximum(jnp.max(jnp.abs(y), axis=-1, keepdims=True), 1e-5)
    y = ste(y, jnp.clip(jnp.round(y * s_x), -128, 127) / s_x)
    w = params[f"{base}.weight"]
    s_w = 1.0 / jnp.maximum(jnp.mean(jnp.abs(w)), 1e-5)
    w = ste(w, jnp.clip(jnp.round(w * s_w), -1, 1) / s_w)
    return y @ w.T


def lower_bounds(params):
    p = jax.nn.softmax(params["model.lower_bounds"], axis=0)
    return jnp.cumsum(p, axis=0) - p[0]


def recurrence(f, c):
    """h_t = f_t * h_(t-1) + c_t along the time axis (axis 1), from h_0 = 0."""

    def combine(a, b):
        return a[0] * b[0], b[0] * a[1] + b[1]

    return jax.lax.associative_scan(combine, (f, c), axis=1)[1]


def block(params, n, lb, x):
    pre = f"model.layers.{n}"
    a = rms_norm(x, params[f"{pre}.attn_norm.weight"])
    f = jax.nn.sigmoid(bit_linear(params, f"{pre}.attn.f_proj", a))
    if n > 0:
        f = lb + (1.0 - lb) * f
    c = jax.nn.silu(bit_linear(params, f"{pre}.attn.i_proj", a)) * (1.0 - f)
    h = recurrence(f, c)
    g = bit_linear(params, f"{pre}.attn.g_proj", a)
    o = rms_norm(g, params[f"{pre}.attn.g_norm.weight"]) * jax.nn.silu(h)
    s = x + bit_linear(params, f"{pre}.attn.o_proj", o)
    b = rms_norm(s, params[f"{pre}.mlp_norm.weight"])
    gate, up = jnp.split(bit_linear(params, f"{pre}.mlp.gate_proj", b), 2, axis=-1)
    return s + bit_linear(params, f"{pre}.mlp.down_proj", jax.nn.silu(gate) * up)


def logits_of(params, layers, tokens):
    x = params["model.embeddings.weight"][tokens]
    lb = lower_bounds(params)
    for n in range(layers):
        x = block(params, n, lb[n], x)
    x = rms_norm(x, params["model.norm.weight"])
    return bit_linear(params, "lm_head", x)


def loss_of(params, layers, batch):
    logits = logits_of(params, layers, batch[:, :-1])
    return optax.softmax_cross_entropy_with_integer_labels(logits, batch[:, 1:]).mean()


def split_corpus(data, block_bytes, every):
    """Every `every`-th block of `block_bytes` is held out; the rest is training text."""
    train, held = [], []
    for k, start in enumerate(range(0, len(data), block_bytes)):
        (held if k % every == every - 1 else train).append(data[start : start + block_bytes])
    return b"".join(train), b"".join(held)


def write_atomic(path, write):
    tmp = f"{path}.tmp"
    write(tmp)
    os.replace(tmp, path)


def config_json(d, layers):
    """The released config.json keys (model/src/hf/config.rs), sized for this model."""
    return {
        "architectures": ["HGRNBitForCausalLM"],
        "attn_mode": "fused_recurrent",
        "bos_token_id": 1,
        "conv_size": 4,
        "eos_token_id": 2,
        "expand_ratio": 1,
        "fuse_cross_entropy": True,
        "hidden_act": "swish",
        "hidden_ratio": 4,
        "hidden_size": d,
        "initializer_range": 0.02,
        "intermediate_size": None,
        "max_position_embeddings": 2048,
        "model_type": "hgrn_bit",
        "num_heads": 1,
        "num_hidden_layers": layers,
        "rms_norm_eps": 1e-6,
        "share_conv_kernel": True,
        "tie_word_embeddings": False,
        "torch_dtype": "bfloat16",
        "transformers_version": "4.40.2",
        "use_cache": True,
        "use_lower_bound": True,
        "use_short_conv": False,
        "vocab_size": VOCAB,
    }


def export(out_dir, params, d, layers):
    os.makedirs(out_dir, exist_ok=True)
    tensors = {k: jnp.asarray(v, jnp.bfloat16) for k, v in params.items()}
    write_atomic(os.path.join(out_dir, "model.safetensors"), lambda p: save_file(tensors, p))
    text = json.dumps(config_json(d, layers), indent=2, sort_keys=True) + "\n"
    write_atomic(os.path.join(out_dir, "config.json"), lambda p: open(p, "w").write(text))


def plot(path, steps, train_loss, eval_steps, eval_loss):
    fig, ax = plt.subplots(figsize=(7, 4))
    ax.plot(steps, np.array(train_loss) / math.log(2), label="training batch", linewidth=0.8)
    ax.plot(eval_steps, np.array(eval_loss) / math.log(2), "o-", label="held-out split")
    ax.set_xlabel("step")
    ax.set_ylabel("bits per byte")
    ax.set_title("byte-level HGRNBit training loss")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    write_atomic(path, lambda p: fig.savefig(p, format="svg"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", required=True, help="UTF-8 text file")
    ap.add_argument("--out", required=True, help="checkpoint directory to write")
    ap.add_argument("--heldout-out", required=True, help="where to write the held-out split")
    ap.add_argument("--curve", required=True, help="loss-curve image (SVG)")
    ap.add_argument("--hidden", type=int, default=192)
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--seq", type=int, default=128)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--seed", type=int, default=2406)
    ap.add_argument("--eval-every", type=int, default=100)
    args = ap.parse_args()

    with open(args.corpus, "rb") as f:
        data = f.read()
    train, held = split_corpus(data, 16384, 50)
    write_atomic(args.heldout_out, lambda p: open(p, "wb").write(held))
    train_arr = np.frombuffer(train, np.uint8).astype(np.int32)
    held_arr = np.frombuffer(held, np.uint8).astype(np.int32)
    n_held = (len(held_arr) - 1) // args.seq
    held_batch = jnp.asarray(held_arr[: n_held * args.seq + 1][: 64 * args.seq + 1])

    key = jax.random.PRNGKey(args.seed)
    params = init_params(key, args.hidden, args.layers)
    count = sum(int(np.prod(v.shape)) for v in params.values())
    print(f"parameters {count:,}; training bytes {len(train):,}; held-out bytes {len(held):,}")

    sched = optax.warmup_cosine_decay_schedule(0.0, args.lr, min(100, args.steps // 10), args.steps, args.lr * 0.05)
    opt = optax.chain(optax.clip_by_global_norm(1.0), optax.adamw(sched, weight_decay=0.01))
    state = opt.init(params)

    @jax.jit
    def step(params, state, batch):
        loss, grads = jax.value_and_grad(loss_of)(params, args.layers, batch)
        updates, state = opt.update(grads, state, params)
        return optax.apply_updates(params, updates), state, loss

    @jax.jit
    def held_loss(params):
        rows = held_batch[:-1].reshape(-1, args.seq)
        nxt = held_batch[1:].reshape(-1, args.seq)
        logits = logits_of(params, args.layers, rows)
        return optax.softmax_cross_entropy_with_integer_labels(logits, nxt).mean()

    rng = np.random.RandomState(args.seed)
    steps, losses, eval_steps, eval_losses = [], [], [], []
    start = time.time()
    bar = tqdm(range(1, args.steps + 1), desc="train", unit="step")
    for k in bar:
        idx = rng.randint(0, len(train_arr) - args.seq - 1, size=args.batch)
        batch = jnp.asarray(np.stack([train_arr[i : i + args.seq + 1] for i in idx]))
        params, state, loss = step(params, state, batch)
        if k % 10 == 0 or k == 1:
            steps.append(k)
            losses.append(float(loss))
            bar.set_postfix(bpb=f"{float(loss) / math.log(2):.3f}")
        if k % args.eval_every == 0 or k == args.steps:
            eval_steps.append(k)
            eval_losses.append(float(held_loss(params)))
            tqdm.write(f"step {k} held-out bpb {eval_losses[-1] / math.log(2):.4f} ({time.time() - start:.0f} s)")
            plot(args.curve, steps, losses, eval_steps, eval_losses)
            export(args.out, params, args.hidden, args.layers)
    print(f"done in {time.time() - start:.0f} s; held-out {eval_losses[-1] / math.log(2):.4f} bits per byte")


if __name__ == "__main__":
    main()
