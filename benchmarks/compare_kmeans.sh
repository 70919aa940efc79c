#!/usr/bin/env bash
# KMEANS benchmark (issue 4): SqlMl's CREATE MODEL (kmeans, CUSTOM init from the same rows, no standardization,
# 20 iterations without early stop) on a generated N x 16 DOUBLE table, beside scikit-learn's
# KMeans(algorithm='lloyd', n_init=1, init=the same rows, max_iter=20, tol=0) on the same data in memory, in one run;
# prints the timings, the ratios, whether the target (<= 0.5x scikit-learn) is met, and whether the inertia agrees
# to 0.1 %. The two sides run alternately, ROUNDS times (each process: one untimed warm-up fit, then REPEAT timed
# fits), and each side's best time is kept, so a busy machine slows both sides alike.
#
#   benchmarks/compare_kmeans.sh [--rows N] [--k K...] [--rounds R] [--repeat R] [--predict] [--json FILE]
#
# --rows     row count (default 1,000,000)
# --k        cluster counts (default 8 64)
# --rounds   alternating rounds of SqlMl and scikit-learn (default 3)
# --repeat   timed fits per process after its warm-up (default 1)
# --predict  also time ML.PREDICT over the table (SqlMl only; scikit-learn's predict is not timed)
# --json     also write the combined raw results as JSON
#
# Environment: SQLML_BENCH_ARTIFACTS (build output, default /tmp/sqlml-kmeans-bench-artifacts), PYTHON (default
# /usr/bin/python3 with Debian's python3-sklearn), OPENBLAS_CORETYPE (default SkylakeX on AVX-512 CPUs: OpenBLAS
# 0.3.21 does not recognise newer ones and would fall back to AVX2 kernels).
set -euo pipefail
cd "$(dirname "$0")/.."

rows=1000000
ks=(8 64)
rounds=3
repeat=1
predict=()
json_out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --k) ks=(); shift; while [ $# -gt 0 ] && [[ "$1" != --* ]]; do ks+=("$1"); shift; done ;;
    --rounds) rounds="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --predict) predict=(--predict); shift ;;
    --json) json_out="$2"; shift 2 ;;
    -h|--help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

artifacts="${SQLML_BENCH_ARTIFACTS:-/tmp/sqlml-kmeans-bench-artifacts}"
python="${PYTHON:-/usr/bin/python3}"
if [ -z "${OPENBLAS_CORETYPE:-}" ] && grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
  export OPENBLAS_CORETYPE=SkylakeX
fi

echo "building SqlMl.KMeansBench (Release) into $artifacts" >&2
dotnet build benchmarks/SqlMl.KMeansBench -c Release --artifacts-path "$artifacts" -nologo -v q >&2

cs_runs=()
py_runs=()
for round in $(seq 1 "$rounds"); do
  echo "round $round/$rounds: SqlMl.KMeansBench --rows $rows --k ${ks[*]} --repeat $repeat ${predict[*]:-}" >&2
  cs_runs+=("$(dotnet "$artifacts/bin/SqlMl.KMeansBench/release/SqlMl.KMeansBench.dll" --rows "$rows" --k "${ks[@]}" --repeat "$repeat" "${predict[@]}")")
  echo "round $round/$rounds: $python benchmarks/kmeans_reference.py --rows $rows --k ${ks[*]} --repeat $repeat (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset})" >&2
  py_runs+=("$("$python" benchmarks/kmeans_reference.py --rows "$rows" --k "${ks[@]}" --repeat "$repeat")")
done
cs_json=$(printf '%s\n' "${cs_runs[@]}")
py_json=$(printf '%s\n' "${py_runs[@]}")

CS_JSON="$cs_json" PY_JSON="$py_json" JSON_OUT="$json_out" "$python" - <<'PYEOF'
import json, os

cs_all = [json.loads(line) for line in os.environ["CS_JSON"].splitlines() if line.strip()]
py_all = [json.loads(line) for line in os.environ["PY_JSON"].splitlines() if line.strip()]

def best_of(runs, key):
    """Per k, the run (over all rounds) with the smallest `key`."""
    merged = dict(runs[0])
    merged["runs"] = {k: min((r["runs"][k] for r in runs), key=lambda v: v[key]) for k in runs[0]["runs"]}
    return merged

cs = best_of(cs_all, "create_model_s")
py = best_of(py_all, "fit_s")
blas = (py.get("blas") or [{}])[0]
print()
print("KMEANS, %s rows x 16 DOUBLE features, %d iterations from the same starting rows (Lloyd, no early stop)" % (
    format(cs["rows"], ","), cs["iterations"]))
print("SqlMl: DuckDB %s, %s threads, %s, %s processors" % (cs["duckdb_version"], cs["duckdb_threads"], cs["dotnet"], cs["processors"]))
print("scikit-learn %s, numpy %s, BLAS %s %s (%s kernels, %s threads)" % (
    py["sklearn"], py["numpy"], blas.get("internal_api"), blas.get("version"), blas.get("architecture"), blas.get("num_threads")))
print("best of %d alternating rounds (each: a warm-up, then %d timed); table creation and data generation not timed" % (len(cs_all), cs["repeat"]))
print("all rounds, seconds (SqlMl end to end / scikit-learn):", "; ".join(
    "k=%s: %s" % (k, ", ".join("%.3f/%.3f" % (c["runs"][k]["create_model_s"], p["runs"][k]["fit_s"]) for c, p in zip(cs_all, py_all)))
    for k in cs["runs"]))
ok = True
for k, run in cs["runs"].items():
    ref = py["runs"][k]
    print()
    rows = [
        ("SqlMl CREATE MODEL, end to end (scan, train, statistics, catalog)", run["create_model_s"]),
        ("  of which Lloyd iterations (sum of ML.TRAINING_INFO duration_ms)", run["lloyd_iterations_s"]),
        ("scikit-learn KMeans.fit, in memory", ref["fit_s"]),
    ]
    if "predict_s" in run:
        rows.append(("SqlMl ML.PREDICT over the table (centroid_id + nearest list)", run["predict_s"]))
    width = max(len(r[0]) for r in rows)
    print("k = %s" % k)
    for label, s in rows:
        print("  %-*s %8.3f s" % (width, label, s))
    ratio = run["create_model_s"] / ref["fit_s"]
    lloyd = run["lloyd_iterations_s"] / ref["fit_s"]
    met = ratio <= 0.5
    ok = ok and met
    print("  %-*s %6.2fx  target <= 0.5x: %s" % (width, "SqlMl end to end / scikit-learn", ratio, "MET" if met else "NOT met"))
    print("  %-*s %6.2fx" % (width, "SqlMl Lloyd iterations / scikit-learn fit", lloyd))
    rel = abs(run["inertia"] - ref["inertia"]) / ref["inertia"]
    same = rel <= 1e-3 and int(run["n_iter"]) == int(ref["n_iter"])
    print("  inertia: SqlMl %.6e, scikit-learn %.6e, relative difference %.1e; iterations %s / %s: %s" % (
        run["inertia"], ref["inertia"], rel, run["n_iter"], ref["n_iter"], "OK (<= 0.1 %)" if same else "MISMATCH"))
if os.environ.get("JSON_OUT"):
    with open(os.environ["JSON_OUT"], "w") as f:
        json.dump({"sqlml": cs_all, "reference": py_all}, f, indent=1)
PYEOF
