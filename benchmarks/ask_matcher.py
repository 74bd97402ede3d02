"""Accuracy of the offline /ask matcher (rounds/ask.py) on tests/rounds/data/ask_questions.yaml.

usage: python benchmarks/ask_matcher.py

For each set (netflix: written with the matcher; general: written after it was frozen) prints
how many answerable questions get the right fact and how many unanswerable ones get the
fallback reply, at the shipped threshold, both with the facts as the banks list them and with
every fact cut down to its first topic (as a bank that lists one way to ask would have). For
the netflix set it also prints the held-out accuracy of a threshold fitted on one half and
scored on the other (2-fold, 200 random splits), the figure that does not flatter the matcher.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

TEST_SET = REPO / "tests" / "rounds" / "data" / "ask_questions.yaml"
BANKS = {"netflix": REPO / "question_banks" / "netflix" / "backend.yaml",
         "general": REPO / "question_banks" / "general" / "backend.yaml"}
SPLITS = 200


def main() -> int:
    import yaml

    from interview_cli.banks.loader import load_bank
    from interview_cli.banks.model import Fact
    from interview_cli.rounds import ask
    from interview_cli.scoring.offline.model import load_embedder

    embed = load_embedder().embed
    sets = yaml.safe_load(TEST_SET.read_text(encoding="utf-8"))
    print(f"threshold {ask.MATCH_THRESHOLD}")
    for name, items in sets.items():
        questions = {q.id: q for _, q in load_bank(BANKS[name]).questions()}
        for topic_only in (False, True):
            rows = []
            for item in items["answerable"] + items["unanswerable"]:
                question = questions[item["question"]]
                facts = question.facts
                if topic_only:
                    facts = [Fact(topic=f.topic[:1], answer=f.answer) for f in facts]
                scores = ask.FactMatcher(facts, embed, question.prompt).scores(item["ask"])
                best = max(range(len(scores)), key=scores.__getitem__)
                rows.append((item["fact"], best, scores[best]))
            label = f"{name:8} {'first topic only' if topic_only else 'facts as listed':16}"
            print(f"{label}  {_figures(rows, ask.MATCH_THRESHOLD)}")
            if name == "netflix":
                mean, worst = _held_out(rows)
                print(f"{'':26}held-out (threshold fitted on the other half): mean {mean:.1%}, worst split {worst:.1%}")
    return 0


def _right(row, threshold: float) -> bool:
    expected, best, score = row
    return score < threshold if expected is None else (score >= threshold and best == expected)


def _figures(rows, threshold: float) -> str:
    answerable = [r for r in rows if r[0] is not None]
    unanswerable = [r for r in rows if r[0] is None]
    right = sum(_right(r, threshold) for r in answerable)
    fallback = sum(_right(r, threshold) for r in unanswerable)
    return (f"right fact {right}/{len(answerable)} ({right / len(answerable):.0%}), "
            f"fallback {fallback}/{len(unanswerable)}, overall {(right + fallback) / len(rows):.1%}")


def _accuracy(rows, threshold: float) -> float:
    return sum(_right(r, threshold) for r in rows) / len(rows)


def _fit(rows) -> float:
    scores = sorted({r[2] for r in rows} | {0.0, 1.0})
    candidates = [(a + b) / 2 for a, b in zip(scores, scores[1:], strict=False)]
    return max(candidates, key=lambda t: _accuracy(rows, t))


def _held_out(rows) -> tuple[float, float]:
    rng = random.Random(1)
    answerable = [r for r in rows if r[0] is not None]
    unanswerable = [r for r in rows if r[0] is None]
    results = []
    for _ in range(SPLITS):
        rng.shuffle(answerable)
        rng.shuffle(unanswerable)
        half_a = answerable[: len(answerable) // 2] + unanswerable[: len(unanswerable) // 2]
        half_b = answerable[len(answerable) // 2:] + unanswerable[len(unanswerable) // 2:]
        for fit_on, test_on in ((half_a, half_b), (half_b, half_a)):
            results.append(_accuracy(test_on, _fit(fit_on)))
    return sum(results) / len(results), min(results)


if __name__ == "__main__":
    sys.exit(main())
