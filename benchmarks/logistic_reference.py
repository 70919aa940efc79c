"""LOGISTIC_REG benchmark reference (run by compare_logistic.sh).

  logistic_reference.py generate --rows N --features P --out FILE   writes the data set (not timed)
  logistic_reference.py fit --data FILE --l2 L [--repeat R]         scikit-learn LogisticRegression(lbfgs) to convergence

Data: N rows of P correlated (equicorrelation 0.98, condition number ~1e3 of the correlation matrix), unstandardized
features (scales 10^U(-3, 3), offsets), binary labels drawn from a logistic model. File layout: int64 N, int64 P, the P
columns (float64, column-major), the labels (float64 0/1). scikit-learn fits StandardScaler (ddof=0 is rescaled to the
sample sd, as SqlMl) + LogisticRegression(C = 1/(2·l2), solver='lbfgs', tol=1e-10, max_iter=100000); the time includes
the scaling. Prints one JSON line.
"""
import argparse, json, sys, time
import numpy as np

def generate(a):
    rng = np.random.default_rng(7)
    n, p = a.rows, a.features
    common = rng.standard_normal(n)
    z = np.sqrt(0.98) * common[:, None] + np.sqrt(0.02) * rng.standard_normal((n, p))
    beta = rng.standard_normal(p) / np.sqrt(p)
    y = (rng.random(n) < 1 / (1 + np.exp(-(z @ beta - 0.3)))).astype(np.float64)
    x = z * 10.0 ** rng.uniform(-3, 3, p) + rng.uniform(-100, 100, p)
    with open(a.out, "wb") as f:
        np.array([n, p], dtype=np.int64).tofile(f)
        np.asfortranarray(x).T.astype(np.float64).tofile(f)
        y.tofile(f)

def fit(a):
    from sklearn.linear_model import LogisticRegression
    with open(a.data, "rb") as f:
        n, p = np.fromfile(f, dtype=np.int64, count=2)
        x = np.fromfile(f, dtype=np.float64, count=n * p).reshape(p, n).T
        y = np.fromfile(f, dtype=np.float64, count=n)
    best, model = None, None
    for _ in range(a.repeat):
        t0 = time.perf_counter()
        mean, sd = x.mean(0), x.std(0, ddof=1)
        z = (x - mean) / sd
        m = LogisticRegression(C=1 / (2 * a.l2), solver="lbfgs", tol=1e-10, max_iter=100000).fit(z, y)
        t = time.perf_counter() - t0
        if best is None or t < best: best, model = t, m
    zz = ((x - mean) / sd) @ model.coef_[0] + model.intercept_[0]
    log_loss = float(np.mean(np.logaddexp(0, zz) - y * zz))
    obj = float(np.sum(np.logaddexp(0, zz) - y * zz) + a.l2 * np.sum(model.coef_ ** 2))
    print(json.dumps({"side": "sklearn", "rows": int(n), "features": int(p), "seconds": best, "iterations": int(model.n_iter_[0]),
                      "log_loss": log_loss, "objective": obj}))

ap = argparse.ArgumentParser()
sub = ap.add_subparsers(dest="cmd", required=True)
g = sub.add_parser("generate"); g.add_argument("--rows", type=int, default=1000000); g.add_argument("--features", type=int, default=16); g.add_argument("--out", required=True)
f = sub.add_parser("fit"); f.add_argument("--data", required=True); f.add_argument("--l2", type=float, default=1.0); f.add_argument("--repeat", type=int, default=1)
a = ap.parse_args()
generate(a) if a.cmd == "generate" else fit(a)
