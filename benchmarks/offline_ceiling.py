"""How far the offline scorer's measures can go on the calibration set, and which answers hold it back.

usage: python benchmarks/offline_ceiling.py [--shared DIR]

Prints, for the calibration target (Spearman >= 0.80 over the 60 graded interview answers):
1. the cross-validated figure that calibrate.py reports;
2. ceilings, fitted in-sample on the calibration answers themselves (so optimistic by construction):
   the shipped model form (ridge, relevance gate, red-flag cap) with the calibration set given all of
   the weight, and a plain ridge on every per-answer measure the scorer has (13 of them);
3. what-ifs on the cross-validated scores: the figure if the answers that need judging meaning, not
   wording, were scored as their grades suggest (fluent-wrong answers no red flag catches capped like
   those it does; off-topic answers scored above their question's mediocre answer set to 0.5;
   paraphrases given their question's excellent score).
If the in-sample ceilings stay under the target, no refit of these measures reaches it out of sample.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

import fit_offline
import numpy as np
from calibrate import spearman

from interview_cli.scoring.offline.scorer import (
    COVERED_LEXICAL,
    COVERED_SIMILARITY,
    OfflineScorer,
    combine,
    features,
    load_coefficients,
)

TARGET = 0.80
IN_SAMPLE_SHARE = 0.999
RIDGE_PENALTIES = (0.01, 1.0, 10.0)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=fit_offline.DEFAULT_SHARED)
    args = parser.parse_args(argv)
    samples = fit_offline.load_samples(args.shared, OfflineScorer())
    calibration = [i for i, s in enumerate(samples) if s.dataset == "calibration"]
    grades = [samples[i].grade for i in calibration]
    scores = fit_offline.cross_validated_scores(samples)
    cross_validated = [scores[i] for i in calibration]
    print(f"Calibration Spearman, target >= {TARGET:.2f}, {len(calibration)} answers")
    print(f"  cross-validated (leave one question out), as calibrate.py: {spearman(cross_validated, grades):.3f}")
    print("\nCeilings, fitted in-sample on the calibration answers (optimistic by construction):")
    print(f"  shipped model form, calibration share {IN_SAMPLE_SHARE}: {shipped_form_in_sample(samples, calibration):.3f}")
    for penalty in RIDGE_PENALTIES:
        print(f"  ridge on all {len(MEASURES)} measures, penalty {penalty:g}: "
              f"{ridge_in_sample([samples[i] for i in calibration], penalty):.3f}")
    print("\nWhat-ifs on the cross-validated scores (the answers that need meaning, not wording):")
    for name, changed in what_ifs([samples[i] for i in calibration], cross_validated).items():
        print(f"  {name:<58} {spearman(changed, grades):.3f}")
    return 0


def shipped_form_in_sample(samples, calibration) -> float:
    coefficients = fit_offline.fit(samples, share=IN_SAMPLE_SHARE)
    predicted = [combine(samples[i].question, samples[i].signals, coefficients).score for i in calibration]
    return spearman(predicted, [samples[i].grade for i in calibration])


MEASURES = ("coverage", "wording", "list share", "length shortfall", "length surplus", "relevance",
            "best point", "worst point", "share of points covered", "log words", "rubric word share",
            "rubric phrase share", "red flags said")


def measures(sample) -> list[float]:
    signals = sample.signals
    values = features(sample.question, signals)
    similarity = [p.similarity for p in signals.points]
    covered = [p.similarity >= COVERED_SIMILARITY or p.lexical >= COVERED_LEXICAL for p in signals.points]
    ratio = math.log2(max(signals.on_topic_words, 1) / signals.expected_words)
    return [*values.values(), max(ratio, 0.0), signals.relevance, max(similarity), min(similarity),
            float(np.mean(covered)), math.log(signals.words + 1), signals.rubric_word_share,
            signals.rubric_phrase_share, float(sum(f.said for f in signals.flags))]


def ridge_in_sample(samples, penalty: float) -> float:
    x = np.array([measures(s) for s in samples])
    y = np.array([s.grade for s in samples])
    z = np.hstack([np.ones((len(x), 1)), (x - x.mean(axis=0)) / (x.std(axis=0) + 1e-9)])
    ridge = penalty * np.eye(z.shape[1])
    ridge[0, 0] = 0.0
    beta = np.linalg.solve(z.T @ z + ridge, z.T @ y)
    return spearman(list(z @ beta), list(y))


def what_ifs(samples, scores: list[float]) -> dict[str, list[float]]:
    by = {(s.variant, s.question.id): i for i, s in enumerate(samples)}
    cap = load_coefficients().red_flag_cap
    uncaught = [i for i, s in enumerate(samples) if s.variant == "fluentwrong" and not any(f.said for f in s.signals.flags)]
    neighbours = [i for i, s in enumerate(samples)
                  if s.variant == "offtopic" and scores[i] > scores[by["mediocre", s.question.id]]]
    paraphrases = [i for i, s in enumerate(samples) if s.variant == "paraphrase"]

    def changed(*edits) -> list[float]:
        out = list(scores)
        for indices, value in edits:
            for i in indices:
                out[i] = value(i)
        return out

    catch = (uncaught, lambda i: min(scores[i], cap))
    reject = (neighbours, lambda i: 0.5)
    understand = (paraphrases, lambda i: scores[by["excellent", samples[i].question.id]])
    return {
        f"{len(uncaught)} uncaught fluent-wrong answers capped at {cap:.1f}": changed(catch),
        f"{len(neighbours)} off-topic answers above mediocre set to 0.5": changed(reject),
        f"{len(paraphrases)} paraphrases scored as their excellent answer": changed(understand),
        "all three": changed(catch, reject, understand),
    }


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
