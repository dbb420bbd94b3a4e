#!/usr/bin/python3
"""Native engine vs PyTorch CPU, side by side in one run.

For each configuration of a depth x width grid (batch 64) and each thread count,
runs `gapscope-native bench` and the same model in PyTorch (Debian's
python3-torch, which must run on OpenBLAS) one after the other, interleaved
configuration by configuration, and prints medians and ratios: training ms per
batch, inference ms per single sample, model load time. Families (--family):
  dnn  paper-dnn: 784 -> depth x dense(width, relu) -> 10, SGD (default grid
       depth 1,2,4,8 x width 64,128,256,512)
  cnn  paper-cnn: 28x28x1 -> depth x [conv 5x5 (width filters, relu), maxpool 2
       while the side is >= 2] -> 10, Adam (grid depth 1,2,3 x width 8,16,32)
  rnn  paper-rnn: 40 one-hot characters of 96 -> depth x LSTM(width) -> 96,
       RMSProp (grid depth 1,2 x width 64,128,256)
Both sides flush denormals to zero (the engine does in its threads, as
TensorFlow does; torch.set_flush_denormal(True) here), so neither pays x86's
denormal assists. Each side runs in its natural layout (PyTorch NCHW and nn.LSTM; the engine NHWC
and its own LSTM): the comparison is of what a user of each would run.
Also an NxNxN SGEMM through the engine's ops backend, in GFLOP/s and % of peak: the
peak the native engine measures on this machine (an FMA loop with the ISA its SGEMM
runs, the `peak_gflops` of its --json record) unless --peak-gflops overrides it.

usage: /usr/bin/python3 tests/bench/compare_pytorch.py [--family dnn|cnn|rnn] [--quick]
       [--threads 1,2] [--depths ...] [--widths ...] [--exe build/gapscope-native] [--json OUT]
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn.functional as F

PROTOCOL = dict(load_warmup=2, load_runs=15, infer_warmup=20, infer_runs=200, train_warmup=5, train_runs=30)


def blas_in_use():
    with open("/proc/self/maps") as maps:
        text = maps.read()
    for name in ("openblas", "blis", "mkl", "libblas.so"):
        if name in text:
            return name
    return "unknown"


VOCABULARY, WINDOW = 96, 40  # paper-rnn's defaults


def mlp(depth, width):
    layers, size = [], 784
    for _ in range(depth):
        layers += [torch.nn.Linear(size, width), torch.nn.ReLU()]
        size = width
    layers.append(torch.nn.Linear(size, 10))
    return torch.nn.Sequential(*layers)


def cnn(depth, width):
    """paper-cnn: the first conv valid (28 -> 24), the rest same; pool while side >= 2."""
    layers, channels, side = [], 1, 28
    for i in range(depth):
        layers += [torch.nn.Conv2d(channels, width, 5, padding=0 if i == 0 else 2), torch.nn.ReLU()]
        channels, side = width, side - 4 if i == 0 else side
        if side >= 2:
            layers.append(torch.nn.MaxPool2d(2))
            side //= 2
    layers += [torch.nn.Flatten(), torch.nn.Linear(channels * side * side, 10)]
    return torch.nn.Sequential(*layers)


class Rnn(torch.nn.Module):
    """paper-rnn: stacked LSTM over one-hot windows, dense over the vocabulary from the last step."""

    def __init__(self, depth, width):
        super().__init__()
        self.lstm = torch.nn.LSTM(VOCABULARY, width, num_layers=depth, batch_first=True)
        self.out = torch.nn.Linear(width, VOCABULARY)

    def forward(self, x):
        return self.out(self.lstm(x)[0][:, -1])


FAMILIES = {
    # preset, torch model, one sample's shape, classes, optimizer, default grid
    "dnn": dict(preset="paper-dnn", model=mlp, sample=(784,), classes=10,
                optimizer=lambda p: torch.optim.SGD(p, lr=0.1), depths=[1, 2, 4, 8], widths=[64, 128, 256, 512],
                quick=([1, 4], [64, 512])),
    "cnn": dict(preset="paper-cnn", model=cnn, sample=(1, 28, 28), classes=10,
                optimizer=lambda p: torch.optim.Adam(p, lr=0.001, eps=1e-7), depths=[1, 2, 3],
                widths=[8, 16, 32], quick=([1, 2], [8, 32])),
    "rnn": dict(preset="paper-rnn", model=Rnn, sample=(WINDOW, VOCABULARY), classes=VOCABULARY,
                optimizer=lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-7), depths=[1, 2],
                widths=[64, 128, 256], quick=([1], [64, 256])),
}


def median_ms(samples):
    return statistics.median(samples) * 1000


def torch_bench(family, depth, width, batch, scratch):
    """The same phases as gapscope's protocol, timed the way a PyTorch user would run them."""
    torch.manual_seed(1)
    model = family["model"](depth, width)
    optimizer = family["optimizer"](model.parameters())
    xs = [torch.rand(batch, *family["sample"]) for _ in range(8)]
    ys = [torch.randint(0, family["classes"], (batch,)) for _ in range(8)]
    train = []
    for i in range(PROTOCOL["train_warmup"] + PROTOCOL["train_runs"]):
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xs[i % 8]), ys[i % 8])
        loss.backward()
        optimizer.step()
        loss.item()
        if i >= PROTOCOL["train_warmup"]:
            train.append(time.perf_counter() - start)
    samples = torch.rand(256, 1, *family["sample"])
    infer = []
    with torch.no_grad():
        for i in range(PROTOCOL["infer_warmup"] + PROTOCOL["infer_runs"]):
            start = time.perf_counter()
            F.softmax(model(samples[i % 256]), dim=-1).numpy()
            if i >= PROTOCOL["infer_warmup"]:
                infer.append(time.perf_counter() - start)
    path = os.path.join(scratch, "model.pt")
    torch.save(model.state_dict(), path)
    load = []
    for i in range(PROTOCOL["load_warmup"] + PROTOCOL["load_runs"]):
        start = time.perf_counter()
        fresh = family["model"](depth, width)
        fresh.load_state_dict(torch.load(path))
        if i >= PROTOCOL["load_warmup"]:
            load.append(time.perf_counter() - start)
    return {"train": median_ms(train), "infer": median_ms(infer), "load": median_ms(load)}


