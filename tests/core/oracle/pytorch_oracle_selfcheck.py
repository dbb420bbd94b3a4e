#!/usr/bin/python3
"""Checks the oracle itself (pytorch_oracle.py) against independent references,
so that an engine and an oracle sharing one misreading of TF.js cannot agree:
naive numpy loops with TF's output sizes and 'same' padding (conv2d, max and
average pooling with their gradients), F.batch_norm and TF.js's moving-average
rule, torch.nn.LSTM / torch.nn.RNN (same gate order as TF.js), a numpy GRU with
reset_after false and hard_sigmoid, and losses averaged over per-step rows.
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


def naive_conv(x, W, b, s, padding):
    B, H, Wd, C = x.shape
    kh, kw, _, Fo = W.shape
    oh, pt = tf_axis(H, kh, s[0], padding)
    ow, pl = tf_axis(Wd, kw, s[1], padding)
    y = np.zeros((B, oh, ow, Fo))
    for n in range(B):
        for oy in range(oh):
            for ox in range(ow):
                acc = np.array(b, dtype=np.float64).copy()
                for i in range(kh):
                    for j in range(kw):
                        r, c = oy * s[0] - pt + i, ox * s[1] - pl + j
                        if 0 <= r < H and 0 <= c < Wd:
                            acc += x[n, r, c, :] @ W[i, j]
                y[n, oy, ox] = acc
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
if VERBOSE:
    print("all oracle self-checks passed")
