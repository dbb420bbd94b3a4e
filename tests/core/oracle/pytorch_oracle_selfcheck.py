#!/usr/bin/python3
"""Checks the oracle itself (pytorch_oracle.py) against independent references,
so that an engine and an oracle sharing one misreading of TF.js cannot agree:
naive numpy loops with TF's output sizes and 'same' padding (conv2d, max and
average pooling with their gradients), F.batch_norm and TF.js's moving-average
rule, torch.nn.LSTM / torch.nn.RNN (same gate order as TF.js), a numpy GRU with
reset_after false and hard_sigmoid, and losses averaged over per-step rows.
The graph-era layers too: numpy loops for dilated conv2d, depthwise_conv2d
(output channel c*M + m) and separable_conv2d; numpy formulas and gradients
for the relu layer (max_value, negative_slope, threshold), leaky_relu, the
softmax layer, global pooling, zero_padding2d / cropping2d (every margin form),
up_sampling2d and the merges (maximum's ties to the first input, concatenate
on several axes); F.layer_norm and F.batch_norm without center / scale; and a
graph (named sources and model input, a layer listed before its input,
fan-out) against the same model written by hand and central differences.
Quiet unless a check fails (or with -v); exits non-zero on a failure.

usage: /usr/bin/python3 pytorch_oracle_selfcheck.py [-v]
"""
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pytorch_oracle as po  # noqa: E402

VERBOSE = "-v" in sys.argv[1:]

rng = np.random.default_rng(0)
D = torch.float64


def close(a, b, what, tol=1e-12):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    assert a.shape == b.shape, (what, a.shape, b.shape)
    err = np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300)
    if VERBOSE or not err < tol:
        print(f"{what:60s} rel err {err:.2e}")
    if not err < tol:
        sys.exit("oracle self-check failed: " + what)


def weights_of(d):
    return {k: {"shape": list(v.shape), "values": v.flatten().tolist()} for k, v in d.items()}