def native_bench(exe, preset, depth, width, threads, batch):
    out = subprocess.run([exe, "bench", "--preset", preset, "--depth", str(depth), "--width", str(width),
                          "--threads", str(threads), "--batch", str(batch), "--phases", "load,infer,train", "--json"],
                         check=True, capture_output=True, text=True).stdout
    result = {}
    for line in out.splitlines():
        record = json.loads(line)
        if record.get("kind") == "measurement" and record["phase"] in ("load", "infer", "train"):
            result[record["phase"]] = record["median"]
    return result


def geomean(values):
    return math.exp(sum(math.log(v) for v in values) / len(values))


def int_list(text):
    return [int(v) for v in text.split(",")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    parser.add_argument("--exe", default=os.path.join(here, "..", "..", "build", "gapscope-native"))
    parser.add_argument("--family", choices=sorted(FAMILIES), default="dnn")
    parser.add_argument("--threads", type=int_list, default=[1, 2])
    parser.add_argument("--depths", type=int_list, default=None)
    parser.add_argument("--widths", type=int_list, default=None)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--gemm", type=int, default=1024)
    parser.add_argument("--peak-gflops", type=float, default=None,
                        help="machine peak FP32 for --threads max, overriding the native engine's"
                             " measured peak (scaled linearly to fewer threads)")
    parser.add_argument("--quick", action="store_true", help="a 2x2 corner of the family's grid")
    parser.add_argument("--no-gemm", action="store_true", help="skip the SGEMM comparison")
    parser.add_argument("--json", help="also write all numbers to this file")
    args = parser.parse_args()
    family = FAMILIES[args.family]
    if args.quick:
        args.depths, args.widths = family["quick"]
    args.depths = args.depths or family["depths"]
    args.widths = args.widths or family["widths"]

    torch.zeros(8, 8) @ torch.zeros(8, 8)  # load the BLAS before looking for it
    if not torch.set_flush_denormal(True):
        sys.exit("PyTorch cannot flush denormals on this CPU, the engine does: the comparison would be unfair")
    blas = blas_in_use()
    print(f"{family['preset']}: PyTorch {torch.__version__}, BLAS: {blas}; CPU: {os.cpu_count()} threads")
    if blas != "openblas":
        sys.exit("PyTorch is not on OpenBLAS (install libopenblas0-openmp): the comparison would be void")

    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for threads in args.threads:
            torch.set_num_threads(threads)
            for depth in args.depths:
                for width in args.widths:
                    native = native_bench(args.exe, family["preset"], depth, width, threads, args.batch)
                    peer = torch_bench(family, depth, width, args.batch, scratch)
                    rows.append({"threads": threads, "depth": depth, "width": width, "native": native, "pytorch": peer})
                    print(f"  measured t={threads} {depth}x{width}", file=sys.stderr)

    print(f"\n{'thr':>3} {'config':>7} | {'train ms/batch':^26} | {'infer ms/sample':^26} | {'load ms':^26}")
    print(f"{'':>3} {'':>7} | {'native':>8} {'torch':>8} {'ratio':>7} | {'native':>8} {'torch':>8} {'ratio':>7} |"
          f" {'native':>8} {'torch':>8} {'ratio':>7}")
    for r in rows:
        cells = []
        for phase in ("train", "infer", "load"):
            n, p = r["native"][phase], r["pytorch"][phase]
            r.setdefault("ratio", {})[phase] = n / p
            cells.append(f"{n:8.4f} {p:8.4f} {n / p:7.3f}")
        print(f"{r['threads']:>3} {str(r['depth']) + 'x' + str(r['width']):>7} | " + " | ".join(cells))
    summary = {}
    for threads in args.threads:
        sel = [r for r in rows if r["threads"] == threads]
        summary[threads] = {phase: {"geomean": geomean([r["ratio"][phase] for r in sel]),
                                    "max": max(r["ratio"][phase] for r in sel)} for phase in ("train", "infer", "load")}
        s = summary[threads]
        print(f"threads {threads}: ratio native/PyTorch  train geomean {s['train']['geomean']:.3f} max {s['train']['max']:.3f}"
              f" | infer geomean {s['infer']['geomean']:.3f} max {s['infer']['max']:.3f}"
              f" | load geomean {s['load']['geomean']:.3f} max {s['load']['max']:.3f}")

    gemm = {}
    for threads in [] if args.no_gemm else args.threads:
        out = subprocess.run([args.exe, "bench", "--gemm", str(args.gemm), "--threads", str(threads), "--json"],
                             check=True, capture_output=True, text=True).stdout
        record = json.loads(out)
        native_gflops = record["median"]
        torch.set_num_threads(threads)
        a, b = torch.rand(args.gemm, args.gemm), torch.rand(args.gemm, args.gemm)
        times = []
        for i in range(13):
            start = time.perf_counter()
            torch.mm(a, b)
            if i >= 3:
                times.append(time.perf_counter() - start)
        torch_gflops = 2 * args.gemm ** 3 / statistics.median(times) / 1e9
        if args.peak_gflops is not None:
            peak, peak_source = args.peak_gflops * threads / max(args.threads), "--peak-gflops"
        else:
            peak, peak_source = record.get("peak_gflops"), f"measured, {record['capabilities'].get('simd', '?')}"
        gemm[threads] = {"native": native_gflops, "pytorch": torch_gflops, "peak": peak,
                         "peak_source": peak_source}
        def share(gflops):
            return f"{100 * gflops / peak:.0f}% of {peak:.0f} peak, {peak_source}" if peak else "peak unknown"
        print(f"SGEMM {args.gemm}^3, {threads} thread(s): native {native_gflops:.1f} GFLOP/s ({share(native_gflops)}),"
              f" PyTorch/OpenBLAS {torch_gflops:.1f} GFLOP/s ({share(torch_gflops)})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows, "summary": summary, "gemm": gemm, "blas": blas}, f, indent=1)


if __name__ == "__main__":
    main()
