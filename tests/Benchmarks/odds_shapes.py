"""Stand-ins, generated in code, for the shapes of ADBench's classical sets that ../shared/data/odds lacks.

Each release is measured on outlier sets we don't have; rather than download them (that would be tuning on the test
set) this writes sets with their structure, seeded, in the layout of ../shared/data/odds (header f0..fN,label, label 1 =
outlier), so Invoke-OddsEvaluation.ps1 -DataPath <dir> -DataSet <names> runs them under the same protocol. No figure
from a real set went into them: only the row and column counts, the outlier share and the kind of columns.

Controlled shapes (one structural trait each, against the same Gaussian base):
  base        2,000 x 8 correlated Gaussian (rank 3 + noise); 3 % outliers, half a broken relation, half 3-5 sd out
  constant    base + 2 constant columns
  binary      base + 4 independent binary columns, 5 % ones (noise the network can't predict)
  intcoded    base + 2 integer-coded categoricals (codes 1-6, uneven), independent of the rest
  fewvalues   base with every column rounded to 3-5 distinct values (thyroid, vertebral)
  duplicates  base where 80 % of the inliers are copies of 5 rows (http, smtp)
ADBench-like shapes:
  lymph       148 x 18 one-hot and binary columns, 6 outliers (the two rare classes)
  wbc         223 x 9 integers 1-10, 10 outliers
  glass       214 x 7 continuous, two of them mostly zero, 9 outliers (a class of its own)
  hepatitis   80 x 19: 13 binary columns coded 1/2, 6 continuous, 13 outliers
  blobs       3,000 x 20: six Gaussian clusters of different spreads, 3 % local outliers (satellite, letter)
  speech      3,686 x 400 dense, 61 outliers (a shifted mean in directions the inliers don't vary in)
  ads         1,966 x 1,555 sparse binary, 368 outliers (other topics' columns)
  http        567,479 x 3, most rows one of few values, 2,211 outliers
  cover       286,048 x 10 integer-valued clusters, 2,747 outliers
  skin        245,057 x 3 integers 0-255, 50,859 outliers (a dense cluster: 20.7 %)
  donors      619,326 x 10 binary and continuous, 36,710 outliers
Usage: /usr/bin/python3 odds_shapes.py OUT_DIR SHAPES(comma) [DATA_SEED]
"""
import os
import sys

import numpy as np


def correlated(rng, n, d, rank=3, noise=0.3):
    """n rows of d Gaussian features driven by `rank` latent factors plus independent noise (each about unit sd)."""
    loadings = rng.normal(size=(rank, d))
    loadings /= np.sqrt((loadings ** 2).sum(axis=0))
    return rng.normal(size=(n, rank)) @ loadings * np.sqrt(1 - noise ** 2) + rng.normal(size=(n, d)) * noise, loadings


def base(rng, n=2000, d=8, share=0.03):
    x, _ = correlated(rng, n, d)
    m = int(round(n * share))
    out = x[rng.choice(n, m, replace=False)].copy()
    half = m // 2
    # Broken relation: two features of each row replaced by other rows' values (each ordinary on its own).
    for i in range(half):
        cols = rng.choice(d, 2, replace=False)
        out[i, cols] = x[rng.integers(n, size=2), cols]
    # Gross: 3-5 sd out in a random direction.
    direction = rng.normal(size=(m - half, d))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    out[half:] = rng.normal(size=(m - half, d)) * 0.3 + direction * rng.uniform(3, 5, size=(m - half, 1))
    return x, out


def shape_base(rng):
    return base(rng)


def shape_constant(rng):
    x, out = base(rng)
    add = lambda a: np.column_stack([a, np.full(len(a), 7.0), np.zeros(len(a))])
    return add(x), add(out)


def shape_binary(rng):
    x, out = base(rng)
    add = lambda a: np.column_stack([a, (rng.random((len(a), 4)) < 0.05).astype(float)])
    return add(x), add(out)


def shape_intcoded(rng):
    x, out = base(rng)
    p = np.array([0.4, 0.25, 0.15, 0.1, 0.06, 0.04])
    add = lambda a: np.column_stack([a, rng.choice(np.arange(1, 7), size=(len(a), 2), p=p).astype(float)])
    return add(x), add(out)


def shape_fewvalues(rng):
    x, out = base(rng)
    levels = rng.integers(3, 6, size=x.shape[1])
    edges = [np.quantile(x[:, j], np.linspace(0, 1, k + 1)[1:-1]) for j, k in enumerate(levels)]
    quantize = lambda a: np.column_stack([np.digitize(a[:, j], edges[j]).astype(float) for j in range(a.shape[1])])
    return quantize(x), quantize(out)


def shape_duplicates(rng):
    x, out = base(rng)
    n = len(x)
    prototypes = x[rng.choice(n, 5, replace=False)]
    copies = rng.random(n) < 0.8
    x[copies] = prototypes[rng.integers(5, size=copies.sum())]
    return x, out


