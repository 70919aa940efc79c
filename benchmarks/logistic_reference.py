"""LOGISTIC_REG benchmark reference (run by compare_logistic.sh).

  logistic_reference.py generate --rows N --features P --out FILE [--cond C]   writes the data set (not timed)
  logistic_reference.py fit --data FILE --setup issue|standardized [--l2 L]   scikit-learn lbfgs to convergence

Data (issue 3's benchmark): N rows of P correlated (equicorrelation 0.95), unstandardized features (per-feature scales
10^(s·U(-1, 1)) and offsets U(-1, 1)), binary labels drawn from a logistic model. The scale spread s is calibrated on the
first 50,000 rows so that the condition number of the design [1 X] as given (intercept column and raw features,
ratio of extreme singular values) is about C (default 1e3); the value measured on all N rows is printed (stderr) and
stored in the file. File layout: int64 N, int64 P, float64 cond, the P columns (float64, column-major), the labels
(float64 0/1).

Two comparisons, each printing one JSON line:
  --setup issue         issue 3's setup: LogisticRegression(penalty=None, solver='lbfgs', tol=1e-10, max_iter=100000)
                        on the features as given (no scaling). Unregularized, so the optimum does not depend on how
                        either side scales the features, and SqlMl (l2_reg = 0) must reach the same mean log loss.
  --setup standardized  the stricter pairing: standardize (sample sd, as SqlMl; the time includes it), then
                        LogisticRegression(C = 1/(2·l2), solver='lbfgs', tol=1e-10, max_iter=100000): lbfgs on
                        well-conditioned features needs far fewer iterations.
"""
import argparse, json, sys, time
import numpy as np

RHO = 0.95

def features(rng, n, p):
    common = rng.standard_normal(n)
    return np.sqrt(RHO) * common[:, None] + np.sqrt(1 - RHO) * rng.standard_normal((n, p))

def cond(x):
    s = np.linalg.svd(np.column_stack([np.ones(len(x)), x]), compute_uv=False)
    return float(s[0] / s[-1])

def generate(a):
    rng = np.random.default_rng(7)
    n, p = a.rows, a.features
    z = features(rng, n, p)
    u = rng.uniform(-1, 1, p)
    offsets = rng.uniform(-1, 1, p)
    sample = z[: min(n, 50000)]
    lo, hi = 0.0, 4.0
    for _ in range(40):  # cond grows with the spread: bisect for the target
        mid = (lo + hi) / 2
        if cond(sample * 10.0 ** (mid * u) + offsets) < a.cond: lo = mid
        else: hi = mid
    spread = (lo + hi) / 2
    beta = rng.standard_normal(p) / np.sqrt(p)
    y = (rng.random(n) < 1 / (1 + np.exp(-(z @ beta - 0.3)))).astype(np.float64)
    x = z * 10.0 ** (spread * u) + offsets
    c = cond(x)
    print(f"generated {n} x {p}: scale spread 10^±{spread:.3f}, cond([1 X]) = {c:.0f}", file=sys.stderr)
    with open(a.out, "wb") as f:
        np.array([n, p], dtype=np.int64).tofile(f)
        np.array([c], dtype=np.float64).tofile(f)
        np.asfortranarray(x).T.astype(np.float64).tofile(f)
        y.tofile(f)

def fit(a):
    from sklearn.linear_model import LogisticRegression
    with open(a.data, "rb") as f:
        n, p = np.fromfile(f, dtype=np.int64, count=2)
        c = float(np.fromfile(f, dtype=np.float64, count=1)[0])
        x = np.fromfile(f, dtype=np.float64, count=n * p).reshape(p, n).T
        y = np.fromfile(f, dtype=np.float64, count=n)
    best, model, l2 = None, None, a.l2 if a.setup == "standardized" else 0.0
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        if a.setup == "standardized":
            mean, sd = x.mean(0), x.std(0, ddof=1)
            z = (x - mean) / sd
            m = LogisticRegression(C=1 / (2 * l2), solver="lbfgs", tol=1e-10, max_iter=100000).fit(z, y)
        else:
            m = LogisticRegression(penalty=None, solver="lbfgs", tol=1e-10, max_iter=100000).fit(x, y)
        t = time.perf_counter() - t0
        if best is None or t < best: best, model = t, m
    zz = (((x - mean) / sd) if a.setup == "standardized" else x) @ model.coef_[0] + model.intercept_[0]
    log_loss = float(np.mean(np.logaddexp(0, zz) - y * zz))
    obj = float(np.sum(np.logaddexp(0, zz) - y * zz) + l2 * np.sum(model.coef_ ** 2))
    print(json.dumps({"side": "sklearn", "setup": a.setup, "rows": int(n), "features": int(p), "cond": c, "l2": l2,
                      "seconds": best, "iterations": int(model.n_iter_[0]), "log_loss": log_loss, "objective": obj}))

ap = argparse.ArgumentParser()
sub = ap.add_subparsers(dest="cmd", required=True)
g = sub.add_parser("generate"); g.add_argument("--rows", type=int, default=1000000); g.add_argument("--features", type=int, default=16)
g.add_argument("--out", required=True); g.add_argument("--cond", type=float, default=1e3)
f = sub.add_parser("fit"); f.add_argument("--data", required=True); f.add_argument("--setup", choices=["issue", "standardized"], required=True)
f.add_argument("--l2", type=float, default=1.0); f.add_argument("--repeat", type=int, default=1)
a = ap.parse_args()
generate(a) if a.cmd == "generate" else fit(a)
