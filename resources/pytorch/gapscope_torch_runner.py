#!/usr/bin/python3
"""pytorch-cpu: the paper's kind of native baseline, a mainstream framework.

gapscope (ui/runs/pytorch_process_runner.cpp) runs this in a child process with
Debian's python3-torch: `gapscope_torch_runner.py JOB.json`. The job names the
model (a gapscope spec JSON with the weights' names, shapes and offsets into a
float32 file), the rows (float32 files), the protocol and the thread count. It
builds the same model with the same weights in PyTorch and times the same
phases as the native runner (core/measure/native_runner.cpp):

  load     spec + weights on disk -> a torch module ready to run
  warmup   the first inference of a freshly built module
  infer    one sample (batch 1), steady state, output read back
  train    one batch: forward, loss, backward, optimizer step, loss read back

It prints JSON lines on stdout: {"kind": "capabilities", ...}, {"kind":
"samples", "phase", "unit", "samples", "warmup"}, {"kind": "progress", ...},
{"kind": "cpu_utilisation", "cpu_seconds", "wall_seconds", "steps"},
{"kind": "memory", "bytes"}, and in predict mode {"kind": "predictions",
"values"}. gapscope turns them into its records. A model it cannot build
exits 3 with {"kind": "unsupported", "message"} naming the layer and field;
no torch exits 4.
"""
import json
import resource
import sys
import time

EXIT_UNSUPPORTED = 3
EXIT_UNAVAILABLE = 4
UTILISATION_WINDOW_SECONDS = 0.3  # core/measure/cpu_utilisation.h

try:
    import numpy as np
    import torch
    import torch.nn.functional as F
except ImportError as e:
    print(f"{sys.executable} cannot import {e.name}: apt install python3-torch python3-numpy", file=sys.stderr)
    sys.exit(EXIT_UNAVAILABLE)


class Unsupported(Exception):
    pass


def emit(record):
    sys.stdout.write(json.dumps(record) + "\n")
    sys.stdout.flush()


ACTIVATIONS = {
    "linear": lambda x: x,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "softmax": lambda x: torch.softmax(x, dim=-1),
    # TF.js's and Keras 2's hard sigmoid (core/base/activation.cpp).
    "hard_sigmoid": lambda x: torch.clamp(0.2 * x + 0.5, 0.0, 1.0),
}


def activation_of(layer, field="activation"):
    name = layer.get(field, "linear")
    if name not in ACTIVATIONS:
        raise Unsupported(f"layer '{layer['name']}' ({layer['type']}): {field} '{name}' "
                          f"(pytorch-cpu supports {', '.join(sorted(ACTIVATIONS))})")
    return name


def pair(value):
    return tuple(value) if isinstance(value, list) else (value, value)


class Dense(torch.nn.Module):
    # x [N, in] -> [N, units]; or [N, T, in] -> [N, T, units]. kernel [in, units] as Keras.
    def __init__(self, layer, weights):
        super().__init__()
        self.act = activation_of(layer)
        self.linear = torch.nn.Linear(1, 1, bias=layer.get("use_bias", True))
        self.linear.weight = torch.nn.Parameter(weights[layer["name"] + "/kernel"].t().contiguous())
        if layer.get("use_bias", True):
            self.linear.bias = torch.nn.Parameter(weights[layer["name"] + "/bias"])

    def forward(self, x, logits=False):
        y = self.linear(x)
        return y if logits and self.act == "softmax" else ACTIVATIONS[self.act](y)


