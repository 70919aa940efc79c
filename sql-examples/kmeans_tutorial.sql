-- SqlMl k-means tutorial: segment the Palmer penguins by their measurements, then look for unusual birds.
-- Run from the repository root:  dotnet run --project src/SqlMl.Cli -- sql-examples/kmeans_tutorial.sql

-- 1. Load the data (Palmer penguins, CC0; columns as in BigQuery's ml_datasets.penguins).
CREATE OR REPLACE TABLE penguins AS
SELECT * FROM read_csv('sql-examples/data/penguins.csv');

-- 2. Cluster on the four body measurements. Species is left out on purpose: do the clusters find it anyway?
--    Features are standardized (standardize_features defaults to TRUE), NULL measurements take the column mean,
--    and the starting centroids come from k-means++ seeding, best of 3 runs (kmeans_init_runs, kmeans_init_seed).
CREATE OR REPLACE MODEL penguin_segments
  OPTIONS(model_type = 'kmeans', num_clusters = 3)
AS
SELECT culmen_length_mm, culmen_depth_mm, flipper_length_mm, body_mass_g
FROM penguins;

-- 3. How training went: the mean squared distance per iteration, and each cluster's size and radius.
SELECT iteration, round(loss, 4) AS loss,
       list_transform(cluster_info, c -> {'id': c.centroid_id, 'size': c.cluster_size, 'radius': round(c.cluster_radius, 3)}) AS clusters
FROM ML.TRAINING_INFO(MODEL penguin_segments)
ORDER BY iteration;

-- 4. Cluster quality: a lower Davies-Bouldin index means tighter, better separated clusters.
SELECT round(davies_bouldin_index, 4) AS davies_bouldin_index, round(mean_squared_distance, 4) AS mean_squared_distance
FROM ML.EVALUATE(MODEL penguin_segments);

-- 5. The typical penguin of each segment, in the input's units (one row per segment with DuckDB's PIVOT).
PIVOT (SELECT centroid_id, feature, round(numerical_value, 1) AS value FROM ML.CENTROIDS(MODEL penguin_segments))
ON feature USING first(value)
ORDER BY centroid_id;

-- 6. Do the segments match the species? ML.PREDICT keeps every input column, so species is still there.
SELECT centroid_id, species, count(*) AS penguins
FROM ML.PREDICT(MODEL penguin_segments, TABLE penguins)
GROUP BY ALL
ORDER BY centroid_id, penguins DESC;

-- 7. Unusual penguins: assume 2% of the birds are anomalies. normalized_distance is the distance to the closest
--    centroid relative to that cluster's radius; the cutoff is the one that flags 2% of the training rows.
SELECT species, island, sex, culmen_length_mm, culmen_depth_mm, flipper_length_mm, body_mass_g,
       round(normalized_distance, 2) AS normalized_distance
FROM ML.DETECT_ANOMALIES(MODEL penguin_segments, STRUCT(0.02 AS contamination), TABLE penguins)
WHERE is_anomaly
ORDER BY normalized_distance DESC;

-- 8. The same model scores new measurements, e.g. a very small, very heavy bird.
SELECT is_anomaly, round(normalized_distance, 2) AS normalized_distance
FROM ML.DETECT_ANOMALIES(MODEL penguin_segments, STRUCT(0.02 AS contamination),
     (SELECT 35.0 AS culmen_length_mm, 15.0 AS culmen_depth_mm, 175 AS flipper_length_mm, 6000 AS body_mass_g));
