#!/usr/bin/env python3
"""native-vulkan vs PyTorch CUDA on one NVIDIA GPU, side by side in one run.

1. SGEMM NxNxN (default 4096) in FP32: `gapscope-native bench --backend
   native-vulkan --gemm N` (host-timed: dispatch, submit and wait included) vs
   torch.mm on CUDA with TF32 off (CUDA events around each call); medians.
2. MLP training ms per batch (paper-dnn: 784 -> depth x dense(width, relu) ->
   10 softmax, SGD 0.1, batch 64) over the paper's grid (depth 1,2,4,8 x width
   64..512) and larger widths (1024, 4096), configuration by configuration
   interleaved: the engine's protocol (`bench --phases train`: stage the batch,
   step, read the loss back; median of 30 after 5 warm-ups) vs the PyTorch loop
   a user would write (zero_grad, forward, cross_entropy, backward, step,
   loss.item(): the same one read-back per step).
3. Per-step overhead of native-vulkan (`bench --step-profile`): dispatches,
   barriers and submits of one training step and the time of an empty step.

usage: LD_LIBRARY_PATH=$PWD/vklibs python3 tests/bench/compare_pytorch_cuda.py
       [--exe build-gpu/gapscope-native] [--gemm 4096] [--depths 1,2,4,8]
       [--widths 64,128,256,512,1024,4096] [--json OUT]
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare_pytorch import mlp  # noqa: E402  (the same paper-dnn architecture)

TRAIN_WARMUP, TRAIN_RUNS = 5, 30


def native(exe, *args):
    out = subprocess.run([exe, "bench", "--backend", "native-vulkan", *args, "--json"], check=True,
                         capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def torch_gemm_gflops(n, runs=20):
    a = torch.rand(n, n, device="cuda")
    b = torch.rand(n, n, device="cuda")
    times = []
    for i in range(runs + 3):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        torch.mm(a, b)
        end.record()
        torch.cuda.synchronize()
        if i >= 3:
            times.append(start.elapsed_time(end) / 1e3)
    return 2 * n ** 3 / statistics.median(times) / 1e9


def torch_train_ms(depth, width, batch):
    torch.manual_seed(1)
    model = mlp(depth, width).cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    xs = [torch.rand(batch, 784, device="cuda") for _ in range(8)]
    ys = [torch.randint(0, 10, (batch,), device="cuda") for _ in range(8)]
    times = []
    for i in range(TRAIN_WARMUP + TRAIN_RUNS):
        start = time.perf_counter()
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xs[i % 8]), ys[i % 8])
        loss.backward()
        optimizer.step()
        loss.item()
        if i >= TRAIN_WARMUP:
            times.append(time.perf_counter() - start)
    return statistics.median(times) * 1e3


def native_train_ms(exe, depth, width, batch):
    for r in native(exe, "--preset", "paper-dnn", "--depth", str(depth), "--width", str(width), "--batch", str(batch),
                    "--phases", "train"):
        if r.get("kind") == "measurement" and r["phase"] == "train":
            return r["median"], r["capabilities"]
    raise RuntimeError("no train record")


def int_list(text):
    return [int(v) for v in text.split(",")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--exe", default="build-gpu/gapscope-native")
    parser.add_argument("--gemm", type=int, default=4096)
    parser.add_argument("--depths", type=int_list, default=[1, 2, 4, 8])
    parser.add_argument("--widths", type=int_list, default=[64, 128, 256, 512, 1024, 4096])
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--json", help="also write all numbers to this file")
    args = parser.parse_args()
    if not torch.cuda.is_available():
        sys.exit("PyTorch has no CUDA device here")
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    card = torch.cuda.get_device_name(0)
    print(f"PyTorch {torch.__version__} CUDA {torch.version.cuda} on {card}; TF32 off")

    gemm_record = native(args.exe, "--gemm", str(args.gemm))[0]
    gemm_native = gemm_record["median"]
    gemm_torch = torch_gemm_gflops(args.gemm)
    caps = gemm_record["capabilities"]
    print(f"native-vulkan on {caps.get('device')} ({caps.get('device_type')}, Vulkan {caps.get('vulkan_api')}, "
          f"{caps.get('driver')})")
    print(f"\nSGEMM {args.gemm}^3 FP32: native-vulkan {gemm_native:.0f} GFLOP/s (p10 {gemm_record['p10']:.0f}, "
          f"p90 {gemm_record['p90']:.0f}), PyTorch CUDA {gemm_torch:.0f} GFLOP/s -> "
          f"{100 * gemm_native / gemm_torch:.0f}% of PyTorch")

    rows = []
    for depth in args.depths:
        for width in args.widths:
            n_ms, _ = native_train_ms(args.exe, depth, width, args.batch)
            t_ms = torch_train_ms(depth, width, args.batch)
            rows.append({"depth": depth, "width": width, "native_ms": n_ms, "torch_ms": t_ms, "ratio": n_ms / t_ms})
            print(f"  measured {depth}x{width}", file=sys.stderr)
    print(f"\nMLP training, batch {args.batch}, ms per batch (median of {TRAIN_RUNS}):")
    print(f"{'config':>8} | {'native-vulkan':>13} {'PyTorch CUDA':>13} {'ratio':>7}")
    for r in rows:
        print(f"{str(r['depth']) + 'x' + str(r['width']):>8} | {r['native_ms']:13.3f} {r['torch_ms']:13.3f} "
              f"{r['ratio']:7.2f}")
    big = [r["ratio"] for r in rows if r["width"] >= 1024]
    geo = math.exp(sum(math.log(r["ratio"]) for r in rows) / len(rows))
    print(f"ratio native-vulkan / PyTorch: geomean {geo:.2f}" +
          (f"; width >= 1024: max {max(big):.2f}" if big else ""))

    profiles = []
    for depth, width in ((1, 64), (4, 256), (8, 4096)):
        for r in native(args.exe, "--preset", "paper-dnn", "--depth", str(depth), "--width", str(width),
                        "--phases", "train", "--runs-scale", "0.2", "--step-profile"):
            if r.get("kind") == "step_profile":
                profiles.append(dict(r, depth=depth, width=width))
                print(f"step profile {depth}x{width}: {r['dispatches']} dispatches, {r['transfers']} transfers, "
                      f"{r['barriers']} barriers, {r['submits']} submit(s) per training step; empty step "
                      f"{r['empty_step_us']:.1f} us (p10 {r['empty_step_us_p10']:.1f}, p90 {r['empty_step_us_p90']:.1f})")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"card": card, "gemm": {"n": args.gemm, "native": gemm_native, "pytorch": gemm_torch},
                       "rows": rows, "profiles": profiles}, f, indent=1)


if __name__ == "__main__":
    main()
