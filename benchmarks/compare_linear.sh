#!/usr/bin/env bash
# LINEAR_REG benchmark (issue 2): SqlMl's CREATE MODEL end to end on a generated N x 16 DOUBLE DuckDB table, beside
# a bare chunk scan of the same table, numpy's normal equations on the same data in memory, and scikit-learn's
# LinearRegression, in one run; prints the timings, the ratios, whether the targets are met, and how far SqlMl's
# coefficients (ML.WEIGHTS) are from numpy's.
#
#   benchmarks/compare_linear.sh [--rows N] [--db PATH|:memory:] [--repeat R] [--compression NAME]...
#                                [--sql STATEMENT]... [--numpy-sin] [--skip-sklearn] [--json FILE]
#
# --rows         row count (default 10,000,000)
# --db           DuckDB database for the table (default a fresh file under $TMPDIR; :memory: for in-memory)
# --repeat       best of R timed runs of each operation, after one untimed warm-up (default 3)
# --compression  the table's DuckDB storage compression: 'default' (DuckDB's choice: ALP-RD for these values) or a
#                forced one (e.g. uncompressed); repeatable, one SqlMl run per table; default: default and uncompressed
#                (the same raw doubles numpy holds in memory)
# --sql          run a statement on SqlMl's connection first, e.g. "SET streaming_buffer_size='64MB'" (repeatable)
# --numpy-sin    generate the Python copy of the data with np.sin (faster; equal to ~1 ulp, not bit-identical)
# --skip-sklearn skip scikit-learn (it takes several seconds per fit at 10M rows)
# --json FILE    also write the combined raw results as JSON
#
# Environment: SQLML_BENCH_ARTIFACTS (build output, default /tmp/sqlml-bench-artifacts: kept apart from the
# repository's bin/obj so a concurrent build of the repository is not disturbed), PYTHON (default /usr/bin/python3,
# Debian's python3-numpy/python3-sklearn), OPENBLAS_CORETYPE (default SkylakeX on AVX-512 CPUs, as DESIGN.md asks:
# OpenBLAS 0.3.21 may not recognise newer CPUs and fall back to AVX2 kernels; the kernels used are printed).
set -euo pipefail
cd "$(dirname "$0")/.."

rows=10000000
db="${TMPDIR:-/tmp}/sqlml-bench-linear.duckdb"
repeat=3
compressions=()
sql=()
py_args=()
json_out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --db) db="$2"; shift 2 ;;
    --repeat) repeat="$2"; shift 2 ;;
    --compression) compressions+=("$2"); shift 2 ;;
    --sql) sql+=(--sql "$2"); shift 2 ;;
    --numpy-sin) py_args+=(--numpy-sin); shift ;;
    --skip-sklearn) py_args+=(--skip-sklearn); shift ;;
    --json) json_out="$2"; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

artifacts="${SQLML_BENCH_ARTIFACTS:-/tmp/sqlml-bench-artifacts}"
python="${PYTHON:-/usr/bin/python3}"
if [ -z "${OPENBLAS_CORETYPE:-}" ] && grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
  export OPENBLAS_CORETYPE=SkylakeX
fi

echo "building SqlMl.Benchmarks (Release) into $artifacts" >&2
dotnet build benchmarks/SqlMl.Benchmarks -c Release --artifacts-path "$artifacts" -nologo -v q >&2