def categorical_block(rng, n, probabilities):
    """One-hot columns of a categorical attribute drawn with the given level probabilities."""
    levels = rng.choice(len(probabilities), size=n, p=probabilities)
    return np.eye(len(probabilities))[levels]


def shape_lymph(rng):
    def rows(n, binary_p, cat_p):
        parts = [(rng.random((n, 9)) < binary_p).astype(float)]
        parts += [categorical_block(rng, n, p) for p in cat_p]
        return np.column_stack(parts)
    inlier_classes = []
    for size in (81, 61):
        binary_p = rng.uniform(0.1, 0.9, size=9)
        cat_p = [rng.dirichlet(np.ones(3) * 2) for _ in range(3)]
        inlier_classes.append(rows(size, binary_p, cat_p))
    outlier_classes = []
    for size in (2, 4):
        binary_p = rng.choice([0.05, 0.95], size=9)
        cat_p = [rng.dirichlet(np.ones(3) * 0.3) for _ in range(3)]
        outlier_classes.append(rows(size, binary_p, cat_p))
    return np.vstack(inlier_classes), np.vstack(outlier_classes)


def shape_wbc(rng):
    def rows(n, level, spread):
        latent = rng.normal(size=(n, 1))
        values = level + spread * (0.7 * latent + 0.7 * rng.normal(size=(n, 9)))
        return np.clip(np.rint(values), 1, 10)
    return rows(213, 1.8, 1.2), rows(10, 6.5, 2.5)


def shape_glass(rng):
    def rows(n, centre, sd, zero_share):
        x = centre + rng.normal(size=(n, 5)) @ np.diag(sd)
        mostly_zero = np.where(rng.random((n, 2)) < zero_share, 0.0, rng.gamma(2.0, 0.15, size=(n, 2)))
        return np.column_stack([x, mostly_zero])
    classes = [rows(76, np.array([1.518, 13.2, 3.5, 1.2, 72.6]), np.array([0.002, 0.4, 0.3, 0.2, 0.5]), 0.85),
               rows(70, np.array([1.517, 13.1, 3.0, 1.4, 72.8]), np.array([0.003, 0.6, 0.9, 0.3, 0.7]), 0.75),
               rows(59, np.array([1.516, 14.4, 0.5, 2.1, 73.0]), np.array([0.002, 0.7, 0.9, 0.4, 0.7]), 0.9)]
    outliers = rows(9, np.array([1.517, 14.6, 1.3, 1.4, 73.2]), np.array([0.003, 0.8, 1.0, 0.5, 0.6]), 0.95)
    return np.vstack(classes), outliers


def shape_hepatitis(rng):
    def rows(n, binary_p, mean, sd):
        binary = 1.0 + (rng.random((n, 13)) < binary_p)
        continuous = np.abs(mean + rng.normal(size=(n, 6)) * sd)
        return np.column_stack([binary, continuous])
    binary_p = rng.uniform(0.1, 0.9, size=13)
    mean = np.array([40, 1.2, 85, 60, 3.9, 60])
    sd = np.array([11, 0.6, 40, 40, 0.5, 20])
    shifted = np.clip(binary_p + rng.choice([-0.3, 0.3], size=13), 0.02, 0.98)
    return rows(67, binary_p, mean, sd), rows(13, shifted, np.array([48, 2.5, 120, 95, 3.2, 42]), sd * 1.3)


def shape_blobs(rng, n=3000, d=20, k=6, share=0.03):
    centres = rng.normal(size=(k, d)) * 4
    spreads = rng.uniform(0.3, 1.2, size=k)
    sizes = rng.multinomial(n, rng.dirichlet(np.ones(k) * 3))
    x = np.vstack([centres[c] + correlated(rng, sizes[c], d, rank=4, noise=0.5)[0] * spreads[c] for c in range(k)])
    m = int(round(n * share))
    owner = rng.integers(k, size=m)
    direction = rng.normal(size=(m, d))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    # Local outliers: 4-6 of their cluster's spreads from its centre (in the range of the whole set, far from the cluster).
    out = centres[owner] + direction * (spreads[owner] * rng.uniform(4, 6, size=m))[:, None] * np.sqrt(d) / 2.5
    return x, out


def shape_speech(rng, n=3686, d=400, m=61):
    x, loadings = correlated(rng, n + m, d, rank=20, noise=0.5)
    # Outliers: a mean shift in directions the inliers barely vary in (orthogonal to the latent factors).
    shift = rng.normal(size=d)
    shift -= loadings.T @ np.linalg.lstsq(loadings.T, shift, rcond=None)[0]
    shift *= 6 / np.linalg.norm(shift)
    return x[:n - m], x[n - m:n] + shift


