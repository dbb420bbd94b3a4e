#!/usr/bin/python3
"""PyTorch oracle for gapscope's engine (run with Debian's /usr/bin/python3).

Reads cases written by pytorch_oracle_test.cpp and pytorch_oracle_layers_test.cpp
({"cases": [...]}), each a ModelSpec (dense, activation, dropout, conv2d,
pooling, flatten, reshape, batch_normalization, embedding, simple_rnn, lstm,
gru layers), the engine's initial weights (TF.js names and layouts), an input
batch (one row per sample, reshaped to input.shape) and targets. Computes with PyTorch, in float64 unless
told otherwise, what the engine must reproduce: inference-mode forward outputs,
the TF.js-defined loss of a training-mode forward, d loss / d weight for every
trainable weight, and every weight after `steps` optimizer steps (torch.optim
where PyTorch has the optimizer with the same rule; batch norm's moving
statistics move by TF.js's rule once per step). Writes {"results": [...]} in
the same order. Layouts are converted here, never in the engine.
One process for all cases: importing torch costs more than the cases.

usage: pytorch_oracle.py CASES.json RESULTS.json
"""
import json
import sys

import torch
import torch.nn.functional as F

EPS = 1e-7  # TF.js backend epsilon, used by its cross-entropy clipping


def activation(name, x):
    return {
        "linear": lambda v: v,
        "elu": F.elu,
        "hard_sigmoid": lambda v: torch.clamp(0.2 * v + 0.5, 0.0, 1.0),
        "relu": F.relu,
        "relu6": lambda v: torch.clamp(v, 0.0, 6.0),
        "selu": F.selu,
        "sigmoid": torch.sigmoid,
        "softmax": lambda v: torch.softmax(v, dim=-1),
        "softplus": F.softplus,
        "softsign": lambda v: v / (1 + v.abs()),
        "tanh": torch.tanh,
        "swish": lambda v: v * torch.sigmoid(v),
        "mish": lambda v: v * torch.tanh(F.softplus(v)),
        "gelu": F.gelu,  # exact erf form, as TF.js layers' 'gelu'
    }[name](x)


def loss_fn(name, out, target):
    """Losses as TF.js computes them, averaged over every prediction: the rows of
    the output's last axis (B rows, or B*T for per-step outputs [B, T, V], as
    Keras averages a dense layer's per-step predictions)."""
    out = out.reshape(-1, out.shape[-1])
    target = target.reshape(out.shape[0], -1)
    if name in ("categorical_crossentropy", "sparse_categorical_crossentropy"):
        if name == "sparse_categorical_crossentropy":
            target = F.one_hot(target[:, 0].long(), out.shape[-1]).to(out.dtype)
        p = out / out.sum(-1, keepdim=True)
        p = torch.clamp(p, EPS, 1 - EPS)
        return -(target * torch.log(p)).sum(-1).mean()
    if name == "binary_crossentropy":
        p = torch.clamp(out, EPS, 1 - EPS)
        return -(target * torch.log(p) + (1 - target) * torch.log(1 - p)).mean(-1).mean()
    if name == "mean_squared_error":
        return ((out - target) ** 2).mean(-1).mean()
    raise ValueError("unknown loss " + name)


def pair(value, default):
    if value is None:
        return list(default)
    return [value, value] if isinstance(value, int) else list(value)


