#!/usr/bin/env bash
# MATRIX_FACTORIZATION benchmark (issue 5): SqlMl's ALS beside a numpy ALS of the same algorithm (explicit feedback,
# global/user/item intercepts, rank 32, l2_reg 1) on a synthetic MovieLens-1M-shaped table (6,040 users x 3,706
# items, 1,000,209 ratings), in one run; prints milliseconds per iteration, their ratio and whether the target
# (SqlMl <= 0.25 x numpy per iteration) is met. Also: IMPLICIT feedback per iteration, top-10 recommendations for
# every user, and, where Debian's r-cran-dslabs is installed, held-out RMSE on its real MovieLens ratings (exported
# at run time to a temporary file; that data may not be redistributed, so it is never written into the repository).
#
#   benchmarks/compare_als.sh [--rank K] [--iterations N] [--numpy-iterations N] [--numpy-threads T]
#
# Environment: SQLML_BENCH_ARTIFACTS (build output, default /tmp/sqlml-als-bench-artifacts, apart from the
# repository's bin/obj), PYTHON (default /usr/bin/python3 with Debian's python3-numpy), OPENBLAS_CORETYPE (default
# SkylakeX, as DESIGN.md asks). OPENBLAS_NUM_THREADS defaults to 1 (--numpy-threads): numpy's ALS is many small BLAS
# calls and a batched LAPACK solve of 33 x 33 systems, which OpenBLAS's threading slows down several times here.
set -euo pipefail
cd "$(dirname "$0")/.."

rank=32
iterations=10
numpy_iterations=5
numpy_threads=1
while [ $# -gt 0 ]; do
  case "$1" in
    --rank) rank="$2"; shift 2 ;;
    --iterations) iterations="$2"; shift 2 ;;
    --numpy-iterations) numpy_iterations="$2"; shift 2 ;;
    --numpy-threads) numpy_threads="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

python="${PYTHON:-/usr/bin/python3}"
artifacts="${SQLML_BENCH_ARTIFACTS:-/tmp/sqlml-als-bench-artifacts}"
work="$(mktemp -d "${TMPDIR:-/tmp}/sqlml-als.XXXXXX")"
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"

dotnet build benchmarks/SqlMl.AlsBench -c Release --artifacts-path "$artifacts" -v quiet -nologo >/dev/null
"$python" benchmarks/als_data.py "$work/ratings.csv"

movielens=()
if [ -d /usr/lib/R/site-library/dslabs ] && command -v Rscript >/dev/null; then
  Rscript -e 'suppressMessages(library(dslabs)); data(movielens); write.csv(movielens[, c("userId", "movieId", "rating")], commandArgs(TRUE)[1], row.names = FALSE)' "$work/movielens.csv"
  movielens=("$work/movielens.csv")
else
  echo "r-cran-dslabs not installed: skipping the real MovieLens ratings"
fi

numpy_line="$(OPENBLAS_CORETYPE="${OPENBLAS_CORETYPE:-SkylakeX}" OPENBLAS_NUM_THREADS="$numpy_threads" \
  "$python" benchmarks/als_reference.py "$work/ratings.csv" "$rank" "$numpy_iterations" 1.0)"
sqlml_out="$(dotnet "$artifacts/bin/SqlMl.AlsBench/release/SqlMl.AlsBench.dll" "$work/ratings.csv" "$rank" "$iterations" 1.0 "${movielens[@]}")"

echo "numpy (OPENBLAS_NUM_THREADS=$numpy_threads): $numpy_line"
echo "$sqlml_out"
numpy_ms="$(sed -n 's/.*numpy_ms_per_iteration=\([0-9.]*\).*/\1/p' <<<"$numpy_line")"
numpy_min="$(sed -n 's/.*numpy_min_ms_per_iteration=\([0-9.]*\).*/\1/p' <<<"$numpy_line")"
sqlml_ms="$(sed -n 's/^explicit_ms_per_iteration=//p' <<<"$sqlml_out")"
sqlml_min="$(sed -n 's/^explicit_min_ms_per_iteration=//p' <<<"$sqlml_out")"
"$python" - "$sqlml_ms" "$numpy_ms" "$sqlml_min" "$numpy_min" <<'EOF'
import sys
sqlml, numpy, sqlml_min, numpy_min = map(float, sys.argv[1:])
ratio = sqlml / numpy
print(f"ratio_sqlml_to_numpy_per_iteration={ratio:.3f} (medians; mins {sqlml_min / numpy_min:.3f}) target<=0.25 {'met' if ratio <= 0.25 else 'NOT met'}")
EOF
