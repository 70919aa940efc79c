-- SqlMl feature-engineering tutorial: preprocessing inside TRANSFORM, learned once at training and re-applied
-- automatically at prediction, so new rows need only the raw columns.
-- Run from the repository root:  dotnet run --project src/SqlMl.Cli -- sql-examples/feature_engineering_tutorial.sql

-- 1. Load the data (Palmer penguins, CC0; columns as in BigQuery's ml_datasets.penguins).
CREATE OR REPLACE TABLE penguins AS
SELECT * FROM read_csv('sql-examples/data/penguins.csv');

-- 2. The preprocessing functions work in any query. Analytic ones (with OVER()) learn their statistics over the
--    query's rows: the mean and standard deviation, the quartiles. Scalar ones work row by row.
SELECT culmen_length_mm,
       round(ML.STANDARD_SCALER(culmen_length_mm) OVER(), 3) AS standardized,
       flipper_length_mm,
       ML.BUCKETIZE(flipper_length_mm, [190, 200, 210, 220]) AS flipper_bucket,
       culmen_depth_mm,
       ML.QUANTILE_BUCKETIZE(culmen_depth_mm, 4) OVER() AS depth_quartile
FROM penguins
ORDER BY culmen_length_mm NULLS LAST
LIMIT 5;

-- 3. Predict body mass with the feature engineering inside the model: TRANSFORM's select list is applied to the
--    training query, and the statistics it learns (means, deviations, min/max, quartiles, the most frequent sex)
--    are frozen into the model. Every expression needs an alias (or, for a STRUCT such as FEATURE_CROSS's,
--    `.*` to take each field as a column: here species_sex); the label passes through untransformed.
CREATE OR REPLACE MODEL penguin_weight
  TRANSFORM(
    ML.STANDARD_SCALER(culmen_length_mm) OVER() AS culmen_length,
    ML.ROBUST_SCALER(culmen_depth_mm) OVER() AS culmen_depth,
    ML.MIN_MAX_SCALER(flipper_length_mm) OVER() AS flipper_length,
    ML.BUCKETIZE(flipper_length_mm, [190, 200, 210, 220]) AS flipper_bucket,
    ML.QUANTILE_BUCKETIZE(culmen_depth_mm, 4) OVER() AS depth_quartile,
    ML.IMPUTER(sex, 'most_frequent') OVER() AS sex,
    ML.ONE_HOT_ENCODER(island) OVER() AS island,
    ML.FEATURE_CROSS(STRUCT(species, sex)).*,
    species,
    body_mass_g)
  OPTIONS(model_type = 'linear_reg', input_label_cols = ['body_mass_g'])
AS
SELECT * FROM penguins WHERE body_mass_g IS NOT NULL;

-- 4. The model's features are the TRANSFORM outputs: ML.WEIGHTS names them. The one-hot encoder's sparse vector
--    becomes one column per vocabulary index (island_0 is the entry for NULL or unseen islands).
SELECT processed_input, round(weight, 1) + 0.0 AS weight,
       list_transform(category_weights, c -> {'category': c.category, 'weight': round(c.weight, 1)}) AS category_weights
FROM ML.WEIGHTS(MODEL penguin_weight);

-- 5. ML.FEATURE_INFO describes the raw columns the TRANSFORM reads, as they were at training.
SELECT input, min, max, round(mean, 2) AS mean, median, round(stddev, 2) AS stddev, category_count, null_count
FROM ML.FEATURE_INFO(MODEL penguin_weight)
ORDER BY input;

-- 6. ML.TRANSFORM shows what the model sees for new rows: the training statistics are reused (the flipper of
--    250 mm is beyond the training maximum, so its min-max value is clamped to 1; the unknown sex is imputed; the
--    island gets its vocabulary index).
SELECT * FROM ML.TRANSFORM(MODEL penguin_weight,
  (SELECT 'Gentoo penguin (Pygoscelis papua)' AS species, 'Dream' AS island, 50.0 AS culmen_length_mm,
          15.0 AS culmen_depth_mm, 250 AS flipper_length_mm, NULL::VARCHAR AS sex));

-- 7. How good is it? (No evaluation split was requested, so these are training metrics.)
SELECT round(mean_absolute_error, 1) AS mean_absolute_error, round(r2_score, 4) AS r2_score
FROM ML.EVALUATE(MODEL penguin_weight);

-- 8. Predict on raw rows: pass the original columns; the output keeps them and adds predicted_body_mass_g.
SELECT species, island, sex, flipper_length_mm, body_mass_g, round(predicted_body_mass_g) AS predicted_body_mass_g
FROM ML.PREDICT(MODEL penguin_weight,
  (SELECT * FROM penguins WHERE island = 'Dream' ORDER BY culmen_length_mm DESC LIMIT 3));