def same_padding(size, k, stride):
    """TF's 'same' padding of one axis: (before, after), the odd pixel after."""
    out = -(-size // stride)
    total = max((out - 1) * stride + k - size, 0)
    return total // 2, total - total // 2


def window_padding(layer, x_nchw, k, s):
    """(left, right, top, bottom) for F.pad of an NCHW image: window k, strides s."""
    if layer.get("padding", "valid") == "valid":
        return (0, 0, 0, 0)
    top, bottom = same_padding(x_nchw.shape[2], k[0], s[0])
    left, right = same_padding(x_nchw.shape[3], k[1], s[1])
    return (left, right, top, bottom)


def nhwc_to_nchw(x):
    return x.permute(0, 3, 1, 2)


def nchw_to_nhwc(x):
    return x.permute(0, 2, 3, 1)


class Net(torch.nn.Module):
    """The spec's layers with TF.js weight layouts; tensors stay channels-last
    ([B, H, W, C]) between layers as in the engine, and convolution/pooling
    convert to PyTorch's NCHW and back inside the layer. Dense kernels are
    [in, out] and act on the last axis (per step for [B, T, F])."""

    def __init__(self, spec, weights, dtype):
        super().__init__()
        self.layers = spec["layers"]
        self.params = torch.nn.ParameterDict()
        self.state = {}  # non-trainable weights (batch norm's moving statistics)
        non_trainable = set()
        for layer in self.layers:
            if layer["type"] == "batch_normalization":
                non_trainable |= {layer["name"] + "/moving_mean", layer["name"] + "/moving_variance"}
        for name, w in weights.items():
            t = torch.tensor(w["values"], dtype=dtype).reshape(w["shape"])
            if name in non_trainable:
                self.state[name] = t
            else:
                self.params[name.replace("/", "__")] = torch.nn.Parameter(t)

    def weight(self, name):
        if name in self.state:
            return self.state[name]
        return self.params[name.replace("/", "__")]

    def trainable_names(self, names):
        return [n for n in names if n not in self.state]

    def bias(self, layer, x):
        return x + self.weight(layer["name"] + "/bias") if layer.get("use_bias", True) else x

    def conv2d(self, layer, x):
        kernel = self.weight(layer["name"] + "/kernel")  # [kh, kw, in, filters]
        k = list(kernel.shape[:2])
        s = pair(layer.get("strides"), [1, 1])
        xc = nhwc_to_nchw(x)
        xc = F.pad(xc, window_padding(layer, xc, k, s))
        y = nchw_to_nhwc(F.conv2d(xc, kernel.permute(3, 2, 0, 1), stride=s))
        return activation(layer.get("activation", "linear"), self.bias(layer, y))

    def pool(self, layer, x):
        k = pair(layer["pool_size"], None)
        s = pair(layer.get("strides"), k)
        xc = nhwc_to_nchw(x)
        pads = window_padding(layer, xc, k, s)
        if layer["type"] == "max_pooling2d":
            # Padding taps never win the max.
            y = F.max_pool2d(F.pad(xc, pads, value=float("-inf")), k, s)
        else:
            # The mean over the window's in-image taps: padded sums / in-image counts.
            sums = F.avg_pool2d(F.pad(xc, pads), k, s) * (k[0] * k[1])
            ones = F.pad(torch.ones_like(xc[:1, :1]), pads)
            counts = F.avg_pool2d(ones, k, s) * (k[0] * k[1])
            y = sums / counts
        return nchw_to_nhwc(y)

    def batch_norm(self, layer, x, training, update_stats):
        name = layer["name"]
        gamma, beta = self.weight(name + "/gamma"), self.weight(name + "/beta")
        eps = layer.get("epsilon", 1e-3)
        if not training:
            mean, var = self.state[name + "/moving_mean"], self.state[name + "/moving_variance"]
        else:
            rows = x.reshape(-1, x.shape[-1])
            mean = rows.mean(0)
            var = ((rows - mean) ** 2).mean(0)  # biased, as tf.moments
            if update_stats:
                # TF.js: moving -= (moving - batch) * (1 - momentum), batch variance biased.
                decay = 1 - layer.get("momentum", 0.99)
                with torch.no_grad():
                    for key, value in (("/moving_mean", mean), ("/moving_variance", var)):
                        moving = self.state[name + key]
                        self.state[name + key] = moving - (moving - value.detach()) * decay
        return gamma * (x - mean) / torch.sqrt(var + eps) + beta

    def recurrent(self, layer, x):
        """x [B, T, F] -> [B, T, u] (return_sequences) or the last h [B, u]; zero initial state."""
        name, kind = layer["name"], layer["type"]
        kernel = self.weight(name + "/kernel")             # [F, G*u]
        recurrent = self.weight(name + "/recurrent_kernel")  # [u, G*u]
        use_bias = layer.get("use_bias", True)
        b = self.weight(name + "/bias") if use_bias else None
        act = lambda v: activation(layer.get("activation", "tanh"), v)
        rec = lambda v: activation(layer.get("recurrent_activation", "hard_sigmoid"), v)
        u = recurrent.shape[0]
        batch, steps = x.shape[0], x.shape[1]
        h = torch.zeros(batch, u, dtype=x.dtype)
        c = torch.zeros(batch, u, dtype=x.dtype)
        outputs = []
        for t in range(steps):
            xw = x[:, t, :] @ kernel
            if use_bias:
                xw = xw + b
            if kind == "simple_rnn":
                h = act(xw + h @ recurrent)
            elif kind == "lstm":
                z = xw + h @ recurrent
                i, f, cc, o = z[:, :u], z[:, u:2 * u], z[:, 2 * u:3 * u], z[:, 3 * u:]
                c = rec(f) * c + rec(i) * act(cc)
                h = rec(o) * act(c)
            elif kind == "gru":  # TF.js: reset_after false, gates z, r, h
                hu = h @ recurrent[:, :2 * u]
                zg = rec(xw[:, :u] + hu[:, :u])
                rg = rec(xw[:, u:2 * u] + hu[:, u:])
                hh = act(xw[:, 2 * u:] + (rg * h) @ recurrent[:, 2 * u:])
                h = zg * h + (1 - zg) * hh
            else:
                raise ValueError("not a recurrent layer: " + kind)
            outputs.append(h)
        return torch.stack(outputs, 1) if layer.get("return_sequences", False) else h

    def forward(self, x, training=False, update_stats=False):
        """training: batch norm normalises with the batch's moments (and, with
        update_stats, moves its moving statistics as a TF.js training step does);
        inference uses the moving statistics. Dropout is always the identity."""
        for layer in self.layers:
            kind = layer["type"]
            if kind == "dense":
                x = x @ self.weight(layer["name"] + "/kernel")
                x = activation(layer.get("activation", "linear"), self.bias(layer, x))
            elif kind == "activation":
                x = activation(layer["activation"], x)
            elif kind == "dropout":
                pass  # rate 0 in the oracle cases: a real mask cannot be reproduced
            elif kind == "conv2d":
                x = self.conv2d(layer, x)
            elif kind in ("max_pooling2d", "average_pooling2d"):
                x = self.pool(layer, x)
            elif kind == "flatten":
                x = x.reshape(x.shape[0], -1)  # channels-last order, as TF.js
            elif kind == "reshape":
                x = x.reshape([x.shape[0]] + list(layer["target_shape"]))
            elif kind == "batch_normalization":
                x = self.batch_norm(layer, x, training, update_stats)
            elif kind == "embedding":
                x = self.weight(layer["name"] + "/embeddings")[x.long()]
            elif kind in ("simple_rnn", "lstm", "gru"):
                x = self.recurrent(layer, x)
            else:
                raise ValueError("oracle has no layer " + kind)
        return x


def tfjs_adadelta_step(params, state, lr, rho, eps):
    """TF.js's Adadelta: unlike torch.optim.Adadelta it scales the update with the
    accumulated gradient from *before* this step (tfjs-core adadelta_optimizer.ts)."""
    with torch.no_grad():
        for p in params:
            acc_g, acc_u = state.setdefault(p, (torch.zeros_like(p), torch.zeros_like(p)))
            new_acc_g = rho * acc_g + (1 - rho) * p.grad ** 2
            update = torch.sqrt(acc_u + eps) / torch.sqrt(acc_g + eps) * p.grad
            new_acc_u = rho * acc_u + (1 - rho) * update ** 2
            state[p] = (new_acc_g, new_acc_u)
            p -= lr * update


def make_optimizer(config, params):
    kind, lr = config["type"], config["learning_rate"]
    eps = config.get("epsilon", 1e-7)
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if kind == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=config["momentum"], nesterov=config.get("nesterov", False))
    if kind == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, initial_accumulator_value=config["initial_accumulator_value"], eps=eps)
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(config["beta1"], config["beta2"]), eps=eps)
    if kind == "adamax":
        return torch.optim.Adamax(params, lr=lr, betas=(config["beta1"], config["beta2"]), eps=eps)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=config["rho"], eps=eps, momentum=config.get("momentum", 0.0),
                                   centered=config.get("centered", False))
    return None  # adadelta: see tfjs_adadelta_step


