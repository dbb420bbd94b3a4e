#!/usr/bin/python3
"""PyTorch oracle for gapscope's engine (run with Debian's /usr/bin/python3).

Reads cases written by pytorch_oracle_test.cpp ({"cases": [...]}), each a
ModelSpec (dense/activation/dropout layers), the engine's initial weights, an
input batch and targets. Computes with
PyTorch, in float64 unless told otherwise, what the engine must reproduce:
forward outputs, the TF.js-defined loss, d loss / d weight for every weight, and
the weights after `steps` optimizer steps (torch.optim where PyTorch has the
optimizer with the same rule). Writes {"results": [...]} in the same order.
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
    """Losses as TF.js computes them, averaged over the batch."""
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


class Net(torch.nn.Module):
    """The spec's layers; dense kernels are [in, out] as in TF.js."""

    def __init__(self, spec, weights, dtype):
        super().__init__()
        self.layers = spec["layers"]
        self.params = torch.nn.ParameterDict()
        for name, w in weights.items():
            t = torch.tensor(w["values"], dtype=dtype).reshape(w["shape"])
            self.params[name.replace("/", "__")] = torch.nn.Parameter(t)

    def weight(self, name):
        return self.params[name.replace("/", "__")]

    def forward(self, x):
        for layer in self.layers:
            kind = layer["type"]
            if kind == "dense":
                x = x @ self.weight(layer["name"] + "/kernel")
                if layer.get("use_bias", True):
                    x = x + self.weight(layer["name"] + "/bias")
                x = activation(layer.get("activation", "linear"), x)
            elif kind == "activation":
                x = activation(layer["activation"], x)
            elif kind == "dropout":
                pass  # inference mode: identity
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
    target = torch.tensor(case["target"], dtype=dtype)
    loss_name = spec["loss"]

    out = net(x)
    loss = loss_fn(loss_name, out, target)
    loss.backward()
    result = {
        "output": out.detach().flatten().tolist(),
        "loss": loss.item(),
        "gradients": {name: net.weight(name).grad.flatten().tolist() for name in case["weights"]},
    }

    config = spec["optimizer"]
    params = [net.weight(name) for name in case["weights"]]
    optimizer = make_optimizer(config, params)
    adadelta_state = {}
    for _ in range(case["steps"]):
        for p in params:
            p.grad = None
        loss_fn(loss_name, net(x), target).backward()
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
