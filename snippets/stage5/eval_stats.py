"""Statistics for evals: how sure a score is, whether B beat A, and how many cases.

An eval score is an estimate from a sample of cases, and on the Claude 5.5 models
(no sampling parameters, adaptive thinking) two runs of the same system on the same
cases differ. Five tools turn "0.91 against 0.88" into a decision:

- a bootstrap confidence interval for any metric, from the per-case scores (of a
  difference too: pass it the per-case differences between two systems);
- an exact McNemar test for "is B worse than A on the same cases", which looks only
  at the cases that changed;
- a paired permutation test for the same question when the per-case scores are not
  pass/fail (a reciprocal rank, an nDCG, a judge's 1 to 5);
- pass@k and pass^k for repeated runs of an agent: solved at least once in k tries,
  and solved every time in k tries;
- how many cases a paired comparison needs to detect a drop of a given size.

Standard library and numpy only, so the module runs wherever the eval does.
"""

from collections.abc import Callable, Sequence
from math import ceil, comb, sqrt
from statistics import NormalDist

import numpy as np

Statistic = Callable[[np.ndarray], float]


# --8<-- [start:bootstrap]
def bootstrap_ci(
    scores: Sequence[float],
    statistic: Statistic = np.mean,
    confidence: float = 0.95,
    resamples: int = 10_000,
    seed: int = 0,
) -> tuple[float, float]:
    """A percentile bootstrap interval for `statistic` over per-case scores.

    Resample the cases with replacement, recompute the metric each time, and read
    the interval off the spread of the results. It works for any metric computed
    from cases (a pass rate, a mean judge score, a median latency); the seed makes
    a report reproducible.
    """
    if len(scores) < 2:
        raise ValueError("a bootstrap interval needs at least two per-case scores")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    data = np.asarray(scores, dtype=float)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(data), size=(resamples, len(data)))
    estimates = np.apply_along_axis(statistic, 1, data[picks])
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(estimates, [tail, 100 - tail])
    return float(low), float(high)


# --8<-- [end:bootstrap]


# --8<-- [start:mcnemar]
def mcnemar_worse(lost: int, gained: int) -> float:
    """One-sided exact McNemar p-value that the candidate is worse than the baseline.

    `lost`: cases the baseline passed and the candidate failed. `gained`: the other
    way round. Cases both passed or both failed say nothing about the difference and
    are left out. If the two systems were equally good, each changed case would be a
    coin flip, so the p-value is the chance of at least `lost` heads in
    `lost + gained` fair tosses.
    """
    if lost < 0 or gained < 0:
        raise ValueError(f"counts cannot be negative: lost={lost}, gained={gained}")
    changed = lost + gained
    return sum(comb(changed, k) for k in range(lost, changed + 1)) / 2**changed


def mcnemar_two_sided(lost: int, gained: int) -> float:
    """Two-sided exact McNemar p-value: is either system better?"""
    smaller = min(lost, gained)
    return min(1.0, 2 * mcnemar_worse(max(lost, gained), smaller))


# --8<-- [end:mcnemar]


# --8<-- [start:paired_permutation]
def paired_permutation(
    candidate: Sequence[float],
    baseline: Sequence[float],
    resamples: int = 10_000,
    seed: int = 0,
) -> float:
    """Two-sided p-value that two systems score the same on average, case by case.

    The scores are paired: candidate[i] and baseline[i] are the same case. If the
    two systems were equally good, which of the two produced each case's score
    would not matter, so each per-case difference is as likely to have either
    sign. The p-value is the share of sign assignments whose total difference is
    at least as far from zero as the observed one. Cases with no difference count
    the same under every assignment and are left out. With at most
    log2(resamples) changed cases every assignment is enumerated (an exact test,
    and on pass/fail scores the same p-value as `mcnemar_two_sided`); otherwise
    `resamples` random assignments are drawn, and the observed one counts too.
    """
    if len(candidate) != len(baseline):
        raise ValueError(
            f"paired scores need the same cases: {len(candidate)} against "
            f"{len(baseline)}"
        )
    differences = np.asarray(candidate, dtype=float) - np.asarray(baseline, dtype=float)
    changed = differences[differences != 0]
    if len(changed) == 0:
        return 1.0
    observed = abs(changed.sum())
    tolerance = 1e-9 * np.abs(changed).sum()  # floating-point ties count as ties
    if 2 ** len(changed) <= resamples:
        codes = np.arange(2 ** len(changed))[:, None] >> np.arange(len(changed))
        signs = 1 - 2 * (codes & 1)
        extreme = np.abs(signs @ changed) >= observed - tolerance
        return float(extreme.mean())
    rng = np.random.default_rng(seed)
    signs = rng.choice([-1.0, 1.0], size=(resamples, len(changed)))
    extreme = np.abs(signs @ changed) >= observed - tolerance
    return float((1 + extreme.sum()) / (1 + resamples))


# --8<-- [end:paired_permutation]


# --8<-- [start:pass_k]
def pass_at_k(runs: int, solved: int, k: int) -> float:
    """Chance that at least one of k tries succeeds, estimated from `runs` tries.

    The unbiased estimator of Chen et al. (2021): 1 - C(runs - solved, k) / C(runs, k).
    """
    _check_runs(runs, solved, k)
    return 1 - comb(runs - solved, k) / comb(runs, k)


def pass_hat_k(runs: int, solved: int, k: int) -> float:
    """pass^k: chance that all k tries succeed, C(solved, k) / C(runs, k).

    From tau-bench (Yao et al., 2024). A user who asks the agent the same thing on k
    days meets pass^k, not pass@k: it falls quickly with k for an agent that is only
    sometimes right.
    """
    _check_runs(runs, solved, k)
    return comb(solved, k) / comb(runs, k)


def _check_runs(runs: int, solved: int, k: int) -> None:
    if not 0 <= solved <= runs or not 1 <= k <= runs:
        raise ValueError(
            f"need 0 <= solved <= runs and 1 <= k <= runs; got runs={runs}, "
            f"solved={solved}, k={k}"
        )


# --8<-- [end:pass_k]


# --8<-- [start:cases_needed]
def cases_needed(
    drop: float, changed: float, alpha: float = 0.05, power: float = 0.8
) -> int:
    """Cases a paired (McNemar) comparison needs to detect a drop in pass rate.

    `drop`: the fall in pass rate to detect, such as 0.05. `changed`: the share of
    cases whose outcome differs between the two systems, measured from repeat runs
    (it is at least `drop`). One-sided test at `alpha`, with the given power; the
    normal approximation of Connor (1987).
    """
    if not 0 < drop <= changed <= 1:
        raise ValueError(f"need 0 < drop <= changed <= 1; got {drop}, {changed}")
    z_alpha = NormalDist().inv_cdf(1 - alpha)
    z_power = NormalDist().inv_cdf(power)
    root = z_alpha * sqrt(changed) + z_power * sqrt(changed - drop**2)
    return ceil(root**2 / drop**2)


# --8<-- [end:cases_needed]