def solve(case):
    dtype = torch.float64
    spec = case["spec"]
    net = Net(spec, case["weights"], dtype)
    x = torch.tensor(case["input"], dtype=dtype)
    x = x.reshape([x.shape[0]] + list(spec["input"]["shape"]))
    target = torch.tensor(case["target"], dtype=dtype)
    loss_name = spec["loss"]
    trainable = net.trainable_names(case["weights"])

    # output: inference (the engine's predict); loss and gradients: a training
    # forward (the engine's compute_gradients), which leaves the moving statistics.
    with torch.no_grad():
        out = net(x, training=False)
    loss = loss_fn(loss_name, net(x, training=True), target)
    loss.backward()
    result = {
        "output": out.flatten().tolist(),
        "loss": loss.item(),
        "gradients": {name: net.weight(name).grad.flatten().tolist() for name in trainable},
    }

    config = spec["optimizer"]
    params = [net.weight(name) for name in trainable]
    optimizer = make_optimizer(config, params)
    adadelta_state = {}
    for _ in range(case["steps"]):
        for p in params:
            p.grad = None
        loss_fn(loss_name, net(x, training=True, update_stats=True), target).backward()
        if optimizer is None:
            tfjs_adadelta_step(params, adadelta_state, config["learning_rate"], config["rho"], config.get("epsilon", 1e-7))
        else:
            optimizer.step()
    result["weights_after"] = {name: net.weight(name).detach().flatten().tolist() for name in case["weights"]}
    return result


def main():
    cases = json.load(open(sys.argv[1]))["cases"]
    json.dump({"results": [solve(case) for case in cases]}, open(sys.argv[2], "w"))


if __name__ == "__main__":
    main()
