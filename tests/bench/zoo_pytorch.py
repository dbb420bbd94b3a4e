#!/usr/bin/python3
"""The model zoo on native-cpu and PyTorch CPU (or native-vulkan and PyTorch
CUDA), side by side in one run.

For each model and configuration (inference at batch 1 and 32, one Adam
training step at batch 32), runs tests/bench/zoo_models.cpp (a fresh process
per configuration, so its peak RSS is that configuration's) and then the same
architecture from Debian's python3-torchvision with random weights, never at
the same time, interleaved model by model. Prints medians (min-max), the ratio
native / PyTorch (below 1: native is faster), native's peak memory beside the
weights' size, the SIMD path and the machine. torchvision has MobileNetV2,
ResNet50, InceptionV3 and DenseNet121 (Keras's MobileNet V1 and Xception it
lacks: those rows have native's figures only). Both sides run 224x224 RGB
(InceptionV3 299) at the same thread count; PyTorch in NCHW, its default, and
the engine in NHWC, each side's natural layout. Both flush denormals. With
--simd avx2 both sides run AVX2: the engine through GAPSCOPE_SIMD, PyTorch
through DNNL_MAX_CPU_ISA and ATEN_CPU_CAPABILITY.

With --backend native-vulkan the engine runs on the Vulkan GPU and PyTorch on
CUDA in FP32 with TF32 off (cuDNN's default algorithm choice, as a user's
script gets it); both sides take the input from host memory every call and
read the output (or the loss) back, so each figure is what a caller waits for.
The peak column is then the device memory the engine's tensors held.

usage: /usr/bin/python3 tests/bench/zoo_pytorch.py [--models resnet50,mobilenet-v2]
       [--configs infer1,infer32,train32] [--threads 2] [--runs 5] [--simd avx2]
       [--backend native-cpu|native-vulkan] [--exe build/tests/bench_zoo_models] [--json OUT]
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

# --simd avx2 puts both sides on AVX2: PyTorch's oneDNN and ATen kernels read
# these before torch is imported (else PyTorch would run AVX-512 beside the
# engine's AVX2 path: ResNet50 at batch 1, 59 vs 75 ms on a Xeon).
if "--simd" in sys.argv[:-1] and sys.argv[sys.argv.index("--simd") + 1] == "avx2":
    os.environ["DNNL_MAX_CPU_ISA"] = "AVX2"
    os.environ["ATEN_CPU_CAPABILITY"] = "avx2"

import torch  # noqa: E402
import torchvision  # noqa: E402

MODELS = ["mobilenet", "mobilenet-v2", "resnet50", "inception-v3", "densenet121", "xception"]
CONFIGS = {"infer1": ("infer", 1), "infer32": ("infer", 32), "train32": ("train", 32)}
TORCHVISION = {
    "mobilenet-v2": lambda: torchvision.models.mobilenet_v2(),
    "resnet50": lambda: torchvision.models.resnet50(),
    "inception-v3": lambda: torchvision.models.inception_v3(aux_logits=False, init_weights=False),
    "densenet121": lambda: torchvision.models.densenet121(),
}
SIDE = {"inception-v3": 299, "xception": 299}


def cpu_name():
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor()


def native(exe, backend, model, mode, batch, threads, runs, simd):
    env = dict(os.environ)
    if simd:
        env["GAPSCOPE_SIMD"] = simd
    out = subprocess.run([exe, "--model", model, "--backend", backend, "--mode", mode, "--batch", str(batch),
                          "--threads", str(threads), "--runs", str(runs), "--warmup", "2"],
                         env=env, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def pytorch(model, mode, batch, runs, device):
    net = TORCHVISION[model]().to(device)
    side = SIDE.get(model, 224)
    x = torch.randn(batch, 3, side, side)
    target = torch.randint(0, 1000, (batch,))
    if mode == "infer":
        net.eval()

        def call():
            with torch.no_grad():
                net(x.to(device)).cpu().numpy()
    else:
        net.train()
        optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
        loss_fn = torch.nn.CrossEntropyLoss()

        def call():
            optimizer.zero_grad()
            loss = loss_fn(net(x.to(device)), target.to(device))
            loss.backward()
            optimizer.step()
            loss.item()
    for _ in range(2):
        call()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1e3)
    return {"median_ms": statistics.median(times), "min_ms": min(times), "max_ms": max(times)}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--models", default=",".join(MODELS))
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--simd", default="", help="GAPSCOPE_SIMD for the engine (avx2; default: what the CPU has)")
    parser.add_argument("--backend", default="native-cpu", choices=["native-cpu", "native-vulkan"],
                        help="native-vulkan: the engine on the GPU against PyTorch on CUDA")
    parser.add_argument("--exe", default="build/tests/bench_zoo_models")
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    gpu = args.backend == "native-vulkan"
    device = "cuda" if gpu else "cpu"
    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    if gpu:
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
        where = f"{torch.cuda.get_device_name(0)} (PyTorch CUDA {torch.version.cuda}, FP32, TF32 off), host {cpu_name()}"
    else:
        where = f"{cpu_name()}, {os.cpu_count()} hardware threads; {args.threads} threads each side"
        if os.environ.get("DNNL_MAX_CPU_ISA"):
            where += f"; PyTorch limited to DNNL_MAX_CPU_ISA={os.environ['DNNL_MAX_CPU_ISA']}, " \
                     f"ATEN_CPU_CAPABILITY={os.environ.get('ATEN_CPU_CAPABILITY', '')}"
    print(f"{where}; PyTorch {torch.__version__}, torchvision {torchvision.__version__}; "
          f"runs {args.runs} after 2 warm-up")
    header = f"{'model':<13} {'config':<8} {'native ms (min-max)':<26} {'PyTorch ms (min-max)':<26} {'ratio':>6}  " \
             f"{'native peak':>11} {'weights':>8}  engine ran on"
    print(header)
    print("-" * len(header))
    rows = []
    for model in args.models.split(","):
        for config in args.configs.split(","):
            mode, batch = CONFIGS[config]
            # A pause before each side: the other side's threads and freed memory settle first
            # (right after PyTorch's ResNet50 training step, MobileNetV2 at batch 1 ran 21 ms, not 12).
            time.sleep(1)
            n = native(args.exe, args.backend, model, mode, batch, args.threads, args.runs, args.simd)
            time.sleep(1)
            t = pytorch(model, mode, batch, args.runs, device) if model in TORCHVISION else None
            ratio = n["median_ms"] / t["median_ms"] if t else None
            span = lambda r: f"{r['median_ms']:.1f} ({r['min_ms']:.1f}-{r['max_ms']:.1f})"
            print(f"{model:<13} {config:<8} {span(n):<26} {span(t) if t else '-':<26} "
                  f"{(f'{ratio:.2f}x' if ratio else '-'):>6}  "
                  f"{n['device_peak_bytes' if gpu else 'peak_rss_bytes'] / 2**20:>8.0f} MiB "
                  f"{n['weight_bytes'] / 2**20:>5.0f} MiB  {n['device']}", flush=True)
            rows.append({"model": model, "config": config, "native": n, "pytorch": t, "ratio": ratio})
    if args.json:
        with open(args.json, "w") as out:
            json.dump({"machine": where, "backend": args.backend, "threads": args.threads, "rows": rows}, out, indent=1)


if __name__ == "__main__":
    main()