def tf_axis(size, k, s, padding):
    if padding == "valid":
        return (size - k) // s + 1, 0
    out = -(-size // s)
    return out, max((out - 1) * s + k - size, 0) // 2


def naive_conv(x, W, b, s, padding, d=(1, 1)):
    """TF conv2d; dilation d: taps i * d apart, 'same' padding on the extent (k - 1) * d + 1."""
    B, H, Wd, C = x.shape
    kh, kw, _, Fo = W.shape
    oh, pt = tf_axis(H, (kh - 1) * d[0] + 1, s[0], padding)
    ow, pl = tf_axis(Wd, (kw - 1) * d[1] + 1, s[1], padding)
    y = np.zeros((B, oh, ow, Fo))
    for n in range(B):
        for oy in range(oh):
            for ox in range(ow):
                acc = np.array(b, dtype=np.float64).copy()
                for i in range(kh):
                    for j in range(kw):
                        r, c = oy * s[0] - pt + i * d[0], ox * s[1] - pl + j * d[1]
                        if 0 <= r < H and 0 <= c < Wd:
                            acc += x[n, r, c, :] @ W[i, j]
                y[n, oy, ox] = acc
    return y


def naive_depthwise(x, W, b, s, padding, d=(1, 1)):
    """TF depthwise conv: W [kh, kw, C, M]; output channel c * M + m sees only input channel c."""
    B, H, Wd, C = x.shape
    kh, kw, _, M = W.shape
    oh, pt = tf_axis(H, (kh - 1) * d[0] + 1, s[0], padding)
    ow, pl = tf_axis(Wd, (kw - 1) * d[1] + 1, s[1], padding)
    y = np.zeros((B, oh, ow, C * M))
    for n in range(B):
        for oy in range(oh):
            for ox in range(ow):
                for c in range(C):
                    for m in range(M):
                        acc = 0.0 if b is None else b[c * M + m]
                        for i in range(kh):
                            for j in range(kw):
                                r, q = oy * s[0] - pt + i * d[0], ox * s[1] - pl + j * d[1]
                                if 0 <= r < H and 0 <= q < Wd:
                                    acc += x[n, r, q, c] * W[i, j, c, m]
                        y[n, oy, ox, c * M + m] = acc
    return y


def naive_pool(x, k, s, padding, kind):
    B, H, Wd, C = x.shape
    oh, pt = tf_axis(H, k[0], s[0], padding)
    ow, pl = tf_axis(Wd, k[1], s[1], padding)
    y = np.zeros((B, oh, ow, C))
    for n in range(B):
        for oy in range(oh):
            for ox in range(ow):
                taps = [x[n, oy * s[0] - pt + i, ox * s[1] - pl + j]
                        for i in range(k[0]) for j in range(k[1])
                        if 0 <= oy * s[0] - pt + i < H and 0 <= ox * s[1] - pl + j < Wd]
                taps = np.array(taps)
                y[n, oy, ox] = taps.max(0) if kind == "max" else taps.mean(0)
    return y


# conv2d: several shapes, strides, paddings
for (H, W_, C, kh, kw, Fo, s, pad) in [(7, 5, 2, 3, 2, 3, (2, 2), "same"), (6, 6, 1, 3, 3, 2, (1, 1), "valid"),
                                       (5, 8, 3, 2, 4, 2, (3, 2), "same"), (9, 7, 2, 3, 3, 4, (2, 3), "valid"),
                                       (4, 4, 2, 5, 5, 2, (1, 1), "same"), (6, 5, 1, 2, 2, 1, (2, 2), "same")]:
    x, Wt, b = rng.normal(size=(3, H, W_, C)), rng.normal(size=(kh, kw, C, Fo)), rng.normal(size=Fo)
    layer = {"type": "conv2d", "name": "c", "filters": Fo, "kernel_size": [kh, kw], "strides": list(s),
             "padding": pad, "activation": "linear", "use_bias": True}
    net = po.Net({"layers": [layer]}, weights_of({"c/kernel": Wt, "c/bias": b}), D)
    y = net(torch.tensor(x)).detach().numpy()
    close(y, naive_conv(x, Wt, b, s, pad), f"conv2d {H}x{W_}x{C} k{kh}x{kw} s{s} {pad}")

# pooling
for (H, W_, C, k, s, pad) in [(7, 5, 2, (2, 2), None, "same"), (6, 6, 1, (2, 2), None, "valid"),
                              (5, 7, 3, (3, 2), (2, 1), "same"), (7, 7, 2, (3, 3), (2, 2), "valid"),
                              (5, 5, 2, (2, 3), (3, 2), "same"), (3, 4, 1, (3, 3), (1, 1), "same")]:
    x = rng.normal(size=(3, H, W_, C))
    for kind in ("max", "average"):
        layer = {"type": kind + "_pooling2d", "name": "p", "pool_size": list(k), "padding": pad}
        if s is not None:
            layer["strides"] = list(s)
        net = po.Net({"layers": [layer]}, {}, D)
        xt = torch.tensor(x, requires_grad=True)
        y = net(xt)
        close(y.detach().numpy(), naive_pool(x, k, s or k, pad, kind), f"{kind} pool {H}x{W_} k{k} s{s} {pad}")
        # gradient: max -> the window's argmax; average -> 1/count per in-image tap
        dy = rng.normal(size=y.shape)
        y.backward(torch.tensor(dy))
        gx = np.zeros_like(x)
        ss = s or k
        oh, pt = tf_axis(H, k[0], ss[0], pad)
        ow, pl = tf_axis(W_, k[1], ss[1], pad)
        for n in range(3):
            for oy in range(oh):
                for ox in range(ow):
                    for ch in range(C):
                        taps = [(oy * ss[0] - pt + i, ox * ss[1] - pl + j) for i in range(k[0]) for j in range(k[1])]
                        taps = [(r, c) for r, c in taps if 0 <= r < H and 0 <= c < W_]
                        if kind == "max":
                            r, c = max(taps, key=lambda rc: x[n, rc[0], rc[1], ch])
                            gx[n, r, c, ch] += dy[n, oy, ox, ch]
                        else:
                            for r, c in taps:
                                gx[n, r, c, ch] += dy[n, oy, ox, ch] / len(taps)
        close(xt.grad.numpy(), gx, f"  d{kind} pool {H}x{W_} k{k} s{s} {pad}")

# flatten: channels-last order
x = rng.normal(size=(2, 3, 4, 2))
net = po.Net({"layers": [{"type": "flatten", "name": "f"}]}, {}, D)
close(net(torch.tensor(x)).numpy(), x.reshape(2, -1), "flatten (channels-last)")
net = po.Net({"layers": [{"type": "reshape", "name": "r", "target_shape": [4, 6]}]}, {}, D)
close(net(torch.tensor(x)).numpy(), x.reshape(2, 4, 6), "reshape (row-major per sample)")

# batch norm: training forward/gradients vs F.batch_norm on rows; moving stats by TF.js's rule
x = rng.normal(size=(3, 4, 2, 5)) * 2 + 1
g, be = rng.normal(size=5), rng.normal(size=5)
mm, mv = rng.normal(size=5), rng.uniform(0.5, 2, size=5)
layer = {"type": "batch_normalization", "name": "bn", "momentum": 0.9, "epsilon": 1e-3}
net = po.Net({"layers": [layer]}, weights_of({"bn/gamma": g, "bn/beta": be, "bn/moving_mean": mm, "bn/moving_variance": mv}), D)
assert net.trainable_names(["bn/gamma", "bn/beta", "bn/moving_mean", "bn/moving_variance"]) == ["bn/gamma", "bn/beta"]
xt = torch.tensor(x, requires_grad=True)
y = net(xt, training=True, update_stats=True)
dy = torch.tensor(rng.normal(size=y.shape))
y.backward(dy)
xt2 = torch.tensor(x.reshape(-1, 5), requires_grad=True)
g2, b2 = torch.tensor(g, requires_grad=True), torch.tensor(be, requires_grad=True)
y2 = F.batch_norm(xt2, None, None, g2, b2, training=True, eps=1e-3)
y2.backward(dy.reshape(-1, 5))
close(y.detach().numpy().reshape(-1, 5), y2.detach().numpy(), "batch norm training forward")
close(xt.grad.numpy().reshape(-1, 5), xt2.grad.numpy(), "  dx")
close(net.weight("bn/gamma").grad.numpy(), g2.grad.numpy(), "  dgamma")
close(net.weight("bn/beta").grad.numpy(), b2.grad.numpy(), "  dbeta")
rows = x.reshape(-1, 5)
close(net.state["bn/moving_mean"].numpy(), 0.9 * mm + 0.1 * rows.mean(0), "  moving mean")
close(net.state["bn/moving_variance"].numpy(), 0.9 * mv + 0.1 * rows.var(0), "  moving variance (biased)")
yi = net(torch.tensor(x), training=False).detach().numpy()
m1, v1 = 0.9 * mm + 0.1 * rows.mean(0), 0.9 * mv + 0.1 * rows.var(0)
close(yi, g * (x - m1) / np.sqrt(v1 + 1e-3) + be, "  inference with moving stats")

# embedding
table = rng.normal(size=(7, 3))
ids = np.array([[0, 6, 3, 3], [2, 1, 0, 5]], dtype=np.float64)
net = po.Net({"layers": [{"type": "embedding", "name": "e", "input_dim": 7, "output_dim": 3}]},
             weights_of({"e/embeddings": table}), D)
y = net(torch.tensor(ids))
close(y.detach().numpy(), table[ids.astype(int)], "embedding")
y.sum().backward()
cnt = np.zeros((7, 3))
for i in ids.astype(int).flatten():
    cnt[i] += 1
close(net.weight("e/embeddings").grad.numpy(), cnt, "  d embeddings (scatter-add)")

# LSTM (sigmoid/tanh) vs torch.nn.LSTM: gate order i, f, g(c), o is the same
B, T, Fi, u = 3, 5, 4, 6
x = rng.normal(size=(B, T, Fi))
K, R, bb = rng.normal(size=(Fi, 4 * u)) * 0.5, rng.normal(size=(u, 4 * u)) * 0.5, rng.normal(size=4 * u)
for seq in (True, False):
    layer = {"type": "lstm", "name": "l", "units": u, "activation": "tanh", "recurrent_activation": "sigmoid",
             "use_bias": True, "return_sequences": seq}
    net = po.Net({"layers": [layer]}, weights_of({"l/kernel": K, "l/recurrent_kernel": R, "l/bias": bb}), D)
    y = net(torch.tensor(x)).detach().numpy()
    ref = torch.nn.LSTM(Fi, u, batch_first=True).double()
    with torch.no_grad():
        ref.weight_ih_l0.copy_(torch.tensor(K.T))
        ref.weight_hh_l0.copy_(torch.tensor(R.T))
        ref.bias_ih_l0.copy_(torch.tensor(bb))
        ref.bias_hh_l0.zero_()
        yr = ref(torch.tensor(x))[0].numpy()
    close(y, yr if seq else yr[:, -1], f"lstm vs torch.nn.LSTM return_sequences={seq}")

# simple_rnn (tanh) vs torch.nn.RNN
K1, R1, b1 = rng.normal(size=(Fi, u)) * 0.5, rng.normal(size=(u, u)) * 0.5, rng.normal(size=u)
layer = {"type": "simple_rnn", "name": "s", "units": u, "activation": "tanh", "use_bias": True, "return_sequences": True}
net = po.Net({"layers": [layer]}, weights_of({"s/kernel": K1, "s/recurrent_kernel": R1, "s/bias": b1}), D)
ref = torch.nn.RNN(Fi, u, batch_first=True).double()
with torch.no_grad():
    ref.weight_ih_l0.copy_(torch.tensor(K1.T))
    ref.weight_hh_l0.copy_(torch.tensor(R1.T))
    ref.bias_ih_l0.copy_(torch.tensor(b1))
    ref.bias_hh_l0.zero_()
    close(net(torch.tensor(x)).numpy(), ref(torch.tensor(x))[0].numpy(), "simple_rnn vs torch.nn.RNN")


# GRU (TF.js reset_after false, hard_sigmoid) vs a numpy loop; LSTM hard_sigmoid without bias too
def hs(v):
    return np.clip(0.2 * v + 0.5, 0, 1)


K3, R3, b3 = rng.normal(size=(Fi, 3 * u)) * 0.5, rng.normal(size=(u, 3 * u)) * 0.5, rng.normal(size=3 * u)
h, steps = np.zeros((B, u)), []
for t in range(T):
    xw = x[:, t] @ K3 + b3
    z, r = hs(xw[:, :u] + h @ R3[:, :u]), hs(xw[:, u:2 * u] + h @ R3[:, u:2 * u])
    hh = np.tanh(xw[:, 2 * u:] + (r * h) @ R3[:, 2 * u:])
    h = z * h + (1 - z) * hh
    steps.append(h)
layer = {"type": "gru", "name": "g", "units": u, "activation": "tanh", "recurrent_activation": "hard_sigmoid",
         "use_bias": True, "return_sequences": True}
net = po.Net({"layers": [layer]}, weights_of({"g/kernel": K3, "g/recurrent_kernel": R3, "g/bias": b3}), D)
close(net(torch.tensor(x)).detach().numpy(), np.stack(steps, 1), "gru (reset_after false) vs numpy")

h, c = np.zeros((B, u)), np.zeros((B, u))
for t in range(T):
    zz = x[:, t] @ K + h @ R
    i, f, cc, o = hs(zz[:, :u]), hs(zz[:, u:2 * u]), np.tanh(zz[:, 2 * u:3 * u]), hs(zz[:, 3 * u:])
    c = f * c + i * cc
    h = o * np.tanh(c)
layer = {"type": "lstm", "name": "l", "units": u, "activation": "tanh", "recurrent_activation": "hard_sigmoid",
         "use_bias": False, "return_sequences": False}
net = po.Net({"layers": [layer]}, weights_of({"l/kernel": K, "l/recurrent_kernel": R}), D)
close(net(torch.tensor(x)).detach().numpy(), h, "lstm hard_sigmoid no bias vs numpy")

# per-step loss: mean over all B*T rows
out = torch.softmax(torch.tensor(rng.normal(size=(3, 4, 5))), -1)
lab = rng.integers(0, 5, size=(3, 4))
expect = -np.mean(np.log(np.take_along_axis(out.numpy(), lab[..., None], -1)))
close(po.loss_fn("sparse_categorical_crossentropy", out, torch.tensor(lab, dtype=D)).item(), expect, "sparse CE over B*T steps")
onehot = np.eye(5)[lab].reshape(3, 20)
close(po.loss_fn("categorical_crossentropy", out, torch.tensor(onehot)).item(), expect, "categorical CE over B*T steps")
tgt = rng.uniform(size=(3, 20))
close(po.loss_fn("mean_squared_error", out, torch.tensor(tgt)).item(), np.mean((out.numpy().reshape(3, 20) - tgt) ** 2), "mse over B*T steps")
# --- graph-era layers -------------------------------------------------------------

def run(layers, weights, x, spec_extra=None, dy=None, training=False):
    """Net on one input: output (numpy), d out.dy / d x, and the Net (for weight gradients)."""
    spec = dict(spec_extra or {}, layers=layers)
    net = po.Net(spec, weights_of(weights), D)
    xt = torch.tensor(x, requires_grad=True)
    y = net(xt, training=training)
    if dy is None:
        dy = rng.normal(size=tuple(y.shape))
    y.backward(torch.tensor(dy))
    return y.detach().numpy(), xt.grad.numpy(), net, dy


# conv2d with dilation_rate (strides 1), valid and same (the odd pixel bottom/right)
for (H, W_, C, kh, kw, Fo, d, pad) in [(7, 6, 2, 3, 3, 2, (2, 2), "same"), (8, 7, 1, 3, 2, 3, (2, 3), "valid"),
                                       (6, 9, 2, 2, 3, 2, (3, 2), "same"), (5, 5, 1, 2, 2, 1, (1, 2), "same")]:
    x, Wt, b = rng.normal(size=(2, H, W_, C)), rng.normal(size=(kh, kw, C, Fo)), rng.normal(size=Fo)
    layer = {"type": "conv2d", "name": "c", "filters": Fo, "kernel_size": [kh, kw], "strides": [1, 1],
             "dilation_rate": list(d), "padding": pad, "activation": "linear", "use_bias": True}
    net = po.Net({"layers": [layer]}, weights_of({"c/kernel": Wt, "c/bias": b}), D)
    close(net(torch.tensor(x)).detach().numpy(), naive_conv(x, Wt, b, (1, 1), pad, d),
          f"conv2d {H}x{W_}x{C} k{kh}x{kw} dilation {d} {pad}")

# depthwise_conv2d: output channel c*M + m; strides, paddings, multipliers, dilation
for (H, W_, C, kh, kw, M, s, d, pad, bias) in [(7, 5, 3, 3, 3, 1, (1, 1), (1, 1), "same", True),
                                               (6, 7, 2, 3, 2, 2, (2, 2), (1, 1), "same", True),
                                               (7, 6, 3, 2, 3, 3, (2, 1), (1, 1), "valid", False),
                                               (5, 8, 2, 3, 3, 2, (1, 1), (2, 2), "same", True),
                                               (6, 6, 1, 2, 2, 2, (3, 3), (1, 1), "same", True)]:
    x, Wt, b = rng.normal(size=(2, H, W_, C)), rng.normal(size=(kh, kw, C, M)), rng.normal(size=C * M)
    layer = {"type": "depthwise_conv2d", "name": "dw", "kernel_size": [kh, kw], "strides": list(s),
             "dilation_rate": list(d), "padding": pad, "depth_multiplier": M, "activation": "linear", "use_bias": bias}
    w = {"dw/depthwise_kernel": Wt}
    if bias:
        w["dw/bias"] = b
    net = po.Net({"layers": [layer]}, weights_of(w), D)
    close(net(torch.tensor(x)).detach().numpy(), naive_depthwise(x, Wt, b if bias else None, s, pad, d),
          f"depthwise {H}x{W_}x{C} k{kh}x{kw} M{M} s{s} d{d} {pad} bias={bias}")

# separable_conv2d: naive depthwise (no bias) then pointwise [1, 1, C*M, F] and bias
for (H, W_, C, kh, kw, M, Fo, s, pad) in [(7, 5, 2, 3, 3, 2, 3, (2, 2), "same"),
                                          (6, 6, 3, 2, 3, 1, 2, (1, 1), "valid")]:
    x, Wd_, Pw, b = (rng.normal(size=(2, H, W_, C)), rng.normal(size=(kh, kw, C, M)),
                     rng.normal(size=(1, 1, C * M, Fo)), rng.normal(size=Fo))
    layer = {"type": "separable_conv2d", "name": "sc", "filters": Fo, "kernel_size": [kh, kw], "strides": list(s),
             "padding": pad, "depth_multiplier": M, "activation": "tanh", "use_bias": True}
    w = {"sc/depthwise_kernel": Wd_, "sc/pointwise_kernel": Pw, "sc/bias": b}
    net = po.Net({"layers": [layer]}, weights_of(w), D)
    ref = np.tanh(naive_depthwise(x, Wd_, None, s, pad) @ Pw[0, 0] + b)
    close(net(torch.tensor(x)).detach().numpy(), ref, f"separable {H}x{W_}x{C} k{kh}x{kw} M{M} F{Fo} s{s} {pad}")

# relu layer (Keras ReLU): max_value, negative_slope, threshold; gradients piecewise
x = rng.normal(size=(3, 4, 5)) * 4
for cfg in [{}, {"max_value": 6.0}, {"max_value": 2.5}, {"negative_slope": 0.2},
            {"threshold": 0.7}, {"negative_slope": 0.1, "threshold": -0.5, "max_value": 3.0},
            {"negative_slope": 0.3, "max_value": None}]:
    mx, sl, th = cfg.get("max_value"), cfg.get("negative_slope", 0.0), cfg.get("threshold", 0.0)
    mx_ = np.inf if mx is None else mx
    ref = np.where(x >= mx_, mx_, np.where(x >= th, x, sl * (x - th)))
    dref = np.where(x >= mx_, 0.0, np.where(x >= th, 1.0, sl))
    y, gx, _, dy = run([dict(cfg, type="relu", name="r")], {}, x)
    close(y, ref, f"relu {cfg}")
    close(gx, dref * dy, "  d relu")
for alpha in (0.3, 0.01):
    y, gx, _, dy = run([{"type": "leaky_relu", "name": "l", "alpha": alpha}], {}, x)
    close(y, np.where(x > 0, x, alpha * x), f"leaky_relu alpha {alpha}")
    close(gx, np.where(x > 0, 1.0, alpha) * dy, "  d leaky_relu")
y, gx, _, dy = run([{"type": "leaky_relu", "name": "l"}], {}, x)
close(y, np.where(x > 0, x, 0.3 * x), "leaky_relu default alpha 0.3")

# softmax layer: the last axis, as -1 or counted with the batch axis
x = rng.normal(size=(2, 3, 4, 5))
e = np.exp(x - x.max(-1, keepdims=True))
for axis in (-1, 3):
    y, _, _, _ = run([{"type": "softmax", "name": "s", "axis": axis}], {}, x)
    close(y, e / e.sum(-1, keepdims=True), f"softmax layer axis {axis}")

# global pooling: mean / max of each channel; max's gradient to the (untied) maximum
x = rng.normal(size=(3, 4, 5, 2))
y, gx, _, dy = run([{"type": "global_average_pooling2d", "name": "g"}], {}, x)
close(y, x.mean((1, 2)), "global_average_pooling2d")
close(gx, np.broadcast_to(dy[:, None, None, :] / 20, x.shape), "  d global average")
y, gx, _, dy = run([{"type": "global_max_pooling2d", "name": "g"}], {}, x)
close(y, x.max((1, 2)), "global_max_pooling2d")
close(gx, (x == x.max((1, 2), keepdims=True)) * dy[:, None, None, :], "  d global max")

# zero_padding2d / cropping2d: every form of the margins
x = rng.normal(size=(2, 5, 6, 3))
for value, (t, b_, l, r) in [(1, (1, 1, 1, 1)), ([2, 1], (2, 2, 1, 1)), ([[0, 2], [3, 1]], (0, 2, 3, 1)),
                             ([1, 0, 2, 3], (1, 0, 2, 3))]:
    y, gx, _, dy = run([{"type": "zero_padding2d", "name": "z", "padding": value}], {}, x)
    close(y, np.pad(x, ((0, 0), (t, b_), (l, r), (0, 0))), f"zero_padding2d {value}")
    close(gx, dy[:, t:t + 5, l:l + 6], "  d zero_padding2d")
    y, gx, _, dy = run([{"type": "cropping2d", "name": "c", "cropping": value}], {}, x)
    close(y, x[:, t:5 - b_, l:6 - r], f"cropping2d {value}")
    g = np.zeros_like(x)
    g[:, t:5 - b_, l:6 - r] = dy
    close(gx, g, "  d cropping2d")

# up_sampling2d nearest: each pixel repeated sh x sw; gradient summed over the block
x = rng.normal(size=(2, 3, 4, 2))
for size in ([2, 2], [3, 1], [1, 2], 2):
    sh, sw = (size, size) if isinstance(size, int) else size
    y, gx, _, dy = run([{"type": "up_sampling2d", "name": "u", "size": size}], {}, x)
    close(y, np.repeat(np.repeat(x, sh, 1), sw, 2), f"up_sampling2d {size}")
    close(gx, dy.reshape(2, 3, sh, 4, sw, 2).sum((2, 4)), "  d up_sampling2d")

# layer_normalization vs F.layer_norm (biased variance over the last axis), center/scale each way
x = rng.normal(size=(3, 4, 5)) * 2 + 1
for center, scale in [(True, True), (False, True), (True, False), (False, False)]:
    g, be = rng.normal(size=5), rng.normal(size=5)
    w = {}
    if scale:
        w["ln/gamma"] = g
    if center:
        w["ln/beta"] = be
    layer = {"type": "layer_normalization", "name": "ln", "axis": -1, "epsilon": 1e-3, "center": center, "scale": scale}
    y, gx, net, dy = run([layer], w, x)
    xt2 = torch.tensor(x, requires_grad=True)
    g2, b2 = torch.tensor(g, requires_grad=True), torch.tensor(be, requires_grad=True)
    y2 = F.layer_norm(xt2, [5], g2 if scale else None, b2 if center else None, eps=1e-3)
    y2.backward(torch.tensor(dy))
    what = f"layer_normalization center={center} scale={scale}"
    close(y, y2.detach().numpy(), what)
    close(gx, xt2.grad.numpy(), "  dx")
    if scale:
        close(net.weight("ln/gamma").grad.numpy(), g2.grad.numpy(), "  dgamma")
    if center:
        close(net.weight("ln/beta").grad.numpy(), b2.grad.numpy(), "  dbeta")

# batch norm without center / scale vs F.batch_norm with no weight / bias
x = rng.normal(size=(3, 4, 2, 5)) * 2 + 1
for center, scale in [(False, True), (True, False), (False, False)]:
    w = {"bn/moving_mean": rng.normal(size=5), "bn/moving_variance": rng.uniform(0.5, 2, size=5)}
    g, be = rng.normal(size=5), rng.normal(size=5)
    if scale:
        w["bn/gamma"] = g
    if center:
        w["bn/beta"] = be
    layer = {"type": "batch_normalization", "name": "bn", "momentum": 0.9, "epsilon": 1e-3,
             "center": center, "scale": scale}
    y, gx, net, dy = run([layer], w, x, training=True)
    assert sorted(net.trainable_names(list(w))) == sorted(k for k in w if "moving" not in k)
    xt2 = torch.tensor(x.reshape(-1, 5), requires_grad=True)
    g2, b2 = torch.tensor(g, requires_grad=True), torch.tensor(be, requires_grad=True)
    y2 = F.batch_norm(xt2, None, None, g2 if scale else None, b2 if center else None, training=True, eps=1e-3)
    y2.backward(torch.tensor(dy.reshape(-1, 5)))
    what = f"batch norm center={center} scale={scale}"
    close(y.reshape(-1, 5), y2.detach().numpy(), what)
    close(gx.reshape(-1, 5), xt2.grad.numpy(), "  dx")
    if scale:
        close(net.weight("bn/gamma").grad.numpy(), g2.grad.numpy(), "  dgamma")
    if center:
        close(net.weight("bn/beta").grad.numpy(), b2.grad.numpy(), "  dbeta")
    yi = net(torch.tensor(x)).detach().numpy()
    ref = (x - w["bn/moving_mean"]) / np.sqrt(w["bn/moving_variance"] + 1e-3)
    close(yi, ref * (g if scale else 1) + (be if center else 0), "  inference")


# merges: element-wise ones and concatenate on several axes, gradients per input
def merge_layer(kind, n, extra=None):
    """(Net, its merge layer): the merge called on n separate tensors (the
    graph's routing is checked below)."""
    net = po.Net({"layers": [dict(extra or {}, type=kind, name="m", inputs=["input"] * n)]}, {}, D)
    return net, net.layers[0]


xs = [rng.normal(size=(2, 3, 4, 2)) for _ in range(3)]
for kind in ("add", "average", "multiply", "maximum"):
    for n in (2, 3):
        ts = [torch.tensor(v, requires_grad=True) for v in xs[:n]]
        net, layer = merge_layer(kind, n)
        y = net.merge(layer, ts)
        dy = rng.normal(size=y.shape)
        y.backward(torch.tensor(dy))
        stack = np.stack(xs[:n])
        ref = {"add": stack.sum(0), "average": stack.mean(0), "multiply": stack.prod(0), "maximum": stack.max(0)}[kind]
        close(y.detach().numpy(), ref, f"{kind} of {n}")
        for k in range(n):
            if kind == "add":
                g = dy
            elif kind == "average":
                g = dy / n
            elif kind == "multiply":
                g = dy * np.prod([xs[j] for j in range(n) if j != k], axis=0)
            else:
                g = dy * (xs[k] == ref)
            close(ts[k].grad.numpy(), g, f"  d input {k}")
# maximum: a tie goes to the earlier input
a = rng.normal(size=(2, 6))
b_ = a.copy()
b_[:, ::2] += 1.0
c = a.copy()
ts = [torch.tensor(v, requires_grad=True) for v in (a, b_, c)]
net, layer = merge_layer("maximum", 3)
net.merge(layer, ts).backward(torch.ones(2, 6, dtype=D))
first = np.tile([0.0, 1.0, 0.0, 1.0, 0.0, 1.0], (2, 1))
close(ts[0].grad.numpy(), first, "maximum: ties to the first input (a = c < b on even columns)")
close(ts[1].grad.numpy(), 1 - first, "  the larger input")
close(ts[2].grad.numpy(), np.zeros((2, 6)), "  the later tied input: none")
for axis in (-1, 3, 1, 2, -3):
    ts = [torch.tensor(v, requires_grad=True) for v in xs]
    net, layer = merge_layer("concatenate", 3, {"axis": axis})
    y = net.merge(layer, ts)
    dy = rng.normal(size=y.shape)
    y.backward(torch.tensor(dy))
    # Keras's positive axis counts the batch axis as 0, as numpy's does
    close(y.detach().numpy(), np.concatenate(xs, axis), f"concatenate axis {axis}")
    for k, part in enumerate(np.split(dy, 3, axis)):
        close(ts[k].grad.numpy(), part, f"  d input {k}")

# graphs: sources by name (a string or a list), the previous layer by default,
# a named model input, layers listed before their inputs, default names, fan-out
# (gradients summed), against the same model written out by hand
x = rng.normal(size=(4, 3))
Wa, Wb, Wc, bb = rng.normal(size=(3, 5)), rng.normal(size=(5, 5)), rng.normal(size=(3, 5)), rng.normal(size=5)
spec = {"input": {"shape": [3], "name": "features"},
        "layers": [{"type": "dense", "name": "a", "units": 5, "activation": "tanh", "use_bias": False},
                   {"type": "dense", "name": "b", "units": 5, "activation": "sigmoid", "use_bias": True,
                    "inputs": "a"},
                   {"type": "multiply", "name": "m", "inputs": ["a", "c"]},  # c is listed after m
                   {"type": "dense", "name": "c", "units": 5, "activation": "linear", "use_bias": False,
                    "inputs": ["features"]},
                   {"type": "add", "inputs": ["a", "b", "m", "a"]},  # default name add_1; a read twice
                   {"type": "activation", "activation": "tanh"}]}
net = po.Net(spec, weights_of({"a/kernel": Wa, "b/kernel": Wb, "b/bias": bb, "c/kernel": Wc}), D)
assert [net.layers[i]["name"] for i in net.order] == ["a", "b", "c", "m", "add_1", "activation_1"], net.order
xt = torch.tensor(x, requires_grad=True)
y = net(xt)
dy = torch.tensor(rng.normal(size=(4, 5)))
y.backward(dy)
ta, tb, tc, tbb = (torch.tensor(v, requires_grad=True) for v in (Wa, Wb, Wc, bb))
xr = torch.tensor(x, requires_grad=True)
ha = torch.tanh(xr @ ta)
hb = torch.sigmoid(ha @ tb + tbb)
y2 = torch.tanh(ha + hb + ha * (xr @ tc) + ha)
y2.backward(dy)
close(y.detach().numpy(), y2.detach().numpy(), "graph: named sources, named input, out-of-order list, fan-out")
close(xt.grad.numpy(), xr.grad.numpy(), "  d input (read by a and c)")
for name, ref in (("a/kernel", ta), ("b/kernel", tb), ("b/bias", tbb), ("c/kernel", tc)):
    close(net.weight(name).grad.numpy(), ref.grad.numpy(), "  d " + name)
# and by finite differences, independent of autograd: the fan-out sum in numpy


def graph_numpy(Wa_):
    ha_ = np.tanh(x @ Wa_)
    hb_ = 1 / (1 + np.exp(-(ha_ @ Wb + bb)))
    return np.sum(np.tanh(ha_ + hb_ + ha_ * (x @ Wc) + ha_) * dy.numpy())


fd = np.zeros_like(Wa)
for i in range(3):
    for j in range(5):
        e_ = np.zeros_like(Wa)
        e_[i, j] = 1e-6
        fd[i, j] = (graph_numpy(Wa + e_) - graph_numpy(Wa - e_)) / 2e-6
close(net.weight("a/kernel").grad.numpy(), fd, "  d a/kernel vs central differences", tol=1e-7)

if VERBOSE:
    print("all oracle self-checks passed")
