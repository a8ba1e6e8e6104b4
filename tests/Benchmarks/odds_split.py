"""The split and the IsolationForest peer for Invoke-OddsEvaluation.ps1.

For each ODDS/ADBench set and seed: the stratified 60/40 split of the data README
(sklearn train_test_split(test_size=0.4, random_state=seed, stratify=y)), written as three CSV files that the
module reads (train.csv: all training rows, train_clean.csv: the training inliers, both without the label;
test.csv: the test rows with their label), and IsolationForest (n_estimators=100, random_state=seed,
score = -score_samples) fitted on the same training rows. The split is made here only: the PowerShell side reads
these files. Prints one JSON line per set and seed.
Usage: /usr/bin/python3 odds_split.py DATA_DIR OUT_DIR SEEDS(comma) SETS(comma)
"""
import json
import os
import sys
import time

import numpy as np
from sklearn.ensemble import IsolationForest
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split


def write(path, header, rows, fmt):
    np.savetxt(path, rows, delimiter=",", header=",".join(header), comments="", fmt=fmt)


def main():
    data_dir, out_dir = sys.argv[1], sys.argv[2]
    seeds = [int(s) for s in sys.argv[3].split(",")]
    sets = sys.argv[4].split(",")
    for name in sets:
        path = os.path.join(data_dir, name + ".csv")
        with open(path) as f:
            header = f.readline().strip().split(",")
        data = np.loadtxt(path, delimiter=",", skiprows=1)
        x, y = data[:, :-1], data[:, -1].astype(int)
        features = header[:-1]
        for seed in seeds:
            x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.4, random_state=seed, stratify=y)
            folder = os.path.join(out_dir, f"{name}-{seed}")
            os.makedirs(folder, exist_ok=True)
            write(os.path.join(folder, "train.csv"), features, x_train, "%.17g")
            write(os.path.join(folder, "train_clean.csv"), features, x_train[y_train == 0], "%.17g")
            write(os.path.join(folder, "test.csv"), features + ["label"], np.column_stack([x_test, y_test]),
                  ["%.17g"] * len(features) + ["%d"])
            result = {"set": name, "seed": seed, "trainRows": int(len(y_train)), "testRows": int(len(y_test)),
                      "trainOutlierShare": float(y_train.mean())}
            for variant, rows in (("unsupervised", x_train), ("clean", x_train[y_train == 0])):
                forest = IsolationForest(n_estimators=100, random_state=seed)
                clock, cpu = time.perf_counter(), time.process_time()
                forest.fit(rows)
                result[variant + "FitSeconds"] = time.perf_counter() - clock
                result[variant + "FitCpuSeconds"] = time.process_time() - cpu
                result[variant + "RocAuc"] = float(roc_auc_score(y_test, -forest.score_samples(x_test)))
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
