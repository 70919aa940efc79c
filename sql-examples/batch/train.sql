-- Trains (or retrains) the model the nightly scoring uses. Idempotent: CREATE OR REPLACE MODEL swaps the model in
-- one transaction after training succeeded, so a failed run leaves yesterday's model in place.
--   sqlml --db penguins.duckdb --param training=sql-examples/data/penguins.csv sql-examples/batch/train.sql
CREATE OR REPLACE MODEL penguin_weight
  OPTIONS(model_type = 'linear_reg', input_label_cols = ['body_mass_g'])
AS
SELECT species, island, culmen_length_mm, culmen_depth_mm, flipper_length_mm, body_mass_g
FROM read_csv($training)
WHERE body_mass_g IS NOT NULL;

SELECT mean_absolute_error, r2_score FROM ML.EVALUATE(MODEL penguin_weight);
