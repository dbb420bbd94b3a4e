#!/usr/bin/python3
"""PyTorch CPU side of bench_cnn_layers: the same conv2d shapes (NCHW), forward
and forward+backward (dW, db, and dx except for the first layer), and one SGD
step of the TF.js MNIST CNN at batch 64; median of 20 runs after warm-up, 1
and 2 threads.

usage: /usr/bin/python3 tests/bench/cnn_layers_pytorch.py [--runs 20]
"""
import argparse

import torch
import torch.nn.functional as F

from torch_timing import median_ms

# name, batch, in_h, in_w, in_c, k, filters, need_dx (as bench_cnn_layers.cpp)
SHAPES = [
    ("conv1 28x28x1 5x5 -> 8", 64, 28, 28, 1, 5, 8, False),
    ("conv2 12x12x8 5x5 -> 16", 64, 12, 12, 8, 5, 16, True),
    ("conv1 28x28x1 5x5 -> 32", 64, 28, 28, 1, 5, 32, False),
    ("conv2 12x12x32 5x5 -> 32", 64, 12, 12, 32, 5, 32, True),
]


def train_step_ms(runs):
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 8, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(8, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(256, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    x = torch.rand(64, 1, 28, 28)
    target = torch.randint(0, 10, (64,))

    def step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), target)
        loss.backward()
        optimizer.step()
        loss.item()

    return median_ms(step, runs)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    torch.manual_seed(0)
    print(f"torch {torch.__version__}, mkldnn {torch.backends.mkldnn.is_available()}")
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for name, b, h, w, c, k, f, need_dx in SHAPES:
            x = torch.randn(b, c, h, w, requires_grad=need_dx)
            weight = torch.randn(f, c, k, k, requires_grad=True)
            bias = torch.randn(f, requires_grad=True)
            with torch.no_grad():
                dy = torch.randn_like(F.conv2d(x, weight, bias))

            def forward():
                with torch.no_grad():
                    F.conv2d(x, weight, bias)

            def forward_backward():
                y = F.conv2d(x, weight, bias)
                y.backward(dy)

            fwd = median_ms(forward, args.runs)
            both = median_ms(forward_backward, args.runs)
            flops = 2.0 * b * (h - k + 1) * (w - k + 1) * k * k * c * f
            print(f"{threads} thr  {name:26s} fwd {fwd:7.3f} ms ({flops / fwd / 1e6:6.1f} GFLOP/s)"
                  f"  fwd+bwd {both:7.3f} ms")
        print(f"{threads} thr  {'mnist cnn 8-16, batch 64':26s} train step {train_step_ms(args.runs):7.3f} ms")


if __name__ == "__main__":
    main()
