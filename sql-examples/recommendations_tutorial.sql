-- SqlMl recommendations tutorial: BigQuery ML's MATRIX_FACTORIZATION on the embedded DuckDB.
-- Run from the repository root:  dotnet run --project src/SqlMl.Cli -- sql-examples/recommendations_tutorial.sql
--
-- The data is generated: 500 viewers, 120 movies in 4 genres. Each viewer likes one genre; ratings (1-5) are
-- higher for movies of that genre, with some noise. About a quarter of all (viewer, movie) pairs are rated.

-- 1. A ratings table. hash() makes the "random" choices repeatable.
CREATE OR REPLACE TABLE movies AS
SELECT m AS movie_id, 'Movie ' || m AS title, ['drama', 'comedy', 'action', 'horror'][m % 4 + 1] AS genre
FROM range(120) t(m);

CREATE OR REPLACE TABLE ratings AS
SELECT v AS viewer_id, m.movie_id,
       least(5, greatest(1, round(
           CASE WHEN m.movie_id % 4 = v % 4 THEN 4.3 ELSE 2.4 END          -- taste for the viewer's genre
           + (hash(v * 7919 + m.movie_id, 'noise') % 1000) / 1000.0 - 0.5 -- noise in [-0.5, 0.5)
           + CASE WHEN m.movie_id % 10 = 0 THEN 0.4 ELSE 0 END))) AS rating -- a few movies everybody likes
FROM range(500) t(v), movies m
WHERE hash(v * 7919 + m.movie_id) % 4 = 0;

SELECT count(*) AS ratings, count(DISTINCT viewer_id) AS viewers, count(DISTINCT movie_id) AS movies FROM ratings;

-- 2. Explicit feedback: predict the rating a viewer would give a movie.
--    ALS with a global, a per-viewer and a per-movie intercept; 20 % of the ratings are held out for evaluation.
CREATE OR REPLACE MODEL movie_ratings
  OPTIONS(model_type = 'matrix_factorization', feedback_type = 'explicit',
          user_col = 'viewer_id', item_col = 'movie_id', rating_col = 'rating',
          num_factors = 8, l2_reg = 2.0, data_split_method = 'random', data_split_eval_fraction = 0.2)
AS SELECT viewer_id, movie_id, rating FROM ratings;

-- The loss per iteration (training MSE) and the held-out MSE.
SELECT iteration, round(loss, 4) AS loss, round(eval_loss, 4) AS eval_loss FROM ML.TRAINING_INFO(MODEL movie_ratings) ORDER BY iteration;

-- Regression metrics on the held-out ratings.
SELECT round(sqrt(mean_squared_error), 3) AS rmse, round(mean_absolute_error, 3) AS mae, round(r2_score, 3) AS r2
FROM ML.EVALUATE(MODEL movie_ratings);

-- 3. The 10 best movies for each of three viewers (top_k keeps the best per viewer without sorting every pair).
--    Viewers 0 and 4 like drama (movie_id % 4 = 0), viewer 1 comedy.
SELECT r.viewer_id, r.movie_id, m.genre, round(r.predicted_rating, 2) AS predicted_rating
FROM ML.RECOMMEND(MODEL movie_ratings, (SELECT * FROM (VALUES (0), (1), (4)) v(viewer_id)), STRUCT(10 AS top_k)) r
JOIN movies m USING (movie_id)
ORDER BY r.viewer_id, r.predicted_rating DESC, r.movie_id;

-- How often the top 10 of every viewer is in the viewer's favourite genre (for all 500 viewers).
SELECT round(avg(CASE WHEN movie_id % 4 = viewer_id % 4 THEN 1 ELSE 0 END), 3) AS share_in_favourite_genre
FROM ML.RECOMMEND(MODEL movie_ratings, (SELECT DISTINCT viewer_id FROM ratings), STRUCT(10 AS top_k));

-- Predicted ratings for chosen (viewer, movie) pairs; a new viewer (9999) gets the global and movie intercepts.
SELECT viewer_id, movie_id, round(predicted_rating, 2) AS predicted_rating
FROM ML.PREDICT(MODEL movie_ratings, (SELECT * FROM (VALUES (0, 0), (0, 1), (9999, 0)) p(viewer_id, movie_id)));

-- 4. Implicit feedback: only who watched what (here: rated 4 or more), no ratings.
--    Weighted ALS (Hu, Koren and Volinsky); rating_col holds the interaction strength (1 per watch).
CREATE OR REPLACE MODEL movie_watches
  OPTIONS(model_type = 'matrix_factorization', feedback_type = 'implicit',
          user_col = 'viewer_id', item_col = 'movie_id', rating_col = 'watched',
          num_factors = 8, l2_reg = 1.0, wals_alpha = 20, data_split_method = 'random', data_split_eval_fraction = 0.2)
AS SELECT viewer_id, movie_id, 1 AS watched FROM ratings WHERE rating >= 4;

-- Ranking metrics on the held-out watches; average_rank is the expected percentile rank (0 = top, random = 0.5).
SELECT round(mean_average_precision, 3) AS map, round(normalized_discounted_cumulative_gain, 3) AS ndcg,
       round(average_rank, 3) AS average_rank
FROM ML.EVALUATE(MODEL movie_watches);

-- 5. Top-10 recommendations per viewer of movies they have not watched yet.
CREATE OR REPLACE TABLE recommendations AS
SELECT viewer_id, movie_id, predicted_watched_confidence
FROM ML.RECOMMEND(MODEL movie_watches, (SELECT DISTINCT viewer_id FROM ratings), STRUCT(40 AS top_k)) r
WHERE NOT EXISTS (SELECT 1 FROM ratings s WHERE s.viewer_id = r.viewer_id AND s.movie_id = r.movie_id AND s.rating >= 4)
QUALIFY row_number() OVER (PARTITION BY viewer_id ORDER BY predicted_watched_confidence DESC, movie_id) <= 10;

SELECT viewer_id, list(movie_id ORDER BY predicted_watched_confidence DESC, movie_id) AS top_10
FROM recommendations WHERE viewer_id < 4 GROUP BY viewer_id ORDER BY viewer_id;

SELECT round(avg(CASE WHEN movie_id % 4 = viewer_id % 4 THEN 1 ELSE 0 END), 3) AS share_in_favourite_genre FROM recommendations;

-- 6. The learned factors: one row per viewer and per movie, plus the global intercept.
SELECT processed_input, count(*) AS rows, max(len(factor_weights)) AS factors
FROM ML.WEIGHTS(MODEL movie_ratings) GROUP BY processed_input ORDER BY processed_input;