[ ${#compressions[@]} -eq 0 ] && compressions=(default uncompressed)
cs_runs=()
for compression in "${compressions[@]}"; do
  cs_args=(--compare --rows "$rows" --db "$db" --repeat "$repeat")
  [ "$compression" != "default" ] && cs_args+=(--compression "$compression")
  cs_args+=("${sql[@]}")
  echo "SqlMl: dotnet SqlMl.Benchmarks.dll ${cs_args[*]}" >&2
  cs_runs+=("$(dotnet "$artifacts/bin/SqlMl.Benchmarks/release/SqlMl.Benchmarks.dll" "${cs_args[@]}")")
  if [ "$db" != ":memory:" ]; then rm -f "$db" "$db.wal"; fi
done
cs_json="[$(IFS=,; echo "${cs_runs[*]}")]"

echo "reference: $python benchmarks/linear_reference.py --rows $rows --repeat $repeat ${py_args[*]:-} (OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset})" >&2
py_json=$("$python" benchmarks/linear_reference.py --rows "$rows" --repeat "$repeat" "${py_args[@]}")

CS_JSON="$cs_json" PY_JSON="$py_json" JSON_OUT="$json_out" "$python" - <<'EOF'
import json, os

runs = json.loads(os.environ["CS_JSON"])
py = json.loads(os.environ["PY_JSON"])
np_s = py["numpy_normal_eq_s"]
sk_s = py.get("sklearn_linear_s")
ref = py["numpy_coef"]
scale = max(abs(c) for c in ref)

def fmt(s):
    return "%8.3f s" % s

def diff(w):
    d = max(abs(a - b) for a, b in zip(w, ref))
    return d, d / scale

first = runs[0]
print()
print("LINEAR_REG, %s rows x 16 DOUBLE features (+ label)" % format(first["rows"], ","))
blas = (py.get("blas") or [{}])[0]
print("numpy BLAS at run time: %s %s, %s kernels, %s threads" % (
    blas.get("internal_api"), blas.get("version"), blas.get("architecture"), blas.get("num_threads")))
print("numpy normal equations, in memory: %s" % fmt(np_s).strip())
if sk_s is not None:
    print("scikit-learn LinearRegression, in memory: %s (vs numpy: max |diff| %.2e)" % (fmt(sk_s).strip(), py["sklearn_max_abs_diff"]))
print("best of %d after a warm-up; data generation and table creation not timed" % first["repeat"])

for cs in runs:
    sq = cs["create_model_s"]
    scan = cs["scan_s"]
    print()
    print("== table storage: %s (%s)" % (cs.get("compression", "default"), cs["storage"]))
    print("SqlMl: DuckDB %s, %d threads, %s, table in %s" % (cs["duckdb_version"], cs["duckdb_threads"], cs["dotnet"], cs["db"]))
    if cs.get("sql"):
        print("SqlMl connection settings: %s" % "; ".join(cs["sql"]))
    cpu = cs.get("cpu_s", {})
    rows = [
        ("SqlMl CREATE MODEL, end to end (AUTO_SPLIT)", sq, cpu.get("create_model_s")),
        ("SqlMl CREATE MODEL, end to end (NO_SPLIT)", cs["create_model_no_split_s"], cpu.get("create_model_no_split_s")),
        ("  bare chunk scan of the 17 columns (every value read)", scan, cpu.get("scan_s")),
        ("  bare chunk scan, fetch only (no value read)", cs["scan_fetch_s"], cpu.get("scan_fetch_s")),
    ]
    for key, label in [("scan_training_query_s", "  stage: chunk scan of the training query (casts + hash())"),
                       ("reader_s", "  stage: same query through ChunkTrainingData (batch copies)"),
                       ("trainer_s", "  stage: reader + LinearRegressionTrainer, no catalog")]:
        if key in cs:
            rows.append((label, cs[key], cpu.get(key)))
    rows.append(("numpy normal equations, in memory", np_s, None))
    width = max(len(r[0]) for r in rows)
    print("%-*s %10s %10s" % (width, "", "wall", "CPU"))
    for label, s, c in rows:
        print("%-*s %s %s" % (width, label, fmt(s), "" if c is None else fmt(c)))
    print()

    def ratio(label, value, target=None):
        mark = "" if target is None else ("  target <= %.1fx: %s" % (target, "MET" if value <= target else "NOT met"))
        print("%-*s %6.2fx%s" % (width, label, value, mark))

    ratio("SqlMl / numpy", sq / np_s, 1.0)
    if sk_s is not None:
        ratio("SqlMl / scikit-learn", sq / sk_s)
    ratio("SqlMl / bare chunk scan", sq / scan, 2.0)
    if cs["scan_fetch_s"] > np_s:
        print("(DuckDB's fetch-only scan of this table alone takes longer than numpy's whole fit)")
    d, rel = diff(cs["weights_no_split"])
    print("ML.WEIGHTS (NO_SPLIT, all rows) vs numpy: max |diff| %.2e, relative to max |coef| %.2e: %s" % (
        d, rel, "OK (<= 1e-6)" if rel <= 1e-6 else "MISMATCH (> 1e-6)"))
    d, rel = diff(cs["weights"])
    print("ML.WEIGHTS (AUTO_SPLIT, %s of %s rows) vs numpy on all rows: max |diff| %.2e (relative %.2e; different rows, not expected to agree to 1e-6)" % (
        format(cs["training_rows"], ","), format(cs["rows"], ","), d, rel))

if os.environ.get("JSON_OUT"):
    with open(os.environ["JSON_OUT"], "w") as f:
        json.dump({"sqlml": runs, "reference": py}, f, indent=1)
EOF
