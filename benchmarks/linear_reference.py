#!/usr/bin/python3
"""Reference timings for ordinary least squares on the synthetic benchmark data.

Builds, in memory, the same rows as benchmarks/linear_data.sql:
  x_j = sin(i * (0.0001*j + 0.00001*j*j) + j)  for j = 1..16, i = 0..N-1 as float64
  y   = sum_j (j*0.5 - 4) * x_j + 3 + 0.1 * sin(i * 0.7 + 0.3)   (summed left to right)
then times (best of --repeat, data generation not timed):
  numpy_normal_eq_s : XtX and Xty (X with an intercept column), np.linalg.solve
  sklearn_linear_s  : sklearn.linear_model.LinearRegression().fit(X16, y)
and prints one JSON line.

Run with:  OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 benchmarks/linear_reference.py --rows N

Bit-for-bit agreement with DuckDB: the per-feature multipliers are the decimal values
0.0001*j + 0.00001*j*j rounded once to float64 (what the SQL literals 0.00011, 0.00024, ...
become), and sin() is evaluated with math.sin (the C library's sin, as DuckDB's std::sin),
because numpy's AVX-512 np.sin differs from libm by 1 ulp on many inputs. --numpy-sin
uses np.sin instead: faster generation, data equal to ~1e-16 but not bit-identical.
"""
import argparse
import json
import math
import time

import numpy as np

K = 16
CHUNK = 1 << 20


def multiplier(j):
    # 0.0001*j + 0.00001*j*j as an exact decimal, rounded once to float64
    return float("%de-5" % (10 * j + j * j))


def weight(j):
    return j * 0.5 - 4.0


def sin_into(out, arg, use_numpy):
    if use_numpy:
        np.sin(arg, out=out)
        return
    for s in range(0, len(arg), CHUNK):
        a = arg[s:s + CHUNK]
        out[s:s + CHUNK] = np.fromiter(map(math.sin, a.tolist()), np.float64, len(a))


def make_data(n, use_numpy_sin=False):
    """Return (X with intercept column first, N x 17), X16 (N x 16, contiguous), y."""
    i = np.arange(n, dtype=np.float64)
    X = np.empty((n, K + 1), dtype=np.float64)
    X[:, 0] = 1.0
    col = np.empty(n, dtype=np.float64)
    y = None
    for j in range(1, K + 1):
        arg = i * multiplier(j)
        arg += float(j)
        sin_into(col, arg, use_numpy_sin)
        X[:, j] = col
        term = weight(j) * col
        if y is None:
            y = term
        else:
            y += term
    y += 3.0
    arg = i * 0.7
    arg += 0.3
    sin_into(col, arg, use_numpy_sin)
    y += 0.1 * col
    X16 = np.ascontiguousarray(X[:, 1:])
    return X, X16, y


def best_of(repeat, fn):
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def normal_eq(X, y):
    xtx = X.T @ X
    xty = X.T @ y
    return np.linalg.solve(xtx, xty)


def blas_info():
    """The BLAS numpy actually calls at run time (numpy.show_config() shows only what it was built against)."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    return [{k: i.get(k) for k in ("internal_api", "version", "architecture", "threading_layer", "num_threads", "filepath")}
            for i in threadpool_info() if i.get("user_api") == "blas"]


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rows", type=int, default=10_000_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--numpy-sin", action="store_true",
                   help="generate with np.sin (faster, not bit-identical to DuckDB)")
    p.add_argument("--skip-sklearn", action="store_true")
    args = p.parse_args()

    X, X16, y = make_data(args.rows, args.numpy_sin)

    t_np, coef = best_of(args.repeat, lambda: normal_eq(X, y))
    out = {"rows": args.rows, "numpy_normal_eq_s": round(t_np, 6)}

    if not args.skip_sklearn:
        from sklearn.linear_model import LinearRegression
        t_sk, model = best_of(args.repeat, lambda: LinearRegression().fit(X16, y))
        out["sklearn_linear_s"] = round(t_sk, 6)
        sk = [float(model.intercept_)] + [float(c) for c in model.coef_]
        out["sklearn_max_abs_diff"] = max(abs(a - b) for a, b in zip(sk, coef))
    out["numpy_coef"] = [float(c) for c in coef]
    out["blas"] = blas_info()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