def shape_ads(rng, n=1966, d=1555, m=368):
    topics = 12
    word_p = rng.beta(0.3, 12, size=(topics, d))
    def rows(count, topic_weights):
        topic = rng.choice(topics, size=count, p=topic_weights)
        return (rng.random((count, d)) < word_p[topic] * 1.5).astype(float)
    inlier_topics = np.r_[rng.dirichlet(np.ones(8)), np.zeros(4)]
    outlier_topics = np.r_[np.zeros(8), rng.dirichlet(np.ones(4))] * 0.7 + inlier_topics * 0.3
    return rows(n - m, inlier_topics), rows(m, outlier_topics)


def shape_http(rng, n=567479, m=2211):
    def rows(count, src_values, src_p, dst_values, dst_p):
        duration = np.where(rng.random(count) < 0.97, 0.0, rng.exponential(2.0, count))
        return np.log(np.column_stack([duration, rng.choice(src_values, count, p=src_p),
                                       rng.choice(dst_values, count, p=dst_p)]) + 0.1)
    zipf = lambda k, a: (lambda w: w / w.sum())(1.0 / np.arange(1, k + 1) ** a)
    src = np.rint(rng.lognormal(5.3, 0.5, 150))
    dst = np.rint(rng.lognormal(7.5, 1.2, 400))
    attack_src = np.rint(rng.lognormal(8.5, 0.4, 20))
    attack_dst = np.rint(rng.lognormal(3.0, 0.5, 20))
    return rows(n - m, src, zipf(150, 1.6), dst, zipf(400, 1.3)), rows(m, attack_src, zipf(20, 1.0), attack_dst, zipf(20, 1.0))


def shape_cover(rng, n=286048, m=2747):
    d = 10
    centres = rng.normal(size=(7, d)) * 3
    sizes = rng.multinomial(n - m, rng.dirichlet(np.ones(7) * 2))
    x = np.vstack([centres[c] + correlated(rng, sizes[c], d, rank=4, noise=0.5)[0] for c in range(7)])
    out = centres[rng.integers(7, size=m)] + rng.normal(size=(m, d)) * 0.7 + rng.choice([-1, 1], size=(m, d)) * 2.2
    scale = np.array([300, 110, 7, 200, 60, 1500, 25, 20, 35, 1300])
    level = np.array([2950, 155, 14, 270, 45, 2350, 212, 223, 142, 1980])
    return np.rint(x * scale / 3 + level), np.rint(out * scale / 3 + level)


def shape_skin(rng, n=245057, m=50859):
    colours = rng.uniform(0, 255, size=(40, 3))
    owner = rng.integers(40, size=n - m)
    x = colours[owner] + rng.normal(size=(n - m, 3)) * rng.uniform(10, 40, size=40)[owner][:, None]
    latent = rng.normal(size=(m, 1))
    out = np.array([190, 140, 110]) + latent * np.array([35, 30, 28]) + rng.normal(size=(m, 3)) * 8
    return np.clip(np.rint(x), 0, 255), np.clip(np.rint(out), 0, 255)


def shape_donors(rng, n=619326, m=36710):
    def rows(count, binary_p, mean):
        binary = (rng.random((count, 4)) < binary_p).astype(float)
        continuous, _ = correlated(rng, count, 6, rank=2, noise=0.6)
        return np.column_stack([binary, continuous + mean])
    return rows(n - m, np.array([0.1, 0.5, 0.3, 0.05]), np.zeros(6)), \
        rows(m, np.array([0.6, 0.5, 0.7, 0.4]), np.array([1.0, -0.8, 0.5, 0, 0, 1.2]))


SHAPES = {name[len("shape_"):]: f for name, f in globals().items() if name.startswith("shape_")}
# The controlled shapes draw the same base rows (one generator state), so each differs from base by its trait alone.
CONTROLLED = {"base", "constant", "binary", "intcoded", "fewvalues", "duplicates"}


def main():
    out_dir, names = sys.argv[1], sys.argv[2].split(",")
    data_seed = int(sys.argv[3]) if len(sys.argv) > 3 else 7
    os.makedirs(out_dir, exist_ok=True)
    for name in names:
        rng = np.random.default_rng([data_seed, sum(map(ord, "base" if name in CONTROLLED else name))])
        inliers, outliers = SHAPES[name](rng)
        x = np.vstack([inliers, outliers])
        y = np.r_[np.zeros(len(inliers)), np.ones(len(outliers))]
        order = rng.permutation(len(y))
        header = ",".join([f"f{j}" for j in range(x.shape[1])] + ["label"])
        np.savetxt(os.path.join(out_dir, name + ".csv"), np.column_stack([x[order], y[order]]), delimiter=",",
                   header=header, comments="", fmt=["%.7g"] * x.shape[1] + ["%d"])
        print(f"{name}: {x.shape[0]} rows x {x.shape[1]} columns, {len(outliers)} outliers ({len(outliers) / len(y):.2%})")


if __name__ == "__main__":
    main()
