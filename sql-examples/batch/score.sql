-- Scores a batch of new rows with the trained model; a scheduler runs it unattended (see README.md beside it).
-- Idempotent: every run replaces the scores table (CREATE OR REPLACE), and --output replaces the parquet file
-- atomically (written beside it, then moved), so a failed or repeated run never leaves half a result.
--   sqlml --db penguins.duckdb --quiet --log json --lock-timeout 300 \
--         --param input=sql-examples/data/penguins.csv --output scores.parquet sql-examples/batch/score.sql
CREATE OR REPLACE TABLE scores AS
SELECT species, island, sex, flipper_length_mm,
       round(predicted_body_mass_g, 1) AS predicted_body_mass_g,
       current_timestamp AS scored_at
FROM ML.PREDICT(MODEL penguin_weight, (SELECT * FROM read_csv($input)));

-- The last result set is what --output writes; its row count is the "rows" of this statement's --log json line.
SELECT * FROM scores ORDER BY species, island, flipper_length_mm;
