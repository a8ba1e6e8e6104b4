"""Peer for the benchmark suite: score a CSV file to a CSV file with pandas and PyTorch.

Reads every row with pandas, runs a 20-32-16-8 autoencoder (the module's default shape) over the numeric
columns, adds the score and verdict columns and writes everything back with to_csv. Prints one JSON line.
Usage: python3 score_peer.py input.csv output.csv THREADS
"""
import json
import sys
import time

import pandas as pd
import torch


def main():
    source, target, threads = sys.argv[1], sys.argv[2], int(sys.argv[3])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    start = time.perf_counter()
    frame = pd.read_csv(source)
    numeric = frame.select_dtypes("number")
    x = torch.tensor(numeric.to_numpy(dtype="float32"))
    lo, hi = x.min(dim=0).values, x.max(dim=0).values
    x = (x - lo) / (hi - lo).clamp(min=1e-12)
    width = x.shape[1]
    model = torch.nn.Sequential(
        torch.nn.Linear(width, 32), torch.nn.ReLU(), torch.nn.Linear(32, 16), torch.nn.ReLU(),
        torch.nn.Linear(16, 8), torch.nn.ReLU(), torch.nn.Linear(8, 16), torch.nn.ReLU(),
        torch.nn.Linear(16, 32), torch.nn.ReLU(), torch.nn.Linear(32, width), torch.nn.Sigmoid())
    with torch.no_grad():
        scores = ((model(x) - x) ** 2).mean(dim=1).numpy()
    frame["AnomalyScore"] = scores
    frame["IsAnomaly"] = scores > scores.mean() + scores.std()
    frame.to_csv(target, index=False)
    print(json.dumps({"seconds": round(time.perf_counter() - start, 2)}))


if __name__ == "__main__":
    main()
