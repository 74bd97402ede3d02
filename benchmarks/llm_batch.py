"""Batch LLM scoring: concurrent vs sequential against a loopback OpenAI-compatible server.

32 answers, 0.5 s server latency per request (tests/fake_llm_server.py, a ThreadingHTTPServer),
scored through litellm's OpenAI provider with concurrency 8 and then concurrency 1.
The goal is a speed-up of at least 6x.

Run: .venv/bin/python benchmarks/llm_batch.py [--answers 32] [--latency 0.5] [--concurrency 8] [--check]
(--check exits 1 when the speed-up is under 6x.)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from fake_llm_server import FakeLLMServer  # noqa: E402

from interview_cli.banks.model import Question  # noqa: E402
from interview_cli.scoring.base import Exchange  # noqa: E402
from interview_cli.scoring.llm import LLMScorer  # noqa: E402

GOAL = 6.0


def exchanges(n: int) -> list[Exchange]:
    out = []
    for i in range(n):
        question = Question.model_validate(
            {
                "id": f"q-{i}",
                "prompt": f"Question {i}: design a rate limiter for a public API.",
                "rubric": [{"point": "token bucket or sliding window", "weight": 2}, "shared state in redis", "429"],
            }
        )
        out.append(Exchange(question, f"Answer {i}: a token bucket per key in redis; 429 with Retry-After."))
    return out


def timed(base_url: str, batch: list[Exchange], concurrency: int) -> float:
    scorer = LLMScorer("openai/bench-model", base_url, concurrency=concurrency)
    start = time.perf_counter()
    results = scorer.score(batch)
    elapsed = time.perf_counter() - start
    assert len(results) == len(batch) and all(r.score > 0 for r in results)
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=32)
    parser.add_argument("--latency", type=float, default=0.5)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--check", action="store_true", help=f"exit 1 when the speed-up is under {GOAL:g}x")
    args = parser.parse_args()
    os.environ.setdefault("OPENAI_API_KEY", "sk-bench-not-a-real-key")

    batch = exchanges(args.answers)
    with FakeLLMServer(mode="ok", latency=args.latency) as server:
        timed(server.base_url, batch[:1], 1)  # warm-up: litellm's import and first client
        server.requests.clear()
        concurrent = timed(server.base_url, batch, args.concurrency)
        peak = server.max_in_flight
        sequential = timed(server.base_url, batch, 1)
        assert len(server.requests) == 2 * args.answers

    speedup = sequential / concurrent
    ideal = args.answers * args.latency
    print(f"{args.answers} answers, {args.latency:g} s latency per request, loopback OpenAI-compatible server")
    print(f"sequential (concurrency 1): {sequential:6.2f} s   (floor {ideal:.2f} s)")
    print(
        f"concurrent (concurrency {args.concurrency}): {concurrent:6.2f} s   "
        f"(floor {ideal / args.concurrency:.2f} s; peak {peak} requests in flight)"
    )
    print(f"speed-up: {speedup:.1f}x (goal >= {GOAL:g}x)")
    return 1 if args.check and speedup < GOAL else 0


if __name__ == "__main__":
    sys.exit(main())
