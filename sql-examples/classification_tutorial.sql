-- SqlMl classification tutorial: LOGISTIC_REG on the Palmer penguins, in the spirit of BigQuery ML's
-- "create a classification model" tutorial. A binary model predicts a penguin's sex from its measurements,
-- a multiclass model its species.
-- Run from the repository root:  dotnet run --project src/SqlMl.Cli -- sql-examples/classification_tutorial.sql

-- 1. Load the data (Palmer penguins, CC0) and hold out about a fifth of the birds for testing. The split is a hash
--    of each bird's measurements, so it is the same on every run.
CREATE OR REPLACE TABLE penguins AS
SELECT *, hash(culmen_length_mm, culmen_depth_mm, flipper_length_mm, body_mass_g, island) % 5 = 0 AS is_test
FROM read_csv('sql-examples/data/penguins.csv');

-- 2. Binary classification: is this penguin MALE or FEMALE? Rows without a recorded sex are left out (a NULL label
--    is an error, not silently skipped). Numeric features are standardized, species and island one-hot encoded.
--    The positive class is the higher label, 'MALE'.
CREATE OR REPLACE MODEL penguin_sex
  OPTIONS(model_type = 'logistic_reg', input_label_cols = ['sex'], data_split_method = 'no_split', enable_global_explain = TRUE)
AS
SELECT species, island, culmen_length_mm, culmen_depth_mm, flipper_length_mm, body_mass_g, sex
FROM penguins
WHERE sex IS NOT NULL AND NOT is_test;

-- 3. How training went: log loss per iteration.
SELECT iteration, round(loss, 4) AS loss, learning_rate
FROM ML.TRAINING_INFO(MODEL penguin_sex)
ORDER BY iteration;

-- 4. Quality on the held-out birds.
SELECT round(precision, 3) AS precision, round(recall, 3) AS recall, round(accuracy, 3) AS accuracy,
       round(f1_score, 3) AS f1_score, round(log_loss, 3) AS log_loss, round(roc_auc, 3) AS roc_auc
FROM ML.EVALUATE(MODEL penguin_sex, (SELECT * FROM penguins WHERE sex IS NOT NULL AND is_test));

-- 5. Where the mistakes are: rows are the true sex, columns the predicted one.
SELECT * FROM ML.CONFUSION_MATRIX(MODEL penguin_sex, (SELECT * FROM penguins WHERE sex IS NOT NULL AND is_test));

-- 6. The trade-off between catching males and false alarms, at a few thresholds.
SELECT threshold, round(recall, 3) AS recall, round(false_positive_rate, 3) AS false_positive_rate,
       true_positives, false_positives, true_negatives, false_negatives
FROM ML.ROC_CURVE(MODEL penguin_sex, (SELECT * FROM penguins WHERE sex IS NOT NULL AND is_test), GENERATE_ARRAY(0.2, 0.8, 0.2))
ORDER BY threshold;

-- 7. Predict the birds whose sex was never recorded. The probabilities come as a list of (label, prob).
SELECT species, island, body_mass_g, predicted_sex,
       round(list_filter(predicted_sex_probs, p -> p.label = predicted_sex)[1].prob, 3) AS probability
FROM ML.PREDICT(MODEL penguin_sex, (SELECT * FROM penguins WHERE sex IS NULL))
ORDER BY species, body_mass_g;

-- 8. What drives the prediction: weights on the standardized features (one-hot features list a weight per category).
SELECT processed_input, round(weight, 3) AS weight,
       list_transform(category_weights, c -> {'category': c.category, 'weight': round(c.weight, 3)}) AS category_weights
FROM ML.WEIGHTS(MODEL penguin_sex, STRUCT(true AS standardize));

-- 9. Multiclass: the species from the four measurements alone (multinomial softmax over three classes).
CREATE OR REPLACE MODEL penguin_species
  OPTIONS(model_type = 'logistic_reg', input_label_cols = ['species'], data_split_method = 'no_split', l2_reg = 0.1)
AS
SELECT culmen_length_mm, culmen_depth_mm, flipper_length_mm, body_mass_g, species
FROM penguins
WHERE NOT is_test;

-- 10. Held-out quality (precision, recall and f1 are macro-averaged over the species), and the confusion matrix.
SELECT round(precision, 3) AS precision, round(recall, 3) AS recall, round(accuracy, 3) AS accuracy,
       round(f1_score, 3) AS f1_score, round(log_loss, 3) AS log_loss, round(roc_auc, 3) AS roc_auc
FROM ML.EVALUATE(MODEL penguin_species, (SELECT * FROM penguins WHERE is_test));

SELECT * FROM ML.CONFUSION_MATRIX(MODEL penguin_species, (SELECT * FROM penguins WHERE is_test));

-- 11. Per-species weights: one row per class and feature.
SELECT class_label, processed_input, round(weight, 3) AS weight
FROM ML.WEIGHTS(MODEL penguin_species)
ORDER BY class_label, processed_input;

-- 12. Why these birds? ML.EXPLAIN_PREDICT splits each prediction's log-odds (of the predicted sex) into exact
--     per-feature attributions; here the three largest, and the log-odds they add up to (with the baseline).
SELECT species, body_mass_g, predicted_sex,
       list_transform(top_feature_attributions, a -> a.feature) AS top_features,
       round(prediction_value, 3) AS log_odds, round(probability, 3) AS probability
FROM ML.EXPLAIN_PREDICT(MODEL penguin_sex, (SELECT * FROM penguins WHERE sex IS NULL), STRUCT(3 AS top_k_features))
ORDER BY species, body_mass_g
LIMIT 4;

-- 13. Which features matter overall: the mean |attribution| over the training birds (needs enable_global_explain, step 2).
SELECT feature, round(attribution, 3) AS attribution
FROM ML.GLOBAL_EXPLAIN(MODEL penguin_sex);
