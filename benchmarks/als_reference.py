"""Explicit ALS with global, user and item intercepts in numpy: the algorithm SqlMl's MATRIX_FACTORIZATION runs.

Per user u: solve (sum_i y~_i y~_i^T + l2 I) [x_u; b_u] = sum_i y~_i (r_ui - mu - c_i), y~_i = [y_i; 1]; then the
items symmetrically. Gram matrices with BLAS per row, all systems of a side in one batched LAPACK solve.
Usage: als_reference.py RATINGS.csv RANK ITERATIONS L2  -> prints one line: ms per iteration (median, min) and RMSE.
"""
import sys
import time

import numpy as np


def csr(rows, cols, vals, n):
    order = np.lexsort((cols, rows))
    rows, cols, vals = rows[order], cols[order], vals[order]
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.add.at(offsets, rows + 1, 1)
    return np.cumsum(offsets), cols, vals


def solve_side(offsets, other, vals, fixed, mu, l2):
    n, d = offsets.size - 1, fixed.shape[1]
    aug = fixed.copy()
    aug[:, -1] = 1.0  # [y_i; 1]
    target = vals - mu - fixed[other, -1]
    grams = np.empty((n, d, d))
    rhs = np.empty((n, d))
    eye = l2 * np.eye(d)
    for r in range(n):
        a, b = offsets[r], offsets[r + 1]
        block = aug[other[a:b]]
        grams[r] = block.T @ block + eye
        rhs[r] = block.T @ target[a:b]
    return np.linalg.solve(grams, rhs[:, :, None])[:, :, 0]


def mse(x, y, users, items, ratings, mu, chunk=65536):
    total = 0.0
    for a in range(0, ratings.size, chunk):
        u, i = users[a : a + chunk], items[a : a + chunk]
        xu, yi = x[u], y[i]
        pred = mu + xu[:, -1] + yi[:, -1] + np.einsum("ij,ij->i", xu[:, :-1], yi[:, :-1])
        total += np.sum((ratings[a : a + chunk] - pred) ** 2)
    return total / ratings.size


def main():
    path, rank, iterations, l2 = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    data = np.loadtxt(path, delimiter=",", skiprows=1)
    _, users = np.unique(data[:, 0], return_inverse=True)
    _, items = np.unique(data[:, 1], return_inverse=True)
    ratings = data[:, 2]
    nu, ni = users.max() + 1, items.max() + 1
    mu = ratings.mean()
    by_user = csr(users, items, ratings, nu)
    by_item = csr(items, users, ratings, ni)
    rng = np.random.default_rng(1)
    x = np.zeros((nu, rank + 1))
    y = np.concatenate([rng.normal(0, 0.1, (ni, rank)), np.zeros((ni, 1))], axis=1)
    times = []
    for _ in range(iterations):
        start = time.perf_counter()
        x = solve_side(*by_user, y, mu, l2)
        y = solve_side(*by_item, x, mu, l2)
        rmse = np.sqrt(mse(x, y, users, items, ratings, mu))  # the per-iteration loss, as SqlMl reports it
        times.append((time.perf_counter() - start) * 1000)
    print(f"numpy_ms_per_iteration={np.median(times):.1f} numpy_min_ms_per_iteration={np.min(times):.1f} rmse={rmse:.4f}")


if __name__ == "__main__":
    main()
