#!/usr/bin/python3
"""Depthwise 3x3 and pointwise 1x1 convolutions at MobileNet (V1, 224) sizes:
the native engine (build/tests/bench_conv_layer) and PyTorch CPU (Debian's
python3-torch) side by side in one run, shape by shape and thread count by
thread count, never at the same time. Forward, and forward + backward (dW, db,
dx); medians of --runs after 5 warm-up calls; ratio = native / PyTorch (below
1: native is faster). Both sides use "same" padding with a bias; the engine
runs NHWC, PyTorch NCHW (each side's natural layout).

usage: /usr/bin/python3 tests/bench/mobilenet_layers.py [--runs 20] [--threads 1,2] [--batch 1]
       [--exe build/tests/bench_conv_layer]
"""
import argparse
import json
import platform
import subprocess

import torch
import torch.nn.functional as F

from torch_timing import median_ms

# name, kind, side, channels in, filters (pointwise), stride
SHAPES = [
    ("dw 112x112x32", "depthwise", 112, 32, 0, 1),
    ("dw 112x112x64 s2", "depthwise", 112, 64, 0, 2),
    ("dw 56x56x128", "depthwise", 56, 128, 0, 1),
    ("dw 28x28x256", "depthwise", 28, 256, 0, 1),
    ("dw 14x14x512", "depthwise", 14, 512, 0, 1),
    ("dw 7x7x1024", "depthwise", 7, 1024, 0, 1),
    ("pw 112x112x32->64", "conv", 112, 32, 64, 1),
    ("pw 56x56x128->128", "conv", 56, 128, 128, 1),
    ("pw 28x28x256->256", "conv", 28, 256, 256, 1),
    ("pw 14x14x512->512", "conv", 14, 512, 512, 1),
    ("pw 7x7x1024->1024", "conv", 7, 1024, 1024, 1),
]


def native(exe, kind, side, channels, filters, stride, batch, threads, runs):
    kernel = 3 if kind == "depthwise" else 1
    out = subprocess.run([exe, "--kind", kind, "--h", str(side), "--w", str(side), "--c", str(channels),
                          "--filters", str(filters), "--kernel", str(kernel), "--stride", str(stride),
                          "--batch", str(batch), "--threads", str(threads), "--runs", str(runs)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def pytorch(kind, side, channels, filters, stride, batch, threads, runs):
    torch.set_num_threads(threads)
    x = torch.rand(batch, channels, side, side, requires_grad=True)
    if kind == "depthwise":
        weight = torch.rand(channels, 1, 3, 3, requires_grad=True)
        bias = torch.rand(channels, requires_grad=True)
        layer = lambda: F.conv2d(x, weight, bias, stride=stride, padding=1, groups=channels)  # noqa: E731
    else:
        weight = torch.rand(filters, channels, 1, 1, requires_grad=True)
        bias = torch.rand(filters, requires_grad=True)
        layer = lambda: F.conv2d(x, weight, bias)  # noqa: E731
    dy = torch.rand_like(layer())

    def forward():
        with torch.no_grad():
            layer()

    def train():
        layer().backward(dy)

    return median_ms(forward, runs), median_ms(train, runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--exe", default="build/tests/bench_conv_layer")
    args = parser.parse_args()
    torch.set_flush_denormal(True)
    cpuinfo = open("/proc/cpuinfo").read().splitlines()
    model = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), platform.machine())
    cpus = sum(line.startswith("processor") for line in cpuinfo)
    print(f"machine: {model}, {cpus} cpus; torch {torch.__version__}; batch {args.batch}; medians of {args.runs}")
    print(f"{'shape':<20} thr  {'native fwd':>10} {'torch fwd':>10} {'ratio':>6}  "
          f"{'native f+b':>10} {'torch f+b':>10} {'ratio':>6}  simd")
    for threads in [int(t) for t in args.threads.split(",")]:
        for name, kind, side, channels, filters, stride in SHAPES:
            n = native(args.exe, kind, side, channels, filters, stride, args.batch, threads, args.runs)
            t_fwd, t_train = pytorch(kind, side, channels, filters, stride, args.batch, threads, args.runs)
            print(f"{name:<20} {threads:>3}  {n['forward_ms']:>10.3f} {t_fwd:>10.3f} {n['forward_ms'] / t_fwd:>6.2f}  "
                  f"{n['train_ms']:>10.3f} {t_train:>10.3f} {n['train_ms'] / t_train:>6.2f}  {n['simd']}", flush=True)


if __name__ == "__main__":
    main()
