"""Each figure is checked against a value worked out by hand (and cross-checked with
scipy.stats, which gives the same numbers), so a wrong formula fails a test."""

import numpy as np
import pytest

from snippets.stage5 import eval_stats as st


def test_bootstrap_interval_of_a_pass_rate():
    # 80 passes in 100. The normal approximation gives 0.8 +/- 1.96 * 0.04, that is
    # 0.72 to 0.88; scipy.stats.bootstrap(method="percentile") gives (0.72, 0.88).
    assert st.bootstrap_ci([1] * 80 + [0] * 20) == (0.72, 0.88)


def test_bootstrap_interval_on_the_page():
    # 29 of 32, as the eval report shows: the page quotes 0.78 to 1.00 (25/32 to 1).
    low, high = st.bootstrap_ci([1] * 29 + [0] * 3)
    assert (low, high) == (25 / 32, 1.0)


def test_bootstrap_takes_any_statistic_and_is_reproducible():
    latencies = [0.4, 0.5, 0.5, 0.6, 0.7, 0.9, 1.2, 3.0]
    first = st.bootstrap_ci(latencies, statistic=np.median, seed=3)
    assert first == st.bootstrap_ci(latencies, statistic=np.median, seed=3)
    assert first == (0.5, 1.2)


@pytest.mark.parametrize(
    ("scores", "confidence", "message"),
    [
        ([1.0], 0.95, "at least two per-case scores"),
        ([1.0, 0.0], 1.0, "confidence must be between 0 and 1, got 1.0"),
    ],
)
def test_bootstrap_refuses_what_it_cannot_estimate(scores, confidence, message):
    with pytest.raises(ValueError, match=message):
        st.bootstrap_ci(scores, confidence=confidence)


def test_mcnemar_exact_one_sided():
    # 8 lost, 0 gained: (1/2)^8 = 1/256.
    assert st.mcnemar_worse(8, 0) == 1 / 256
    # 8 lost, 1 gained: (C(9,8) + C(9,9)) / 2^9 = 10/512; scipy.stats.binomtest
    # (8, 9, 0.5, alternative="greater") gives 0.01953125.
    assert st.mcnemar_worse(8, 1) == 10 / 512
    assert st.mcnemar_worse(1, 0) == 0.5
    assert st.mcnemar_worse(0, 0) == 1.0


def test_mcnemar_exact_two_sided():
    # 1 and 8: 2 * (C(9,0) + C(9,1)) / 2^9 = 20/512; scipy.stats.binomtest(1, 9)
    # gives 0.0390625.
    assert st.mcnemar_two_sided(1, 8) == 20 / 512
    assert st.mcnemar_two_sided(8, 1) == 20 / 512
    assert st.mcnemar_two_sided(3, 3) == 1.0


def test_mcnemar_rejects_negative_counts():
    with pytest.raises(ValueError, match="counts cannot be negative: lost=-1"):
        st.mcnemar_worse(-1, 2)


def test_pass_at_k_and_pass_hat_k():
    assert st.pass_at_k(10, 3, 1) == pytest.approx(0.3)
    # 1 - C(7,5)/C(10,5) = 1 - 21/252
    assert st.pass_at_k(10, 3, 5) == pytest.approx(231 / 252)
    # The page's agent: 7 of 10. pass@3 = 1 - C(3,3)/C(10,3) = 119/120,
    # pass^3 = C(7,3)/C(10,3) = 35/120.
    assert st.pass_at_k(10, 7, 3) == pytest.approx(119 / 120)
    assert st.pass_hat_k(10, 7, 3) == pytest.approx(35 / 120)
    assert st.pass_hat_k(10, 10, 10) == 1.0
    assert st.pass_at_k(10, 0, 10) == 0.0


def test_pass_k_checks_its_arguments():
    with pytest.raises(ValueError, match="runs=5, solved=6, k=1"):
        st.pass_at_k(5, 6, 1)
    with pytest.raises(ValueError, match="runs=5, solved=2, k=6"):
        st.pass_hat_k(5, 2, 6)


