-- Synthetic k-means benchmark data (the same rows as benchmarks/kmeans_reference.py builds with numpy).
-- 100 overlapping blobs in 16 dimensions, all arithmetic exact or correctly rounded, so both sides get
-- bit-identical values:
--   b    = i % 100                                              (the blob, not a feature)
--   x_j  = ((b * (131 j + 17) + 7 j) % 1000) / 100              (blob center, 0 .. 9.99)
--        + ((i * P_j) % 1000003) / 1000003 * 4                  (spread, 0 .. 4)
-- for j = 1..16 with P_j the primes listed below, i = 0..N-1.
-- init is TRUE for rows i = m * (N / K), m = 0..K-1: kmeans_init_method = 'CUSTOM' starts from those rows, as
-- scikit-learn starts from X[::N // K][:K]. The placeholders {N} and {K} are replaced by the row count and k.
CREATE OR REPLACE TABLE kmeans_bench AS
SELECT
  ((b * 148 + 7) % 1000)::DOUBLE / 100 + ((i * 1048583) % 1000003)::DOUBLE / 1000003 * 4 AS x1,
  ((b * 279 + 14) % 1000)::DOUBLE / 100 + ((i * 1048589) % 1000003)::DOUBLE / 1000003 * 4 AS x2,
  ((b * 410 + 21) % 1000)::DOUBLE / 100 + ((i * 1048601) % 1000003)::DOUBLE / 1000003 * 4 AS x3,
  ((b * 541 + 28) % 1000)::DOUBLE / 100 + ((i * 1048609) % 1000003)::DOUBLE / 1000003 * 4 AS x4,
  ((b * 672 + 35) % 1000)::DOUBLE / 100 + ((i * 1048613) % 1000003)::DOUBLE / 1000003 * 4 AS x5,
  ((b * 803 + 42) % 1000)::DOUBLE / 100 + ((i * 1048627) % 1000003)::DOUBLE / 1000003 * 4 AS x6,
  ((b * 934 + 49) % 1000)::DOUBLE / 100 + ((i * 1048633) % 1000003)::DOUBLE / 1000003 * 4 AS x7,
  ((b * 1065 + 56) % 1000)::DOUBLE / 100 + ((i * 1048661) % 1000003)::DOUBLE / 1000003 * 4 AS x8,
  ((b * 1196 + 63) % 1000)::DOUBLE / 100 + ((i * 1048681) % 1000003)::DOUBLE / 1000003 * 4 AS x9,
  ((b * 1327 + 70) % 1000)::DOUBLE / 100 + ((i * 1048703) % 1000003)::DOUBLE / 1000003 * 4 AS x10,
  ((b * 1458 + 77) % 1000)::DOUBLE / 100 + ((i * 1048709) % 1000003)::DOUBLE / 1000003 * 4 AS x11,
  ((b * 1589 + 84) % 1000)::DOUBLE / 100 + ((i * 1048717) % 1000003)::DOUBLE / 1000003 * 4 AS x12,
  ((b * 1720 + 91) % 1000)::DOUBLE / 100 + ((i * 1048721) % 1000003)::DOUBLE / 1000003 * 4 AS x13,
  ((b * 1851 + 98) % 1000)::DOUBLE / 100 + ((i * 1048759) % 1000003)::DOUBLE / 1000003 * 4 AS x14,
  ((b * 1982 + 105) % 1000)::DOUBLE / 100 + ((i * 1048783) % 1000003)::DOUBLE / 1000003 * 4 AS x15,
  ((b * 2113 + 112) % 1000)::DOUBLE / 100 + ((i * 1048793) % 1000003)::DOUBLE / 1000003 * 4 AS x16,
  i % ({N} // {K}) = 0 AND i < {K} * ({N} // {K}) AS init
FROM (SELECT i, i % 100 AS b FROM range({N}) t(i)) s;