class Conv2d(torch.nn.Module):
    # x [N, C, H, W] (channels first inside torch) -> [N, filters, H', W']. kernel [kh, kw, in, out] as Keras.
    def __init__(self, layer, weights):
        super().__init__()
        self.act = activation_of(layer)
        if layer.get("padding", "valid") not in ("valid", "same"):
            raise Unsupported(f"layer '{layer['name']}' (conv2d): padding '{layer['padding']}' (valid or same)")
        kernel = weights[layer["name"] + "/kernel"]
        kh, kw, cin, cout = kernel.shape
        strides, dilation = pair(layer.get("strides", 1)), pair(layer.get("dilation_rate", 1))
        if layer.get("padding") == "same" and strides != (1, 1):
            raise Unsupported(f"layer '{layer['name']}' (conv2d): padding 'same' with strides {list(strides)} "
                              "(torch pads 'same' only at stride 1)")
        self.conv = torch.nn.Conv2d(cin, cout, (kh, kw), stride=strides, dilation=dilation,
                                    padding=layer.get("padding", "valid"), bias=layer.get("use_bias", True))
        self.conv.weight = torch.nn.Parameter(kernel.permute(3, 2, 0, 1).contiguous())
        if layer.get("use_bias", True):
            self.conv.bias = torch.nn.Parameter(weights[layer["name"] + "/bias"])

    def forward(self, x, logits=False):
        return ACTIVATIONS[self.act](self.conv(x))


class MaxPool2d(torch.nn.Module):
    def __init__(self, layer, weights):
        super().__init__()
        if layer.get("padding", "valid") != "valid":
            raise Unsupported(f"layer '{layer['name']}' (max_pooling2d): padding '{layer['padding']}' (valid only)")
        size = pair(layer.get("pool_size", 2))
        self.pool = torch.nn.MaxPool2d(size, stride=pair(layer.get("strides", size)))

    def forward(self, x, logits=False):
        return self.pool(x)


class Flatten(torch.nn.Module):
    # Keras flattens channels last: back to [N, H, W, C] first, so the next dense layer's rows line up.
    def __init__(self, layer, weights):
        super().__init__()

    def forward(self, x, logits=False):
        return (x.permute(0, 2, 3, 1) if x.dim() == 4 else x).reshape(x.shape[0], -1)


class Dropout(torch.nn.Module):
    def __init__(self, layer, weights):
        super().__init__()
        self.dropout = torch.nn.Dropout(layer.get("rate", 0.0))

    def forward(self, x, logits=False):
        return self.dropout(x)


class Lstm(torch.nn.Module):
    # x [N, T, in] -> [N, T, units] (return_sequences) or [N, units]. Keras's gate order i, f, c, o is
    # torch's i, f, g, o. With sigmoid gates torch's fused nn.LSTM runs; with hard_sigmoid (TF.js's default)
    # a loop over time steps in torch ops, since nn.LSTM has no other gate activation.
    def __init__(self, layer, weights):
        super().__init__()
        name = layer["name"]
        self.units = layer["units"]
        self.return_sequences = layer.get("return_sequences", False)
        self.act = activation_of(layer)
        self.gate = activation_of(layer, "recurrent_activation")
        kernel, recurrent = weights[name + "/kernel"], weights[name + "/recurrent_kernel"]
        bias = weights[name + "/bias"] if layer.get("use_bias", True) else torch.zeros(4 * self.units)
        self.fused = self.act == "tanh" and self.gate == "sigmoid"
        if self.fused:
            self.lstm = torch.nn.LSTM(kernel.shape[0], self.units, batch_first=True)
            self.lstm.weight_ih_l0 = torch.nn.Parameter(kernel.t().contiguous())
            self.lstm.weight_hh_l0 = torch.nn.Parameter(recurrent.t().contiguous())
            self.lstm.bias_ih_l0 = torch.nn.Parameter(bias)
            self.lstm.bias_hh_l0 = torch.nn.Parameter(torch.zeros(4 * self.units), requires_grad=False)
        else:
            self.kernel = torch.nn.Parameter(kernel)
            self.recurrent = torch.nn.Parameter(recurrent)
            self.bias = torch.nn.Parameter(bias)

    def forward(self, x, logits=False):
        if self.fused:
            out, (h, _) = self.lstm(x)
            return out if self.return_sequences else h[0]
        n, steps, _ = x.shape
        h = x.new_zeros(n, self.units)
        c = x.new_zeros(n, self.units)
        projected = torch.matmul(x, self.kernel) + self.bias  # [N, T, 4u]: the input part of every step at once
        act, gate, u = ACTIVATIONS[self.act], ACTIVATIONS[self.gate], self.units
        outputs = []
        for t in range(steps):
            z = projected[:, t] + torch.matmul(h, self.recurrent)
            i, f, g, o = gate(z[:, :u]), gate(z[:, u:2 * u]), act(z[:, 2 * u:3 * u]), gate(z[:, 3 * u:])
            c = f * c + i * g
            h = o * act(c)
            if self.return_sequences:
                outputs.append(h)
        return torch.stack(outputs, dim=1) if self.return_sequences else h


