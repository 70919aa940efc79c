"""Reference numbers for LinearGlmReferenceTests (LINEAR_REG lasso/elastic net, OLS p-values).

Writes linear_reference.csv (the data, deterministic) and prints the numbers written into the tests.
Run: OPENBLAS_CORETYPE=SkylakeX python3 linear_reference.py

SqlMl's objective: sum (y - yhat)^2 + l2 ||b||^2 + l1 ||b||_1 over standardized numeric features
(mean, sample sd) and one-hot levels, intercept unpenalized. scikit-learn's ElasticNet minimizes
(1/2n) ||y - Xw||^2 + alpha*rho ||w||_1 + alpha*(1 - rho)/2 ||w||^2, so l1 = 2 n alpha rho, l2 = n alpha (1 - rho)
(Lasso: rho = 1).
"""
import numpy as np
import statsmodels.api as sm
from sklearn.linear_model import ElasticNet, Lasso

rng = np.random.default_rng(20261123)
n = 80
x1 = rng.normal(0, 1, n)
x2 = 1000 + 500 * (x1 + 0.05 * rng.normal(0, 1, n))  # strongly correlated with x1, unstandardized scale
x3 = rng.uniform(-2, 2, n)
c = np.array(["a", "b", "c"])[rng.integers(0, 3, n)]
y = 3 * x1 + 0.002 * x2 - 1.5 * x3 + np.where(c == "b", 2.0, np.where(c == "c", -1.0, 0.0)) + rng.normal(0, 0.5, n)

with open("linear_reference.csv", "w") as f:
    f.write("x1,x2,x3,c,y\n")
    for i in range(n):
        f.write(f"{x1[i]!r},{x2[i]!r},{x3[i]!r},{c[i]},{y[i]!r}\n")

num = np.column_stack([x1, x2, x3])
z = (num - num.mean(axis=0)) / num.std(axis=0, ddof=1)
onehot = np.column_stack([(c == k).astype(float) for k in ["a", "b", "c"]])
X = np.column_stack([z, onehot])


def report(name, model, l1, l2):
    w = model.coef_
    print(f"{name}: l1={l1!r} l2={l2!r}")
    print("  intercept", repr(model.intercept_))
    print("  weights", ", ".join(repr(v) for v in w))
    resid = y - model.intercept_ - X @ w
    obj = resid @ resid + l2 * (w @ w) + l1 * np.abs(w).sum()
    print("  objective", repr(obj))


alpha = 0.05
lasso = Lasso(alpha=alpha, fit_intercept=True, tol=1e-14, max_iter=1_000_000).fit(X, y)
report("lasso", lasso, 2 * n * alpha, 0.0)

alpha, rho = 0.08, 0.6
enet = ElasticNet(alpha=alpha, l1_ratio=rho, fit_intercept=True, tol=1e-14, max_iter=1_000_000).fit(X, y)
report("elastic_net", enet, 2 * n * alpha * rho, n * alpha * (1 - rho))

# OLS with dummy encoding (first level 'a' dropped), raw units, as ML.ADVANCED_WEIGHTS (standardize = FALSE).
D = sm.add_constant(np.column_stack([x1, x2, x3, onehot[:, 1], onehot[:, 2]]))
ols = sm.OLS(y, D).fit()
print("ols params", ", ".join(repr(v) for v in ols.params))
print("ols bse", ", ".join(repr(v) for v in ols.bse))
print("ols pvalues", ", ".join(repr(v) for v in ols.pvalues))
