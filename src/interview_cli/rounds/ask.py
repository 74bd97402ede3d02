"""The interviewer answers a clarifying question (`/ask`) from the question's facts, offline.

A fact is chosen by two signals, each between 0 and 1:
- meaning, from the offline scorer's embedding model: the question against each way of
  asking the fact (its topics) and its answer, as whole sentences and word by word, so
  "subscribers" finds "members" and "uptime" finds "availability";
- shared units: the words the question shares with the fact's topic and answer, and the
  interview concepts it shares (a small synonym table: users, members and subscribers are
  all "audience"; QPS, traffic and requests are "traffic"; p99 and fast are "latency" ...).
Words are weighted by how rare they are among the question's facts, and words of the design
prompt itself count for half, since they describe the problem rather than any one fact.
Below the threshold the interviewer has no fact to give and replies as an interviewer would.

The weights and threshold were chosen on a test set of rephrased questions with the threshold
fitted on held-out halves; benchmarks/ask_matcher.py prints the figures.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from interview_cli.banks.snapshot import Fact, Question

FALLBACK_REPLY = "Good question; make an assumption and state it."
MATCH_THRESHOLD = 0.145

MEANING_WEIGHT = 0.35
LEXICAL_WEIGHT = 0.65
CONTEXT_DISCOUNT = 0.5
SENTENCE_SHARE = 0.5
CONCEPT_MATCH = 0.8
UNKNOWN_WORD_IDF = max
ANSWER_TEXT_WEIGHT = 0.6  # concepts and words found only in the answer count for less than the topic's

# Interview vocabulary: each concept and the words or phrases that name it (matched on stems).
CONCEPTS: dict[str, tuple[str, ...]] = {
    "audience": ("user", "member", "subscriber", "customer", "account", "people", "viewer", "dau",
                 "mau", "audience", "signup", "profile", "follower", "host", "device", "client"),
    "traffic": ("qps", "rps", "tps", "request", "traffic", "throughput", "load", "volume",
                "rate", "per second", "per day", "a day", "a month", "ingest", "event", "write",
                "read", "heartbeat"),
    "peak": ("peak", "busiest", "busy", "spike", "spiky", "burst", "surge", "prime time", "evening",
             "ramp", "pattern", "shape", "diurnal", "launch", "trough", "flash"),
    "concurrency": ("concurrent", "concurrently", "simultaneous", "simultaneously", "at once",
                    "same time", "online", "active", "connected"),
    "scale": ("scale", "how many", "how much", "size", "big", "large", "number", "count",
              "million", "billion", "thousand"),
    "latency": ("latency", "p99", "p95", "p50", "p999", "fast", "quick", "quickly", "slow",
                "respond", "response time", "millisecond", "ms", "tail", "snappy", "speed",
                "within", "delay"),
    "consistency": ("consistency", "consistent", "stale", "staleness", "fresh", "freshness",
                    "up to date", "out of date", "outdated", "eventual", "eventually", "strong",
                    "lag", "real time", "realtime", "reflect", "propagate", "order", "ordering",
                    "exact", "exactly", "accurate", "precise", "precisely", "approximate"),
    "regions": ("region", "global", "globally", "geo", "geography", "geographic", "worldwide",
                "country", "international", "multi region", "datacenter", "data center",
                "location", "where", "zone", "us", "europe", "isp", "nearest", "travel"),
    "retention": ("retention", "retain", "keep", "kept", "how long", "archive",
                  "expire", "expiry", "ttl", "forever", "delete", "deletion", "gdpr", "privacy",
                  "far back", "purge", "lifetime"),
    "budget": ("budget", "cost", "money", "spend", "price", "expensive", "cheap", "dollar",
               "finance", "transit", "afford", "$"),
    "availability": ("availability", "available", "uptime", "slo", "sla", "nine", "downtime",
                     "outage", "success rate", "error", "reliable", "reliability"),
    "failure": ("fail", "failure", "down", "unavailable", "die", "dies", "outage", "open", "closed",
                "broken", "crash"),
    "failover": ("failover", "fail over", "evacuate", "evacuation", "rto", "recover", "recovery",
                 "switch over", "take over"),
    "data_loss": ("rpo", "lose", "losing", "loss", "lost", "drop", "dropped", "durable", "durability",
                  "miss", "missing"),
    "storage": ("data", "dataset", "storage", "store", "stored", "byte", "tb", "pb", "gb", "kb",
                "working set", "catalog", "disk", "memory"),
    "quality": ("quality", "rebuffer", "bitrate", "mbps", "start up", "startup", "resolution",
                "4k", "hd"),
    "dependencies": ("dependency", "depend", "depends", "downstream", "upstream", "service",
                     "call out", "backend"),
    "timeline": ("timeline", "deadline", "month", "week", "rehearse", "rehearsal", "schedule",
                 "date"),
    "limits": ("limit", "limited", "limiting", "throttle", "throttling", "quota", "cap", "allowance"),
}

STOPWORDS = frozenset(
    "a an the is are was were be been being do does did doing have has had of to in on at by for "
    "with from as into about over under than then so if or and but not no it its this that these "
    "those there here what which who whom whose how why when where we our us you your i me my "
    "they them their he she his her can could should would will shall may might must need needs "
    "ok okay any some each every all per just also really very much many more most other such "
    "going talking get got want like plan assume between during something someone anyone anything "
    "up out off only whether either both let lets roughly approximately use using used".split()
)

WORD = re.compile(r"[a-z0-9$]+")

# "Should I use Redis?" asks the interviewer to make a design choice, not for a fact.
DESIGN_CHOICE = re.compile(
    r"\b(?:(?:should|shall|can|could|may) (?:i|we) (?:use|pick|choose|go with|draw)"
    r"|which [\w ]{1,30}? (?:should|would|do) (?:i|we|you)"
    r"|is it (?:ok|okay|fine|alright) (?:if|to)|do you want me to|would you (?:like|prefer))\b"
)
DESIGN_CHOICE_FACTOR = 0.5


@dataclass(frozen=True, slots=True)
class AskReply:
    """The interviewer's reply; `fact` is None when no fact matched and the reply is the fallback."""

    text: str
    fact: int | None
    score: float


