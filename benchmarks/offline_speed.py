"""Speed and memory of the offline scorer.

usage: python benchmarks/offline_speed.py [CALIBRATION_DIR]

Prints the import time of the scorer module, the model load time, the median time per answer
after the load, the total for 1,000 answers and the peak memory of the process. Answers come
from the calibration set when it is there, otherwise from a built-in sample question.
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

DEFAULT_DIR = REPO.parent / "shared" / "calibration"
TIMED_SINGLE = 200  # answers timed one at a time for the median
BATCH = 1_000
TARGET_MS_PER_ANSWER = 20
TARGET_BATCH_SECONDS = 10


def main(argv: list[str]) -> int:
    started = time.perf_counter()
    from interview_cli.scoring.base import Exchange
    from interview_cli.scoring.offline.scorer import OfflineScorer

    import_ms = (time.perf_counter() - started) * 1000
    exchanges = sample_exchanges(Path(argv[0]) if argv else DEFAULT_DIR, Exchange)

    scorer = OfflineScorer()
    started = time.perf_counter()
    scorer.embedder()
    load_s = time.perf_counter() - started
    scorer.score(exchanges[: len({e.question.id for e in exchanges})])  # warm the rubric cache

    per_answer = []
    for exchange in (exchanges * (TIMED_SINGLE // len(exchanges) + 1))[:TIMED_SINGLE]:
        started = time.perf_counter()
        scorer.score([exchange])
        per_answer.append((time.perf_counter() - started) * 1000)
    batch = (exchanges * (BATCH // len(exchanges) + 1))[:BATCH]
    started = time.perf_counter()
    scorer.score(batch)
    batch_s = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB

    median = statistics.median(per_answer)
    print(f"answers: {len(exchanges)} distinct, {len({e.question.id for e in exchanges})} questions")
    print(f"import interview_cli.scoring.offline.scorer: {import_ms:.0f} ms (model and numpy not loaded yet)")
    print(f"model load:                    {load_s * 1000:.0f} ms")
    p95 = percentile(per_answer, 95)
    print(f"per answer after load, median: {median:.1f} ms (p95 {p95:.1f} ms; target <= {TARGET_MS_PER_ANSWER} ms)")
    print(f"{BATCH} answers:                  {batch_s:.2f} s (target <= {TARGET_BATCH_SECONDS} s)")
    print(f"peak memory (ru_maxrss):       {peak_mb:.0f} MiB")
    return 0


def sample_exchanges(folder: Path, exchange_class) -> list:
    if (folder / "grades.yaml").is_file():
        from calibration import load_calibration

        calibration = load_calibration(folder)
        return [
            exchange_class(calibration.questions[q], text)
            for by_question in calibration.answers.values()
            for q, text in by_question.items()
        ]
    return builtin_exchanges(exchange_class)


def builtin_exchanges(exchange_class) -> list:
    from interview_cli.banks.model import Question

    question = Question(
        id="rate-limiter",
        prompt="Design a rate limiter for a public HTTP API serving 20K requests per second.",
        rubric=[
            {"point": "Token bucket or sliding window counters, with the trade-off between them", "weight": 2},
            "Shared state in Redis with atomic increments or Lua scripts",
            "Returns 429 with a Retry-After header",
            "Fails open when the limiter store is down, and explains why",
        ],
    )
    answers = [
        "Use a token bucket per API key stored in Redis, refilled lazily on each request, because it allows short "
        "bursts; a sliding window log is more exact but costs memory per request. Updates run in a Lua script so "
        "they are atomic. Rejected calls get a 429 with a Retry-After header. If Redis is down we fail open, since "
        "blocking every customer is worse than a few seconds without limits.",
        "I would count requests per user in a database and reject them when there are too many.",
        "Token bucket, Redis, Lua, 429, Retry-After, fail open",
    ]
    return [exchange_class(question, text) for text in answers]


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * pct / 100))]


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