LAYERS = {"dense": Dense, "conv2d": Conv2d, "max_pooling2d": MaxPool2d, "flatten": Flatten,
          "dropout": Dropout, "lstm": Lstm}


class Model(torch.nn.Module):
    def __init__(self, spec, weights):
        super().__init__()
        self.input_shape = spec["input"]["shape"]
        layers = spec["layers"]
        for layer in layers:
            if layer["type"] not in LAYERS:
                raise Unsupported(f"layer '{layer['name']}': type '{layer['type']}' "
                                  f"(pytorch-cpu builds {', '.join(sorted(LAYERS))} in a sequence)")
            if layer.get("inputs"):
                raise Unsupported(f"layer '{layer['name']}': inputs {layer['inputs']} (pytorch-cpu builds "
                                  "sequential models only)")
        self.layers = torch.nn.ModuleList(LAYERS[layer["type"]](layer, weights) for layer in layers)
        self.images = len(self.input_shape) == 3

    def forward(self, x, logits=False):
        x = x.reshape(x.shape[0], *self.input_shape)
        if self.images:
            x = x.permute(0, 3, 1, 2)  # gapscope's rows are channels last
        for k, layer in enumerate(self.layers):
            x = layer(x, logits=logits and k == len(self.layers) - 1)
        return x


def loss_of(spec, model):
    loss = spec.get("loss", "categorical_crossentropy")
    last = spec["layers"][-1]
    if loss == "categorical_crossentropy" and last.get("activation") == "softmax":
        # Softmax and cross-entropy in one (log_softmax), as any PyTorch user writes it.
        return lambda x, target: F.cross_entropy(model(x, logits=True), target)
    if loss == "mean_squared_error":
        return lambda x, target: F.mse_loss(model(x), target)
    raise Unsupported(f"loss '{loss}' after a '{last.get('activation', 'linear')}' output (pytorch-cpu trains "
                      "categorical_crossentropy after softmax and mean_squared_error)")


def optimizer_of(config, parameters):
    kind, lr = config.get("type", "sgd"), config.get("learning_rate", 0.01)
    if kind == "sgd":
        return torch.optim.SGD(parameters, lr=lr, momentum=config.get("momentum", 0.0))
    if kind == "adam":
        return torch.optim.Adam(parameters, lr=lr, betas=(config.get("beta1", 0.9), config.get("beta2", 0.999)),
                                eps=config.get("epsilon", 1e-7))
    if kind == "rmsprop":
        return torch.optim.RMSprop(parameters, lr=lr, alpha=config.get("rho", 0.9), eps=config.get("epsilon", 1e-7),
                                   momentum=config.get("momentum", 0.0), centered=config.get("centered", False))
    raise Unsupported(f"optimizer '{kind}' (pytorch-cpu trains with sgd, adam, rmsprop)")


def load_model(job):
    with open(job["model"]) as f:
        model_file = json.load(f)
    values = np.fromfile(job["weights"], dtype=np.float32)
    weights = {w["name"]: torch.from_numpy(values[w["offset"]:w["offset"] + int(np.prod(w["shape"]))].copy())
               .reshape(w["shape"]) for w in model_file["weights"]}
    return model_file["spec"], Model(model_file["spec"], weights)


def rows(path, count):
    values = np.fromfile(path, dtype=np.float32)
    return torch.from_numpy(values.reshape(count, -1))


def now_ms():
    return time.perf_counter() * 1000.0


