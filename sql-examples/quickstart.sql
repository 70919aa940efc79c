-- SqlMl quick start: BigQuery ML's penguins tutorial, on the embedded DuckDB.
-- Run from the repository root:  dotnet run --project src/SqlMl.Cli -- sql-examples/quickstart.sql

-- 1. Load the data (Palmer penguins, CC0; columns as in BigQuery's ml_datasets.penguins).
CREATE OR REPLACE TABLE penguins AS
SELECT * FROM read_csv('sql-examples/data/penguins.csv');

-- 2. Train a linear regression that predicts body mass from the other columns.
--    Numeric columns are standardized, species/island/sex one-hot encoded, NULLs imputed.
CREATE OR REPLACE MODEL penguin_weight
  OPTIONS(model_type = 'linear_reg', input_label_cols = ['body_mass_g'])
AS
SELECT * FROM penguins
WHERE body_mass_g IS NOT NULL;

-- 3. How training went.
SELECT * FROM ML.TRAINING_INFO(MODEL penguin_weight);

-- 4. Evaluate (without an input table: the metrics computed at training time).
SELECT * FROM ML.EVALUATE(MODEL penguin_weight);

-- 5. Predict the weight of the penguins on Biscoe island; every input column passes through.
SELECT species, sex, flipper_length_mm, body_mass_g, round(predicted_body_mass_g, 1) AS predicted_body_mass_g
FROM ML.PREDICT(MODEL penguin_weight, (SELECT * FROM penguins WHERE island = 'Biscoe'))
ORDER BY flipper_length_mm DESC
LIMIT 5;

-- 6. What the model learned, in the units of the input columns.
SELECT processed_input, round(weight, 3) AS weight, category_weights
FROM ML.WEIGHTS(MODEL penguin_weight);

-- 7. Models live in the database itself.
SELECT model_name, model_type, training_rows, created_at FROM sqlml.models;