def test_cases_needed_matches_the_formula_worked_by_hand():
    # (1.6449 * sqrt(0.10) + 0.8416 * sqrt(0.10 - 0.0025))^2 / 0.0025 = 245.2
    assert st.cases_needed(0.05, 0.10) == 246
    # (1.6449 * sqrt(0.15) + 0.8416 * sqrt(0.15 - 0.01))^2 / 0.01 = 90.6
    assert st.cases_needed(0.10, 0.15) == 91


def test_cases_needed_rejects_a_drop_larger_than_the_changes():
    with pytest.raises(ValueError) as error:
        st.cases_needed(0.2, 0.1)
    assert str(error.value) == "need 0 < drop <= changed <= 1; got 0.2, 0.1"


def test_paired_permutation_enumerates_every_sign_by_hand():
    # Differences 1, 1, 1, -0.5 (total 2.5). Of the 16 sign assignments, the totals
    # at least 2.5 from zero are +-(3 + 0.5) and +-(3 - 0.5): 4 of 16.
    assert st.paired_permutation([1, 1, 1, 0], [0, 0, 0, 0.5]) == 4 / 16
    # A case both systems score the same changes nothing.
    assert st.paired_permutation([1, 1, 1, 0, 0.3], [0, 0, 0, 0.5, 0.3]) == 4 / 16
    assert st.paired_permutation([0.5, 1], [0.5, 1]) == 1.0


def test_paired_permutation_on_pass_fail_is_mcnemar():
    # 1 lost, 8 gained, 5 passed by both: the exact two-sided McNemar p-value.
    candidate = [0] + [1] * 8 + [1] * 5
    baseline = [1] + [0] * 8 + [1] * 5
    assert st.paired_permutation(candidate, baseline) == st.mcnemar_two_sided(1, 8)
    assert st.paired_permutation(candidate, baseline) == 20 / 512


RR_A = [1, 1 / 2, 1, 1 / 3, 1, 1, 1 / 2, 1, 0, 1, 1, 1 / 4, 1, 1, 1 / 2, 1, 1]
RR_A += [1 / 5, 1, 1, 1, 1]
RR_B = [1 / 2, 1, 1 / 3, 1, 0, 1 / 2, 1, 1 / 4, 1 / 2, 1, 1 / 2, 1, 0, 1 / 3, 1]
RR_B += [1 / 2, 1, 1, 1 / 2, 1 / 2, 1, 1 / 3]


def test_paired_permutation_samples_when_there_are_too_many_signs():
    # Reciprocal ranks of 22 questions, 19 of them changed: 2^19 assignments, more
    # than the 10,000 resamples, so the test draws them (seeded). The observed
    # assignment counts among the draws, so the p-value is never 0.
    sampled = st.paired_permutation(RR_A, RR_B)
    assert sampled == 2262 / 10_001
    # Enumerating all 2^19 assignments gives the exact p-value, close to it.
    exact = st.paired_permutation(RR_A, RR_B, resamples=2**19)
    assert exact == 116_784 / 2**19
    assert abs(sampled - exact) < 0.01


def test_paired_permutation_needs_the_same_cases():
    with pytest.raises(ValueError) as error:
        st.paired_permutation([1, 0], [1])
    assert str(error.value) == "paired scores need the same cases: 2 against 1"


def test_the_evals_page_quotes_what_the_functions_compute():
    """Each figure the page states, computed here and looked for there: a change to
    the code or to the sentence alone fails."""
    from tests.stage5 import EVALS_PAGE

    page = " ".join(EVALS_PAGE.read_text(encoding="utf-8").split())
    low, high = st.bootstrap_ci([1] * 29 + [0] * 3)
    assert (
        f"For 29 passes out of 32 the 95% interval runs from {low:.2f} to {high:.2f}"
        in page
    )
    at_3, all_3 = st.pass_at_k(10, 7, 3), st.pass_hat_k(10, 7, 3)
    assert (
        f"An agent that solves a task 7 times in 10 has pass@3 of {at_3:.2f} and "
        f"pass^3 of {all_3:.2f}."
    ) in page
    assert (
        "If 10% of cases change and you want to catch a drop of 5 points with 80% "
        f"power, you need {st.cases_needed(0.05, 0.10)} cases; a drop of 10 points "
        f"with 15% changing needs {st.cases_needed(0.10, 0.15)}."
    ) in page
