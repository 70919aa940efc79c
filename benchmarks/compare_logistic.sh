#!/usr/bin/env bash
# LOGISTIC_REG benchmark (issue 3): SqlMl's trainer in memory (LogisticRegressionTrainer.Train, no DuckDB: rows in,
# standardization, encoding, Newton to convergence with early_stop = FALSE) beside scikit-learn's
# LogisticRegression(solver='lbfgs', tol=1e-10, max_iter=100000, C = 1/(2·l2)) on the same standardized data, in one
# run; data N x P correlated, unstandardized (generated here, never committed). Prints per P both timings, the ratio
# (target <= 0.3x scikit-learn) and whether the mean log loss agrees to 1e-4 relative.
#
#   benchmarks/compare_logistic.sh [--rows N] [--features P...] [--l2 L] [--rounds R]
#
# Environment: SQLML_BENCH_ARTIFACTS (build output, default /tmp/sqlml-logistic-bench-artifacts), PYTHON (default
# /usr/bin/python3 with Debian's python3-sklearn), OPENBLAS_CORETYPE (SkylakeX on AVX-512 CPUs), DATA_DIR (/tmp).
set -euo pipefail
cd "$(dirname "$0")/.."

rows=1000000
features=(16 64)
l2=1
rounds=2
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --features) features=(); shift; while [ $# -gt 0 ] && [[ "$1" != --* ]]; do features+=("$1"); shift; done ;;
    --l2) l2="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
done

artifacts="${SQLML_BENCH_ARTIFACTS:-/tmp/sqlml-logistic-bench-artifacts}"
python="${PYTHON:-/usr/bin/python3}"
data_dir="${DATA_DIR:-/tmp}"
if [ -z "${OPENBLAS_CORETYPE:-}" ] && grep -qw avx512f /proc/cpuinfo 2>/dev/null; then
  export OPENBLAS_CORETYPE=SkylakeX
fi

echo "building SqlMl.Benchmarks (Release) into $artifacts" >&2
dotnet build benchmarks/SqlMl.Benchmarks -c Release --artifacts-path "$artifacts" -nologo -v q >&2

for p in "${features[@]}"; do
  file="$data_dir/sqlml-logistic-$rows-$p.bin"
  echo "generating $rows x $p into $file" >&2
  "$python" benchmarks/logistic_reference.py generate --rows "$rows" --features "$p" --out "$file"
  best_cs=""; best_py=""
  for round in $(seq 1 "$rounds"); do
    echo "round $round/$rounds, P = $p: SqlMl" >&2
    cs=$(dotnet "$artifacts/bin/SqlMl.Benchmarks/release/SqlMl.Benchmarks.dll" --logistic --data "$file" --l2 "$l2" --repeat 1)
    echo "  $cs" >&2
    echo "round $round/$rounds, P = $p: scikit-learn" >&2
    py=$("$python" benchmarks/logistic_reference.py fit --data "$file" --l2 "$l2")
    echo "  $py" >&2
    best_cs=$("$python" -c 'import json,sys; a,b=sys.argv[1],sys.argv[2]; print(b if not a or json.loads(b)["seconds"]<json.loads(a)["seconds"] else a)' "$best_cs" "$cs")
    best_py=$("$python" -c 'import json,sys; a,b=sys.argv[1],sys.argv[2]; print(b if not a or json.loads(b)["seconds"]<json.loads(a)["seconds"] else a)' "$best_py" "$py")
  done
  "$python" - "$best_cs" "$best_py" <<'PY'
import json, sys
cs, py = json.loads(sys.argv[1]), json.loads(sys.argv[2])
ratio = cs["seconds"] / py["seconds"]
rel = abs(cs["log_loss"] - py["log_loss"]) / py["log_loss"]
print(f'{cs["rows"]} x {cs["features"]}: SqlMl {cs["seconds"]:.2f} s (optimizer {cs["optimizer_seconds"]:.2f} s, {cs["iterations"]} Newton iterations, {cs["stop"]}); '
      f'scikit-learn lbfgs {py["seconds"]:.2f} s ({py["iterations"]} iterations); ratio {ratio:.3f} (target <= 0.3: {"met" if ratio <= 0.3 else "NOT met"}); '
      f'log loss {cs["log_loss"]:.10f} vs {py["log_loss"]:.10f} (rel diff {rel:.1e}, {"ok" if rel <= 1e-4 else "MISMATCH"}); '
      f'objective {cs["objective"]:.6f} vs {py["objective"]:.6f}')
PY
  rm -f "$file"
done
