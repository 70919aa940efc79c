"""Synthetic ratings with MovieLens-1M's shape: 6,040 users x 3,706 items, 1,000,209 ratings.

User activity is log-normal (every user has at least 20 ratings, as in MovieLens), item popularity Zipf-like;
ratings are 1..5, rounded from a rank-8 latent model with user/item biases and noise. Deterministic (seed 42).
Usage: als_data.py OUT.csv
"""
import sys

import numpy as np

USERS, ITEMS, RATINGS = 6040, 3706, 1_000_209


def generate(seed=42):
    rng = np.random.default_rng(seed)
    activity = rng.lognormal(0.0, 1.0, USERS)
    counts = 20 + np.floor(activity / activity.sum() * (RATINGS - 20 * USERS)).astype(np.int64)
    counts[: RATINGS - counts.sum()] += 1  # hand out the rounding remainder
    counts = np.minimum(counts, ITEMS)
    popularity = 1.0 / np.arange(1, ITEMS + 1) ** 0.9
    popularity = popularity[rng.permutation(ITEMS)]
    popularity /= popularity.sum()
    users = np.repeat(np.arange(USERS), counts)
    items = np.concatenate([rng.choice(ITEMS, size=c, replace=False, p=popularity) for c in counts])
    rank = 8
    p = rng.normal(0, 0.5, (USERS, rank))
    q = rng.normal(0, 0.5, (ITEMS, rank))
    bu = rng.normal(0, 0.4, USERS)
    bi = rng.normal(0, 0.4, ITEMS)
    raw = 3.6 + bu[users] + bi[items] + np.einsum("ij,ij->i", p[users], q[items]) + rng.normal(0, 0.5, users.size)
    ratings = np.clip(np.rint(raw), 1, 5)
    return users + 1, items + 1, ratings


if __name__ == "__main__":
    u, i, r = generate()
    with open(sys.argv[1], "w") as f:
        f.write("user,item,rating\n")
        np.savetxt(f, np.column_stack([u, i, r]), fmt="%d,%d,%d")
    print(f"{u.size} ratings, {np.unique(u).size} users, {np.unique(i).size} items", file=sys.stderr)
