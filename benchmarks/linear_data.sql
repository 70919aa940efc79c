-- Synthetic linear-regression benchmark data (same rows as benchmarks/linear_reference.py).
-- x_j = sin(i * (0.0001*j + 0.00001*j*j) + j) for j = 1..16, i = 0..N-1 as DOUBLE
-- y   = sum_j (j*0.5 - 4) * x_j + 3 + 0.1 * sin(i * 0.7 + 0.3), summed left to right
-- The placeholder {N} is replaced by the row count.
CREATE TABLE bench AS
SELECT *,
  -3.5 * x1
  + -3.0 * x2
  + -2.5 * x3
  + -2.0 * x4
  + -1.5 * x5
  + -1.0 * x6
  + -0.5 * x7
  + 0.0 * x8
  + 0.5 * x9
  + 1.0 * x10
  + 1.5 * x11
  + 2.0 * x12
  + 2.5 * x13
  + 3.0 * x14
  + 3.5 * x15
  + 4.0 * x16
  + 3.0
  + 0.1 * sin(id::DOUBLE * 0.7 + 0.3) AS y
FROM (
  SELECT i AS id,
    sin(i::DOUBLE * 0.00011 + 1) AS x1,
    sin(i::DOUBLE * 0.00024 + 2) AS x2,
    sin(i::DOUBLE * 0.00039 + 3) AS x3,
    sin(i::DOUBLE * 0.00056 + 4) AS x4,
    sin(i::DOUBLE * 0.00075 + 5) AS x5,
    sin(i::DOUBLE * 0.00096 + 6) AS x6,
    sin(i::DOUBLE * 0.00119 + 7) AS x7,
    sin(i::DOUBLE * 0.00144 + 8) AS x8,
    sin(i::DOUBLE * 0.00171 + 9) AS x9,
    sin(i::DOUBLE * 0.00200 + 10) AS x10,
    sin(i::DOUBLE * 0.00231 + 11) AS x11,
    sin(i::DOUBLE * 0.00264 + 12) AS x12,
    sin(i::DOUBLE * 0.00299 + 13) AS x13,
    sin(i::DOUBLE * 0.00336 + 14) AS x14,
    sin(i::DOUBLE * 0.00375 + 15) AS x15,
    sin(i::DOUBLE * 0.00416 + 16) AS x16
  FROM range({N}) t(i)
) s;