Embed = Callable[[list[str]], "object"]  # texts -> unit-length row vectors (numpy array)


def normalised(text: str) -> str:
    text = text.lower().replace("\u2019", "'")
    return re.sub(r"'s\b", "", text).replace("'", "")


def stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def words_of(text: str) -> list[str]:
    return [stem(w) for w in WORD.findall(normalised(text))]


def _phrase_stems(phrase: str) -> tuple[str, ...]:
    return tuple(words_of(phrase))


_CONCEPT_PHRASES: list[tuple[str, tuple[str, ...]]] = sorted(
    ((concept, _phrase_stems(phrase)) for concept, phrases in CONCEPTS.items() for phrase in phrases),
    key=lambda item: -len(item[1]),
)


def terms_of(text: str) -> set[str]:
    """Interview concepts named in the text, plus its other content words."""
    stems = words_of(text)
    raw = WORD.findall(normalised(text))
    found = {stem(w) for w in raw if w not in STOPWORDS and len(w) > 1}
    for concept, phrase in _CONCEPT_PHRASES:
        n = len(phrase)
        if any(tuple(stems[i : i + n]) == phrase for i in range(len(stems) - n + 1)):
            found.add("~" + concept)
    return found


def units_of(text: str) -> list[frozenset[str]]:
    """The question's units of meaning: a word, or an interview concept with the words that name it."""
    raw = WORD.findall(normalised(text))
    stems = [stem(w) for w in raw]
    owner: list[str | None] = [None] * len(stems)
    for concept, phrase in _CONCEPT_PHRASES:
        n = len(phrase)
        for i in range(len(stems) - n + 1):
            if tuple(stems[i : i + n]) == phrase and all(o is None for o in owner[i : i + n]):
                owner[i : i + n] = ["~" + concept] * n
    units: dict[str, set[str]] = {}
    for word, s, concept in zip(raw, stems, owner, strict=True):
        if concept is not None:
            units.setdefault(concept, {concept}).add(s)
        elif word not in STOPWORDS and len(word) > 1:
            units.setdefault(s, {s})
    return [frozenset(u) for u in units.values()]


def gist(text: str) -> str:
    """The text without question scaffolding ('how many', 'do we'), which every question shares."""
    kept = [w for w in WORD.findall(normalised(text)) if w not in STOPWORDS]
    return " ".join(kept) or text


