"""Peer for the benchmark suite: the ECG5000 seed recipe in Python PyTorch.

140-32-16-8 autoencoder, ReLU, sigmoid output, MAE, Adam 1e-3, 20 epochs, batch 512, one global min/max,
trained on the normal beats of a seeded stratified 80/20 split. Prints one JSON line: wall and CPU seconds of
the training loop, and the test ROC-AUC.
Usage: python3 ecg_peer.py ecg.csv THREADS
"""
import json
import sys
import time

import numpy as np
import torch


def roc_auc(labels, scores):
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    positives = labels.sum()
    negatives = len(labels) - positives
    return (ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives)


def main():
    path, threads = sys.argv[1], int(sys.argv[2])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    x, label = data[:, :-1].astype(np.float32), data[:, -1].astype(int)
    rng = np.random.default_rng(42)
    train_idx, test_idx = [], []
    for cls in (1, 0):
        idx = np.flatnonzero(label == cls)
        rng.shuffle(idx)
        cut = int(len(idx) * 0.8)
        train_idx += list(idx[:cut])
        test_idx += list(idx[cut:])
    normal = x[[i for i in train_idx if label[i] == 1]]
    lo, hi = normal.min(), normal.max()
    scale = lambda a: torch.tensor((a - lo) / (hi - lo))
    model = torch.nn.Sequential(
        torch.nn.Linear(140, 32), torch.nn.ReLU(), torch.nn.Linear(32, 16), torch.nn.ReLU(),
        torch.nn.Linear(16, 8), torch.nn.ReLU(), torch.nn.Linear(8, 16), torch.nn.ReLU(),
        torch.nn.Linear(16, 32), torch.nn.ReLU(), torch.nn.Linear(32, 140), torch.nn.Sigmoid())
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    train = scale(normal)
    start = time.perf_counter()
    cpu_start = time.process_time()
    for _ in range(20):
        perm = torch.randperm(len(train))
        for b in range(0, len(train), 512):
            batch = train[perm[b:b + 512]]
            loss = torch.nn.functional.l1_loss(model(batch), batch)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    with torch.no_grad():
        test = scale(x[test_idx])
        scores = (model(test) - test).abs().mean(dim=1).numpy()
    auc = roc_auc(label[test_idx] == 0, scores)
    print(json.dumps({"train_seconds": round(seconds, 2), "train_cpu_seconds": round(cpu_seconds, 2),
                      "roc_auc": round(float(auc), 4)}))


if __name__ == "__main__":
    main()
