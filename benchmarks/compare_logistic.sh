#!/usr/bin/env bash
# LOGISTIC_REG benchmark (issue 3): SqlMl's trainer in memory (LogisticRegressionTrainer.Train, no DuckDB: rows in,
# standardization, encoding, Newton to convergence with early_stop = FALSE, stored metrics) beside scikit-learn's lbfgs
# to convergence, on N x P correlated, unstandardized features whose design [1 X] has condition number ~1e3 (generated
# here, never committed; the measured value is printed). Two pairings per P, alternating sides within each round:
#   issue         issue 3's setup: scikit-learn LogisticRegression(penalty=None, lbfgs) on the features as given;
#                 SqlMl with l2_reg = 0. Unregularized, so both reach the same optimum whatever the scaling.
#   standardized  the stricter pairing: scikit-learn on standardized features (scaling timed) with C = 1/(2·l2);
#                 SqlMl with l2_reg = L.
# Prints per P and pairing both timings (best of the rounds), the ratio (target <= 0.3x scikit-learn) and whether the
# mean log loss agrees to 1e-4 relative.
#
#   benchmarks/compare_logistic.sh [--rows N] [--features P...] [--l2 L] [--rounds R] [--setups "issue standardized"]
#
# Environment: SQLML_BENCH_ARTIFACTS (build output, default /tmp/sqlml-logistic-bench-artifacts), PYTHON (default
# /usr/bin/python3 with Debian's python3-sklearn), OPENBLAS_CORETYPE (SkylakeX on AVX-512 CPUs), DATA_DIR (/tmp).
set -euo pipefail
cd "$(dirname "$0")/.."

rows=1000000
features=(16 64)
l2=1
rounds=2
setups="issue standardized"
while [ $# -gt 0 ]; do
  case "$1" in
    --rows) rows="$2"; shift 2 ;;
    --features) features=(); shift; while [ $# -gt 0 ] && [[ "$1" != --* ]]; do features+=("$1"); shift; done ;;
    --l2) l2="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --setups) setups="$2"; shift 2 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
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

best() { "$python" -c 'import json,sys; a,b=sys.argv[1],sys.argv[2]; print(b if not a or json.loads(b)["seconds"]<json.loads(a)["seconds"] else a)' "$1" "$2"; }

for p in "${features[@]}"; do
  file="$data_dir/sqlml-logistic-$rows-$p.bin"
  echo "generating $rows x $p into $file" >&2
  "$python" benchmarks/logistic_reference.py generate --rows "$rows" --features "$p" --out "$file"
  for setup in $setups; do
    if [ "$setup" = issue ]; then cs_l2=0; else cs_l2="$l2"; fi
    best_cs=""; best_py=""
    for round in $(seq 1 "$rounds"); do
      echo "round $round/$rounds, P = $p, $setup: SqlMl (l2_reg = $cs_l2)" >&2
      cs=$(dotnet "$artifacts/bin/SqlMl.Benchmarks/release/SqlMl.Benchmarks.dll" --logistic --data "$file" --l2 "$cs_l2" --repeat 1)
      echo "  $cs" >&2
      echo "round $round/$rounds, P = $p, $setup: scikit-learn" >&2
      py=$("$python" benchmarks/logistic_reference.py fit --data "$file" --setup "$setup" --l2 "$l2")
      echo "  $py" >&2
      best_cs=$(best "$best_cs" "$cs")
      best_py=$(best "$best_py" "$py")
    done
    "$python" - "$best_cs" "$best_py" <<'PY'
import json, sys
cs, py = json.loads(sys.argv[1]), json.loads(sys.argv[2])
ratio = cs["seconds"] / py["seconds"]
rel = abs(cs["log_loss"] - py["log_loss"]) / py["log_loss"]
print(f'{cs["rows"]} x {cs["features"]}, cond([1 X]) = {py["cond"]:.0f}, {py["setup"]} (scikit-learn {"raw features, no penalty" if py["setup"] == "issue" else "standardized, l2 = " + str(py["l2"])}; SqlMl l2_reg = {cs["l2"]}): '
      f'SqlMl {cs["seconds"]:.2f} s (CPU {cs["cpu_seconds"]:.2f} s; optimizer {cs["optimizer_seconds"]:.2f} s, {cs["iterations"]} Newton iterations, {cs["stop"]}); '
      f'scikit-learn lbfgs {py["seconds"]:.2f} s ({py["iterations"]} iterations); ratio {ratio:.3f} (target <= 0.3: {"met" if ratio <= 0.3 else "NOT met"}); '
      f'log loss {cs["log_loss"]:.10f} vs {py["log_loss"]:.10f} (rel diff {rel:.1e}, {"ok" if rel <= 1e-4 else "MISMATCH"}); '
      f'objective {cs["objective"]:.6f} vs {py["objective"]:.6f}')
PY
  done
  rm -f "$file"
done