class FactMatcher:
    """Matches clarifying questions against one question's facts.

    `context` is the question the candidate was given: its words describe the problem, not
    any one fact, so they count for less when they turn up in a clarifying question.
    """

    def __init__(self, facts: Sequence[Fact], embed: Embed, context: str = "",
                 threshold: float = MATCH_THRESHOLD):
        self.facts = list(facts)
        self.threshold = threshold
        self._embed = embed
        self._topic_rows = [embed([gist(t) for t in f.topic]) for f in self.facts]
        self._answer_rows = embed([gist(f.answer) for f in self.facts]) if self.facts else None
        self._terms = [_weighted_terms(f) for f in self.facts]
        self._fact_words = [_fact_words(f) for f in self.facts]
        vocab = sorted({w for words in self._fact_words for w in words})
        self._vocab_index = {w: i for i, w in enumerate(vocab)}
        self._vocab_rows = embed(vocab) if vocab else None
        self._idf = _idf(self._terms, terms_of(context))

    def scores(self, question: str) -> list[float]:
        if not self.facts:
            return []
        q = self._embed([gist(question)])[0]
        asked = units_of(question)
        factor = DESIGN_CHOICE_FACTOR if DESIGN_CHOICE.search(question.lower()) else 1.0
        q_words = sorted(content_words(question))
        q_word_rows = self._embed(q_words) if q_words else None
        unknown_idf = max(self._idf.values(), default=1.0)
        q_word_weights = [self._idf.get(stem(w), unknown_idf) for w in q_words]
        result = []
        for i in range(len(self.facts)):
            topic_sim = float((self._topic_rows[i] @ q).max())
            answer_sim = float(self._answer_rows[i] @ q)
            sentence = max(topic_sim, 0.5 * (topic_sim + answer_sim), 0.0)
            meaning = SENTENCE_SHARE * sentence + (1 - SENTENCE_SHARE) * self._aligned(q_word_rows, q_word_weights, i)
            shared = _overlap(asked, self._terms[i], self._idf)
            result.append(factor * (MEANING_WEIGHT * meaning + LEXICAL_WEIGHT * shared))
        return result

    def _aligned(self, q_word_rows, q_word_weights: list[float], i: int) -> float:
        """How well each question word finds a word of similar meaning in the fact (idf-weighted mean)."""
        if q_word_rows is None or not self._fact_words[i]:
            return 0.0
        words = self._fact_words[i]
        rows = self._vocab_rows[[self._vocab_index[w] for w in words]]
        weights = [words[w] for w in words]
        sims = (q_word_rows @ rows.T) * weights
        best = sims.max(axis=1).clip(min=0)
        return float((best * q_word_weights).sum() / sum(q_word_weights))

    def reply(self, question: str) -> AskReply:
        scores = self.scores(question)
        if not scores:
            return AskReply(FALLBACK_REPLY, None, 0.0)
        best = max(range(len(scores)), key=scores.__getitem__)
        if scores[best] < self.threshold:
            return AskReply(FALLBACK_REPLY, None, scores[best])
        return AskReply(self.facts[best].answer, best, scores[best])


def content_words(text: str) -> set[str]:
    return {w for w in WORD.findall(normalised(text)) if w not in STOPWORDS and len(w) > 1}


def _fact_words(fact: Fact) -> dict[str, float]:
    weights = dict.fromkeys(content_words(fact.answer), ANSWER_TEXT_WEIGHT)
    for topic in fact.topic:
        weights.update(dict.fromkeys(content_words(topic), 1.0))
    return weights


def _weighted_terms(fact: Fact) -> dict[str, float]:
    weights = dict.fromkeys(terms_of(fact.answer), ANSWER_TEXT_WEIGHT)
    for topic in fact.topic:
        weights.update(dict.fromkeys(terms_of(topic), 1.0))
    return weights


def _idf(per_fact: list[dict[str, float]], context_terms: set[str]) -> dict[str, float]:
    n = len(per_fact)
    counts: dict[str, int] = {}
    for terms in per_fact:
        for term in terms:
            counts[term] = counts.get(term, 0) + 1
    idf = {term: math.log(1 + n / c) for term, c in counts.items()}
    for term in context_terms & idf.keys():
        idf[term] *= CONTEXT_DISCOUNT
    return idf


def _overlap(asked: list[frozenset[str]], fact_terms: dict[str, float], idf: dict[str, float]) -> float:
    """Share of the question's idf-weighted units the fact covers; words no fact has count fully.

    A unit is covered by the same word (fully) or by the same concept (CONCEPT_MATCH).
    """
    if not asked:
        return 0.0
    unknown_idf = UNKNOWN_WORD_IDF(idf.values()) if idf else 1.0
    mass = covered = 0.0
    for unit in asked:
        weight = max(idf.get(t, unknown_idf) for t in unit)
        mass += weight
        covered += weight * max(
            (fact_terms.get(t, 0.0) * (CONCEPT_MATCH if t.startswith("~") else 1.0) for t in unit),
            default=0.0,
        )
    return covered / mass


_matchers: dict[str, FactMatcher] = {}


def offline_reply(question: Question, asked: str) -> AskReply:
    """The interviewer's reply to `asked` from `question`'s facts, with the offline model."""
    matcher = _matchers.get(question.id)
    if matcher is None:
        from interview_cli.scoring.offline.model import load_embedder

        matcher = FactMatcher(question.facts, load_embedder().embed, question.prompt)
        _matchers[question.id] = matcher
    return matcher.reply(asked)
