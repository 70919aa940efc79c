#!/usr/bin/python3
"""Reference timings for k-means (Lloyd) on the synthetic benchmark data of benchmarks/kmeans_data.sql.

Builds, in memory, the same rows (bit-identical: integer arithmetic, then correctly rounded float64 division):
  b   = i % 100
  x_j = ((b * (131 j + 17) + 7 j) % 1000) / 100 + ((i * P_j) % 1000003) / 1000003 * 4,  j = 1..16
and for each k times (best of --repeat after one warm-up, data generation not timed)
  sklearn.cluster.KMeans(n_clusters=k, init=X[::N // k][:k], n_init=1, max_iter=--iterations, tol=0,
                         algorithm='lloyd').fit(X)
then prints one JSON line with the fit times, inertia_ and n_iter_.

Run with:  OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 benchmarks/kmeans_reference.py --rows N --k 8 64
(OpenBLAS 0.3.21 does not recognise newer AVX-512 CPUs and would fall back to AVX2 kernels.)
"""
import argparse
import json
import os
import time

import numpy as np

PRIMES = [1048583, 1048589, 1048601, 1048609, 1048613, 1048627, 1048633, 1048661,
          1048681, 1048703, 1048709, 1048717, 1048721, 1048759, 1048783, 1048793]


def make_data(n):
    i = np.arange(n, dtype=np.int64)
    b = i % 100
    x = np.empty((n, 16), dtype=np.float64)
    for j in range(1, 17):
        center = ((b * (131 * j + 17) + 7 * j) % 1000).astype(np.float64) / 100
        spread = ((i * PRIMES[j - 1]) % 1000003).astype(np.float64) / 1000003 * 4
        x[:, j - 1] = center + spread
    return x


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--k", type=int, nargs="+", default=[8, 64])
    parser.add_argument("--iterations", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    from sklearn.cluster import KMeans
    import sklearn
    from threadpoolctl import threadpool_info

    x = make_data(args.rows)
    result = {"rows": args.rows, "sklearn": sklearn.__version__, "numpy": np.__version__,
              "blas": threadpool_info(), "cpus": os.cpu_count(), "runs": {}}
    for k in args.k:
        init = x[::args.rows // k][:k].copy()

        def fit():
            return KMeans(n_clusters=k, init=init, n_init=1, max_iter=args.iterations, tol=0.0,
                          algorithm="lloyd").fit(x)

        model = fit()  # warm-up
        best = float("inf")
        for _ in range(args.repeat):
            t = time.perf_counter()
            model = fit()
            best = min(best, time.perf_counter() - t)
        result["runs"][str(k)] = {"fit_s": best, "inertia": float(model.inertia_), "n_iter": int(model.n_iter_)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
