"""Timing helper shared by the per-layer PyTorch benchmarks."""
import statistics
import time


def median_ms(call, runs, warmup=5):
    """Median wall time of call() in ms over `runs` calls after `warmup` calls."""
    for _ in range(warmup):
        call()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1e3
