#!/usr/bin/python3
"""PyTorch oracle for gapscope's engine (run with Debian's /usr/bin/python3).

Reads cases written by pytorch_oracle_test.cpp, pytorch_oracle_layers_test.cpp
and pytorch_oracle_graph_test.cpp ({"cases": [...]}), each a ModelSpec, chain
(/1) or graph (/2: layers naming their inputs, merges), the engine's initial
weights (TF.js names and layouts), an input batch (one row per sample, reshaped
to input.shape) and targets. Layers: dense, activation, relu, leaky_relu,
softmax, dropout, conv2d (dilation_rate too), depthwise_conv2d,
separable_conv2d, max/average pooling, global average/max pooling,
zero_padding2d, cropping2d, up_sampling2d, flatten, reshape,
batch_normalization (center/scale optional), layer_normalization, embedding,
simple_rnn, lstm, gru, and the merges add, average, multiply, maximum,
concatenate. Computes with PyTorch, in float64 unless told otherwise, what the
engine must reproduce: inference-mode forward outputs,
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


def margins(value):
    """zero_padding2d's padding / cropping2d's cropping -> (top, bottom, left, right):
    n, [rows, columns], [[top, bottom], [left, right]] or [top, bottom, left, right]."""
    if isinstance(value, (int, float)):
        return (int(value),) * 4
    if len(value) == 2 and all(isinstance(v, list) for v in value):
        return (value[0][0], value[0][1], value[1][0], value[1][1])
    if len(value) == 2:
        return (value[0], value[0], value[1], value[1])
    if len(value) == 4:
        return tuple(value)
    raise ValueError("bad margins " + json.dumps(value))


def same_padding(size, k, stride):
    """TF's 'same' padding of one axis: (before, after), the odd pixel after.
    k: the window's extent (a dilated kernel's (k - 1) * d + 1)."""
    out = -(-size // stride)
    total = max((out - 1) * stride + k - size, 0)
    return total // 2, total - total // 2


def window_padding(layer, x_nchw, k, s):
    """(left, right, top, bottom) for F.pad of an NCHW image: window extent k, strides s."""
    if layer.get("padding", "valid") == "valid":
        return (0, 0, 0, 0)
    top, bottom = same_padding(x_nchw.shape[2], k[0], s[0])
    left, right = same_padding(x_nchw.shape[3], k[1], s[1])
    return (left, right, top, bottom)


def nhwc_to_nchw(x):
    return x.permute(0, 3, 1, 2)


def nchw_to_nhwc(x):
    return x.permute(0, 2, 3, 1)


def check_last_axis(layer, x):
    """batch / layer normalization and softmax act on the last axis only: -1, or
    its index counted with the batch axis (Keras writes 3 for images)."""
    axis = layer.get("axis", -1)
    if isinstance(axis, list) and len(axis) == 1:
        axis = axis[0]
    if axis not in (-1, x.dim() - 1):
        raise ValueError("layer %s: axis %s is not the last axis" % (layer["name"], axis))


MERGES = ("add", "average", "multiply", "maximum", "concatenate")


class Net(torch.nn.Module):
    """The spec's graph with TF.js weight layouts; tensors stay channels-last
    ([B, H, W, C]) between layers as in the engine, and convolution/pooling
    convert to PyTorch's NCHW and back inside the layer. Dense kernels are
    [in, out] and act on the last axis (per step for [B, T, F]).

    Graph: a layer takes the outputs named in its "inputs" (layer names, or the
    model input by spec.input.name, default "input"); without "inputs" the
    previous layer's in the list (the model input for the first). Layers run in
    the listed order wherever their inputs allow (a stable topological order);
    the last listed layer is the output. An output read by several layers gets
    the sum of their gradients through autograd."""

    def __init__(self, spec, weights, dtype):
        super().__init__()
        self.layers = [dict(layer) for layer in spec["layers"]]
        counts = {}
        for layer in self.layers:  # unnamed layers: <type>_<n>, n counting that type from 1
            counts[layer["type"]] = counts.get(layer["type"], 0) + 1
            layer.setdefault("name", "%s_%d" % (layer["type"], counts[layer["type"]]))
        self.input_name = spec.get("input", {}).get("name", "input")
        self.sources = []
        for i, layer in enumerate(self.layers):
            names = layer.get("inputs")
            if names is None:
                names = [self.layers[i - 1]["name"] if i else self.input_name]
            elif isinstance(names, str):
                names = [names]
            is_merge = layer["type"] in MERGES
            if (len(names) < 2) if is_merge else (len(names) != 1):
                raise ValueError("layer %s takes %d inputs" % (layer["name"], len(names)))
            self.sources.append(list(names))
        self.order = self.run_order()
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

    def run_order(self):
        """Layer indices, each after its sources: the listed order wherever possible."""
        names = {layer["name"] for layer in self.layers}
        for layer, sources in zip(self.layers, self.sources):
            for s in sources:
                if s not in names and s != self.input_name:
                    raise ValueError("layer %s: unknown input %s" % (layer["name"], s))
        done, order = {self.input_name}, []
        while len(order) < len(self.layers):
            ready = [i for i in range(len(self.layers))
                     if i not in order and all(s in done for s in self.sources[i])]
            if not ready:
                raise ValueError("the graph has a cycle")
            order.append(ready[0])
            done.add(self.layers[ready[0]]["name"])
        return order

    def weight(self, name):
        if name in self.state:
            return self.state[name]
        return self.params[name.replace("/", "__")]

    def trainable_names(self, names):
        return [n for n in names if n not in self.state]

    def bias(self, layer, x):
        return x + self.weight(layer["name"] + "/bias") if layer.get("use_bias", True) else x

    def convolve(self, layer, x, kernel_oihw, groups=1):
        """A TF convolution of NHWC x with a PyTorch [out, in/groups, kh, kw]
        kernel: strides, dilation_rate and 'same' padding (on the dilated
        extent, the odd pixel bottom/right) from the layer. NHWC out."""
        k = list(kernel_oihw.shape[2:])
        s = pair(layer.get("strides"), [1, 1])
        d = pair(layer.get("dilation_rate"), [1, 1])
        if d != [1, 1] and s != [1, 1]:
            raise ValueError("layer %s: strides > 1 with dilation_rate > 1 (TF refuses it)" % layer["name"])
        extent = [(k[0] - 1) * d[0] + 1, (k[1] - 1) * d[1] + 1]
        xc = nhwc_to_nchw(x)
        xc = F.pad(xc, window_padding(layer, xc, extent, s))
        return nchw_to_nhwc(F.conv2d(xc, kernel_oihw, stride=s, dilation=d, groups=groups))

    def conv2d(self, layer, x):
        kernel = self.weight(layer["name"] + "/kernel")  # [kh, kw, in, filters]
        y = self.convolve(layer, x, kernel.permute(3, 2, 0, 1))
        return activation(layer.get("activation", "linear"), self.bias(layer, y))

    def depthwise(self, layer, x):
        """depthwise_kernel [kh, kw, C, M]: input channel c's filter m makes output
        channel c*M + m, which is PyTorch's groups=C order of a [C*M, 1, kh, kw] kernel."""
        kernel = self.weight(layer["name"] + "/depthwise_kernel")
        kh, kw, c, m = kernel.shape
        return self.convolve(layer, x, kernel.permute(2, 3, 0, 1).reshape(c * m, 1, kh, kw), groups=c)

    def depthwise_conv2d(self, layer, x):
        return activation(layer.get("activation", "linear"), self.bias(layer, self.depthwise(layer, x)))

    def separable_conv2d(self, layer, x):
        """The depthwise pass (strides, padding, dilation; no bias), then a 1x1
        convolution with pointwise_kernel [1, 1, C*M, filters], bias, activation."""
        y = self.depthwise(layer, x)
        pointwise = self.weight(layer["name"] + "/pointwise_kernel")
        y = nchw_to_nhwc(F.conv2d(nhwc_to_nchw(y), pointwise.permute(3, 2, 0, 1)))
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
        check_last_axis(layer, x)
        name = layer["name"]
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
        y = (x - mean) / torch.sqrt(var + eps)
        if layer.get("scale", True):  # scale false: no gamma weight
            y = self.weight(name + "/gamma") * y
        if layer.get("center", True):  # center false: no beta weight
            y = y + self.weight(name + "/beta")
        return y

    def layer_norm(self, layer, x):
        """Keras LayerNormalization over the last axis: per row (every sample,
        every position) its mean and biased variance; gamma [C], beta [C]."""
        check_last_axis(layer, x)
        name = layer["name"]
        mean = x.mean(-1, keepdim=True)
        var = ((x - mean) ** 2).mean(-1, keepdim=True)
        y = (x - mean) / torch.sqrt(var + layer.get("epsilon", 1e-3))
        if layer.get("scale", True):
            y = y * self.weight(name + "/gamma")
        if layer.get("center", True):
            y = y + self.weight(name + "/beta")
        return y

    @staticmethod
    def relu(layer, x):
        """Keras ReLU: max_value if x >= max_value; x if threshold <= x < max_value;
        negative_slope * (x - threshold) otherwise. At the kinks the gradient is
        TF's: 0 at x == threshold (with slope 0), 0 at x == max_value (as relu6)."""
        slope = layer.get("negative_slope", 0.0)
        threshold = layer.get("threshold", 0.0)
        max_value = layer.get("max_value")
        if slope == 0 and threshold == 0:
            y = F.relu(x)
        else:
            y = torch.where(x > threshold, x, slope * (x - threshold))
        if max_value is not None:
            y = torch.where(x >= max_value, torch.full_like(x, max_value), y)
        return y

    @staticmethod
    def merge(layer, xs):
        kind = layer["type"]
        if kind == "add":
            return sum(xs[1:], xs[0])
        if kind == "average":
            return sum(xs[1:], xs[0]) / len(xs)
        if kind == "multiply":
            y = xs[0]
            for v in xs[1:]:
                y = y * v
            return y
        if kind == "maximum":
            # Ties go to the earlier input (torch.maximum would split the gradient).
            y = xs[0]
            for v in xs[1:]:
                y = torch.where(v > y, v, y)
            return y
        if kind == "concatenate":
            # Keras's axis: a positive one counts the batch axis as 0, as torch's dim does.
            return torch.cat(xs, dim=layer.get("axis", -1))
        raise ValueError("not a merge: " + kind)

    def apply(self, layer, xs, training, update_stats):
        kind = layer["type"]
        if kind in MERGES:
            return self.merge(layer, xs)
        x = xs[0]
        if kind == "dense":
            x = x @ self.weight(layer["name"] + "/kernel")
            return activation(layer.get("activation", "linear"), self.bias(layer, x))
        if kind == "activation":
            return activation(layer["activation"], x)
        if kind == "relu":
            return self.relu(layer, x)
        if kind == "leaky_relu":
            # x if x > 0 else alpha * x (Keras 3 calls alpha negative_slope)
            return F.leaky_relu(x, layer.get("alpha", layer.get("negative_slope", 0.3)))
        if kind == "softmax":
            check_last_axis(layer, x)
            return torch.softmax(x, dim=-1)
        if kind == "dropout":
            return x  # rate 0 in the oracle cases: a real mask cannot be reproduced
        if kind == "conv2d":
            return self.conv2d(layer, x)
        if kind == "depthwise_conv2d":
            return self.depthwise_conv2d(layer, x)
        if kind == "separable_conv2d":
            return self.separable_conv2d(layer, x)
        if kind in ("max_pooling2d", "average_pooling2d"):
            return self.pool(layer, x)
        if kind == "global_average_pooling2d":
            return x.mean((1, 2))
        if kind == "global_max_pooling2d":
            # amax splits a tie's gradient (gapscope: the first maximum, TF.js:
            # every tie); the cases use random data, where no ties occur.
            return x.amax((1, 2))
        if kind == "zero_padding2d":
            top, bottom, left, right = margins(layer.get("padding", 1))
            return F.pad(x, (0, 0, left, right, top, bottom))
        if kind == "cropping2d":
            top, bottom, left, right = margins(layer.get("cropping", 0))
            return x[:, top:x.shape[1] - bottom, left:x.shape[2] - right, :]
        if kind == "up_sampling2d":
            if layer.get("interpolation", "nearest") != "nearest":
                raise ValueError("oracle has up_sampling2d with nearest interpolation only")
            sh, sw = pair(layer.get("size"), [2, 2])
            return x.repeat_interleave(sh, dim=1).repeat_interleave(sw, dim=2)
        if kind == "flatten":
            return x.reshape(x.shape[0], -1)  # channels-last order, as TF.js
        if kind == "reshape":
            return x.reshape([x.shape[0]] + list(layer["target_shape"]))
        if kind == "batch_normalization":
            return self.batch_norm(layer, x, training, update_stats)
        if kind == "layer_normalization":
            return self.layer_norm(layer, x)
        if kind == "embedding":
            return self.weight(layer["name"] + "/embeddings")[x.long()]
        if kind in ("simple_rnn", "lstm", "gru"):
            return self.recurrent(layer, x)
        raise ValueError("oracle has no layer " + kind)

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
        outputs = {self.input_name: x}
        for i in self.order:
            layer = self.layers[i]
            xs = [outputs[name] for name in self.sources[i]]
            outputs[layer["name"]] = self.apply(layer, xs, training, update_stats)
        return outputs[self.layers[-1]["name"]]


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
