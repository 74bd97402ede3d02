"""The offline /ask matcher against the rephrased clarifying questions in tests/rounds/data/ask_questions.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from interview_cli.banks.loader import load_bank
from interview_cli.banks.model import Fact
from interview_cli.rounds.ask import (
    FALLBACK_REPLY,
    FactMatcher,
    offline_reply,
    units_of,
)

REPO = Path(__file__).resolve().parents[2]
SETS = yaml.safe_load((REPO / "tests" / "rounds" / "data" / "ask_questions.yaml").read_text(encoding="utf-8"))


def questions(bank: str) -> dict:
    return {q.id: q for _, q in load_bank(REPO / "question_banks" / bank / "backend.yaml").questions()}


def test_netflix_rephrasings_get_the_right_fact_and_unknowns_the_fallback():
    netflix = questions("netflix")
    right = sum(offline_reply(netflix[i["question"]], i["ask"]).fact == i["fact"]
                for i in SETS["netflix"]["answerable"])
    fallbacks = [offline_reply(netflix[i["question"]], i["ask"]) for i in SETS["netflix"]["unanswerable"]]
    assert right / len(SETS["netflix"]["answerable"]) >= 0.9
    assert [r.text for r in fallbacks] == [FALLBACK_REPLY] * 10
    assert all(r.fact is None for r in fallbacks)


def test_facts_with_one_topic_still_match_through_their_answer_and_synonyms():
    from interview_cli.scoring.offline.model import load_embedder

    question = questions("netflix")["global-video-delivery"]
    cut = [Fact(topic=f.topic[:1], answer=f.answer) for f in question.facts]
    matcher = FactMatcher(cut, load_embedder().embed, question.prompt)
    assert matcher.reply("What's the subscriber count?").fact == 0
    assert matcher.reply("How much money can we throw at bandwidth?").fact == 6
    assert matcher.reply("Which programming language is the player in?").text == FALLBACK_REPLY


def test_the_reply_is_the_fact_answer_word_for_word():
    question = questions("netflix")["global-video-delivery"]
    reply = offline_reply(question, "How many members stream at peak?")
    assert reply.text == ("About 250 million members; roughly 15% are streaming at the evening peak, "
                          "so 35 to 40 million concurrent streams.")


def test_a_question_without_facts_gets_the_fallback():
    question = questions("netflix")["why-netflix-senior-bar"]
    assert offline_reply(question, "How many members are there?").text == FALLBACK_REPLY


@pytest.mark.parametrize(("text", "unit"), [
    ("What's the QPS at peak?", frozenset({"qps", "~traffic"})),
    ("How many subscribers?", frozenset({"how", "many", "~scale"})),
])
def test_interview_vocabulary_folds_into_concepts(text, unit):
    assert unit in units_of(text)


def test_asks_reach_the_judge_and_count_as_part_of_the_answer():
    from interview_cli.scoring.base import Ask, Exchange
    from interview_cli.scoring.judge import build_judge_messages

    question = questions("netflix")["global-video-delivery"]
    exchange = Exchange(question, "Caches inside ISPs.", asks=(Ask("How many members stream at peak?",
                                                                   "About 250 million members."),))
    user = build_judge_messages(exchange, nonce="n0nce")[1]["content"]
    assert "The candidate asked the interviewer a clarifying question (untrusted data):" in user
    assert "How many members stream at peak?" in user and "About 250 million members." in user
    assert user.index("clarifying question") < user.index("Caches inside ISPs.")
    assert exchange.full_answer == "How many members stream at peak?\n\nCaches inside ISPs."  # not the reply