class Progress:
    def __init__(self, enabled):
        self.enabled = enabled

    def __call__(self, phase, step, steps, ms, loss=None):
        # Every training step; about 20 times per other phase (as the native runner).
        if not self.enabled or (phase != "train" and step % max(1, steps // 20) != 0 and step != steps):
            return
        record = {"kind": "progress", "phase": phase, "step": step, "steps": steps, "ms": ms}
        if loss is not None:
            record["loss"] = loss
        emit(record)


def measure(job):
    protocol, phases = job["protocol"], set(job["protocol"].get("phases", []))
    progress = Progress(job.get("progress", False))
    torch.set_num_threads(job["threads"])
    torch.manual_seed(job["seed"])
    spec, model = load_model(job)
    x, target = rows(job["x"], job["rows"]), rows(job["target"], job["rows"])
    emit({"kind": "capabilities", "framework": "PyTorch", "torch_version": torch.__version__,
          "threads": str(torch.get_num_threads()), "mkldnn": str(torch.backends.mkldnn.is_available()).lower(),
          "lstm": ", ".join(sorted({"nn.LSTM (sigmoid gates)" if l.fused else "a loop over time steps "
                                    f"({l.gate} gates)" for l in model.layers if isinstance(l, Lstm)})) or "none",
          "python": sys.version.split()[0]})

    if "predict" in job:
        with torch.no_grad():
            emit({"kind": "predictions", "values": model(x[:job["predict"]]).reshape(-1).tolist()})
        return

    def timed(phase, warmup, runs, once):
        samples = []
        for i in range(warmup + runs):
            start = now_ms()
            once(i)
            ms = now_ms() - start
            if i >= warmup:
                samples.append(ms)
            progress(phase, i + 1, warmup + runs, ms)
        emit({"kind": "samples", "phase": phase, "unit": "ms", "samples": samples, "warmup": warmup})

    if "load" in phases:
        timed("load", protocol["load_warmup"], protocol["load_runs"], lambda i: load_model(job))
    if "warmup" in phases:
        fresh = []
        for i in range(protocol["warmup_runs"]):
            fresh.append(load_model(job)[1])
        with torch.no_grad():
            timed("warmup", 0, protocol["warmup_runs"], lambda i: fresh[i](x[i % len(x):i % len(x) + 1]).numpy())
    if "infer" in phases:
        model.eval()
        with torch.no_grad():
            timed("infer", protocol["infer_warmup"], protocol["infer_runs"],
                  lambda i: model(x[i % len(x):i % len(x) + 1]).numpy())
    if "train" in phases:
        model.train()
        batch = protocol["batch_size"]
        batches = len(x) // batch
        if batches < 1:
            raise ValueError(f"training needs a whole batch: the data has {len(x)} rows, the batch is {batch}")
        loss_fn, optimizer = loss_of(spec, model), optimizer_of(spec.get("optimizer", {}), model.parameters())
        classes = target.argmax(dim=1) if spec.get("loss", "categorical_crossentropy") == \
            "categorical_crossentropy" and target.shape[1] > 1 else target
        warmup, runs = protocol["train_warmup"], protocol["train_runs"]
        samples, i, window = [], 0, None
        while i < warmup + runs or time.perf_counter() - window[1] < UTILISATION_WINDOW_SECONDS:
            if i == warmup:
                window = (time.process_time(), time.perf_counter())
            b = i % batches
            start = now_ms()
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(x[b * batch:(b + 1) * batch], classes[b * batch:(b + 1) * batch])
            loss.backward()
            optimizer.step()
            value = loss.item()
            ms = now_ms() - start
            if warmup <= i < warmup + runs:
                samples.append(ms)
            if i < warmup + runs:
                progress("train", i + 1, warmup + runs, ms, value)
            i += 1
        emit({"kind": "samples", "phase": "train", "unit": "ms", "samples": samples, "warmup": warmup})
        emit({"kind": "cpu_utilisation", "cpu_seconds": time.process_time() - window[0],
              "wall_seconds": time.perf_counter() - window[1], "steps": i - warmup})
    emit({"kind": "memory", "bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024})


def main():
    if len(sys.argv) != 2:
        print("usage: gapscope_torch_runner.py JOB.json", file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        job = json.load(f)
    try:
        measure(job)
    except Unsupported as e:
        emit({"kind": "unsupported", "message": str(e)})
        return EXIT_UNSUPPORTED
    return 0


if __name__ == "__main__":
    sys.exit(main())
