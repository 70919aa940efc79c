"""Reference numbers for tests/SqlMl.Tests/Training/LogisticReferenceTests.cs and ClassificationMetricsTests.cs.

Run from the repository root:  OPENBLAS_CORETYPE=SkylakeX /usr/bin/python3 tests/SqlMl.Tests/Training/References/logistic_reference.py
It (re)writes tests/SqlMl.Tests/Data/breast_cancer.csv and iris.csv (from scikit-learn's bundled copies of the UCI data
sets) and prints the numbers the tests contain. Models are fitted on the design SqlMl uses: features standardized with
the mean and sample standard deviation (ddof = 1) of all rows; SqlMl's l2_reg = 1 / (2 C), l1_reg = 1 / C.
The smooth fits use solver='newton-cg': 'lbfgs' stops on its relative-decrease test (ftol = 64 eps) about 1e-4 away
from the optimum in the coefficients on these collinear features, newton-cg reaches a lower objective.
"""
import numpy as np, sklearn, statsmodels.api as sm
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.linear_model import LogisticRegression
from sklearn import metrics

np.set_printoptions(precision=17)
def r(v): return ", ".join(repr(float(x)) for x in np.ravel(v))

bc = load_breast_cancer()
names = [n.replace(" ", "_") for n in bc.feature_names]
with open("tests/SqlMl.Tests/Data/breast_cancer.csv", "w") as f:
    f.write(",".join(names + ["diagnosis"]) + "\n")
    for row, t in zip(bc.data, bc.target):
        f.write(",".join(repr(float(v)) for v in row) + "," + ("benign" if t == 1 else "malignant") + "\n")
iris = load_iris()
inames = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
with open("tests/SqlMl.Tests/Data/iris.csv", "w") as f:
    f.write(",".join(inames + ["species"]) + "\n")
    for row, t in zip(iris.data, iris.target):
        f.write(",".join(repr(float(v)) for v in row) + "," + iris.target_names[t] + "\n")

def std(x): return (x - x.mean(0)) / x.std(0, ddof=1)
y = bc.target  # 1 = benign, the higher label ('malignant' > 'benign' as text!) -> positive class is 'malignant'
ypos = 1 - y   # SqlMl's positive class: 'malignant'
def objective(Z, yy, w, b, l2=0.0, l1=0.0):
    z = Z @ w + b
    return np.sum(np.logaddexp(0, z) - yy * z) + l2 * np.sum(w * w) + l1 * np.sum(np.abs(w))

print("sklearn", sklearn.__version__)
# 1. unregularized on 5 features (not separable)
sub = ["mean_radius", "mean_texture", "mean_smoothness", "mean_concave_points", "worst_symmetry"]
idx = [names.index(s) for s in sub]
Z = std(bc.data[:, idx])
m = LogisticRegression(penalty=None, solver="newton-cg", tol=1e-12, max_iter=1000).fit(Z, ypos)
print("unreg intercept", r(m.intercept_), "coef", r(m.coef_), "obj", objective(Z, ypos, m.coef_[0], m.intercept_[0]))
# statsmodels p-values on the raw features
X = sm.add_constant(bc.data[:, idx])
res = sm.Logit(ypos, X).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
print("statsmodels params", r(res.params)); print("bse", r(res.bse)); print("pvalues", r(res.pvalues))
# 2. L2, C = 0.5 (l2_reg = 1) on all 30 features
Z30 = std(bc.data)
m = LogisticRegression(C=0.5, solver="newton-cg", tol=1e-12, max_iter=1000).fit(Z30, ypos)
print("l2 intercept", r(m.intercept_), "coef", r(m.coef_), "obj", objective(Z30, ypos, m.coef_[0], m.intercept_[0], l2=1.0))
# 3. L1, C = 1 (l1_reg = 1), saga to a tiny tolerance; the objective is what the test checks
m = LogisticRegression(penalty="l1", C=1.0, solver="saga", tol=1e-15, max_iter=1000000).fit(Z30, ypos)
print("l1 obj", objective(Z30, ypos, m.coef_[0], m.intercept_[0], l1=1.0), "nonzero", int(np.sum(m.coef_ != 0)))
# 4. multinomial on iris, C = 1 (l2_reg = 0.5); classes in text order setosa < versicolor < virginica
Zi = std(iris.data)
m = LogisticRegression(C=1.0, solver="newton-cg", tol=1e-12, max_iter=1000).fit(Zi, iris.target)
print("iris intercept", r(m.intercept_ - m.intercept_.mean()), "coef", r(m.coef_))
P = m.predict_proba(Zi)
print("iris obj", -np.sum(np.log(P[np.arange(150), iris.target])) + 0.5 * np.sum(m.coef_ ** 2))

# 5. classification metrics on fixed inputs
yb = np.array([1, 0, 1, 1, 0, 0, 1, 0, 1, 0])
pb = np.array([0.9, 0.2, 0.6, 0.4, 0.5, 0.1, 0.8, 0.7, 0.5, 0.3])
pred = (pb >= 0.5).astype(int)
print("binary", r([metrics.precision_score(yb, pred), metrics.recall_score(yb, pred), metrics.accuracy_score(yb, pred),
                   metrics.f1_score(yb, pred), metrics.log_loss(yb, pb), metrics.roc_auc_score(yb, pb)]))
ym = np.array([0, 1, 2, 2, 1, 0, 2, 1, 0, 2])
pm = np.array([[0.7, 0.2, 0.1], [0.3, 0.4, 0.3], [0.2, 0.2, 0.6], [0.1, 0.6, 0.3], [0.5, 0.3, 0.2],
               [0.4, 0.4, 0.2], [0.1, 0.1, 0.8], [0.2, 0.5, 0.3], [0.3, 0.3, 0.4], [0.25, 0.25, 0.5]])
predm = pm.argmax(1)
print("multi", r([metrics.precision_score(ym, predm, average="macro"), metrics.recall_score(ym, predm, average="macro"),
                  metrics.accuracy_score(ym, predm), metrics.f1_score(ym, predm, average="macro"), metrics.log_loss(ym, pm),
                  metrics.roc_auc_score(ym, pm, multi_class="ovr", average="macro")]))
