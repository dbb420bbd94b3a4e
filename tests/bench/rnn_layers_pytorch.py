#!/usr/bin/python3
"""PyTorch CPU side of bench_rnn_layers: nn.LSTM (batch_first) at batch 64, 40
steps, 100 one-hot features, 64/128/256 units; forward (no_grad) and
forward+backward from the last step's output (parameter gradients only: x needs
no grad), median after warm-up, 1 and 2 threads.

usage: /usr/bin/python3 tests/bench/rnn_layers_pytorch.py [--runs 20] [--type lstm|gru|rnn] [--sequences]
"""
import argparse

import torch

from torch_timing import median_ms

BATCH, STEPS, FEATURES = 64, 40, 100


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--type", default="lstm", choices=["lstm", "gru", "rnn"])
    parser.add_argument("--sequences", action="store_true", help="per-step output")
    args = parser.parse_args()
    torch.manual_seed(0)
    cls = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[args.type]
    print(f"torch {torch.__version__}, nn.{cls.__name__}, batch {BATCH}, {STEPS} steps, "
          f"{FEATURES} features, {'per-step' if args.sequences else 'last-step'} output, "
          f"median of {args.runs}")
    print(f"{'threads':<8} {'units':<7} {'forward ms':>12} {'fwd+bwd ms':>14}")
    for threads in (1, 2):
        torch.set_num_threads(threads)
        for units in (64, 128, 256):
            layer = cls(FEATURES, units, batch_first=True)
            x = torch.zeros(BATCH, STEPS, FEATURES)
            x[torch.arange(BATCH)[:, None], torch.arange(STEPS)[None, :],
              torch.randint(FEATURES, (BATCH, STEPS))] = 1.0
            dy = torch.rand(BATCH, STEPS, units) * 2 - 1
            if not args.sequences:
                dy = dy[:, -1]

            def forward():
                with torch.no_grad():
                    layer(x)

            def forward_backward():
                out, _ = layer(x)
                (out if args.sequences else out[:, -1]).backward(dy)

            fwd = median_ms(forward, args.runs, warmup=3)
            both = median_ms(forward_backward, args.runs, warmup=3)
            print(f"{threads:<8} {units:<7} {fwd:>12.3f} {both:>14.3f}", flush=True)


if __name__ == "__main__":
    main()
