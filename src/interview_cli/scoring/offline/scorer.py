"""The offline scorer: judges answers against rubrics with a small embedding model, no network.

How an answer is scored (details in docs/offline-scorer.md):

1. Clean: drop text addressed to the grader, sentences that only restate the question, repeats.
2. Coverage: each rubric point is matched against every sentence, clause and pair of adjacent
   sentences by embedding similarity; its best match gives it a credit between 0 and 1. Coverage
   is the weight-averaged credit, so saying something twice or at length adds nothing.
3. Depth (story questions only): how many distinct, relevant sentences carry substance (an
   action taken, a reason, a number, a lesson) rather than hedges and platitudes.
4. Style: bare lists of terms and vague writing scale the result down.
5. Topicality: an answer that neither uses the question's key terms nor reads like its topic
   is scaled down hard, however fluent.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from interview_cli.banks.snapshot import Question
from interview_cli.scoring.base import (
    AnswerScore,
    Exchange,
    PointResult,
    clamp_score,
    rubric_fingerprint,
)
from interview_cli.scoring.offline.feedback import write_feedback
from interview_cli.scoring.offline.text import (
    CleanAnswer,
    Sentence,
    clauses,
    clean_answer,
    is_story_question,
    key_terms,
)

if TYPE_CHECKING:
    import numpy as np

    from interview_cli.scoring.offline.model import Embedder

ALGORITHM_VERSION = "1"
RUBRIC_VERSION_PREFIX = f"offline-{ALGORITHM_VERSION}"

# Point credit: the similarity of a point's best match, ramped linearly from COVER_LO to COVER_HI.
COVER_LO = 0.3
COVER_HI = 0.62
COVERED_CREDIT = 0.5  # a point counts as covered from this credit up
FACET_PENALTY = 0.02  # matching one part of a multi-part point is worth a little less than the whole
MIN_FACET_WORDS = 2

# Story questions ("tell me about a time...") have rubrics about the qualities of a story, which
# similarity to the candidate's concrete story measures poorly: their points match at lower
# similarity, and the depth of the story carries part of the score.
STORY_COVER_SHIFT = 0.15  # lowers COVER_LO and COVER_HI
STORY_DEPTH_WEIGHT = 0.5  # share of depth in a story's content score; the rest is coverage

# Depth: relevant, substantive sentences, saturating at DEPTH_SENTENCES.
RELEVANT_LO = 0.0
RELEVANT_HI = 0.35
MARKER_CREDIT = 0.8  # substance per marker (reason, trade-off, action, lesson, specific detail)
VAGUE_PENALTY = 0.2  # substance lost per hedge or platitude
DEPTH_SENTENCES = 11.0

# Style multipliers.
LIST_FLOOR = 0.3  # multiplier for an answer that is entirely a bare list of terms
SPECIFIC_FLOOR = 0.6  # multiplier for an answer with no substance markers at all
SPECIFIC_FULL = 1.2  # net markers per sentence that earn the full multiplier
VAGUE_WEIGHT = 0.1  # how much one hedge offsets one marker in that rate

# Topicality multiplier: full when the answer uses a key term of the prompt or reads like the
# question's topic; TOPIC_FLOOR when it does neither.
TOPIC_FLOOR = 0.25
TOPIC_LO = 0.65  # similarity of the whole answer to the question's topic vector
TOPIC_HI = 0.75

_MAX_SCORE = 10.0


@dataclass(frozen=True)
class Measures:
    """Everything the model measured about one answer; combining them is cheap."""

    sentences: tuple[Sentence, ...]
    point_similarity: tuple[float, ...]  # best match per rubric point
    point_evidence: tuple[int | None, ...]  # index of the sentence that matched best
    sentence_relevance: tuple[float, ...]  # best similarity of each sentence to any point
    topic_similarity: float
    engaged_terms: int
    grader_directed: int


@dataclass(frozen=True)
class Judgement:
    points: tuple[PointResult, ...]
    credits: tuple[float, ...]
    score: float
    coverage: float
    depth: float
    list_factor: float
    specific_factor: float
    topic_factor: float
    grader_directed: int
    answered: bool  # False when nothing was left to score


@dataclass(frozen=True)
class _Rubric:
    points: np.ndarray  # (points, dim)
    facets: tuple[np.ndarray | None, ...]  # per point: (facets, dim)
    topic: np.ndarray  # (dim,)
    prompt_terms: frozenset[str]


class OfflineScorer:
    """Scores with the embedded model; the model loads on the first call, once per process."""

    name = "offline"

    def __init__(self, embedder: Embedder | None = None):
        self._embedder = embedder
        self._rubrics: dict[tuple[str, str], _Rubric] = {}
        self._lock = threading.Lock()

    def score(self, exchanges: Sequence[Exchange]) -> list[AnswerScore]:
        return [self._score_one(e) for e in exchanges]

    def coverage(self, question: Question, answer_text: str) -> list[PointResult]:
        """Which rubric points the answer covers, judged as `score` judges them."""
        return list(self.judge(question, answer_text).points)

    def judge(self, question: Question, answer_text: str) -> Judgement:
        return combine(question, self.measure(question, answer_text))

    def measure(self, question: Question, answer_text: str) -> Measures:
        cleaned = clean_answer(answer_text, question.prompt)
        if not cleaned.sentences:
            return _empty_measures(question, cleaned)
        return self._measure(self._rubric(question), cleaned)

    def embedder(self) -> Embedder:
        if self._embedder is None:
            from interview_cli.scoring.offline.model import load_embedder

            self._embedder = load_embedder()
        return self._embedder

    # ---- internals -----------------------------------------------------------------

    def _score_one(self, exchange: Exchange) -> AnswerScore:
        question = exchange.question
        judgement = self.judge(question, exchange.full_answer)
        return AnswerScore(
            question_id=question.id,
            score=judgement.score,
            points=judgement.points,
            feedback=write_feedback(question, judgement),
            scorer=self.name,
            rubric_version=f"{RUBRIC_VERSION_PREFIX}+{rubric_fingerprint(question)}",
        )

    def _rubric(self, question: Question) -> _Rubric:
        key = (question.id, rubric_fingerprint(question))
        with self._lock:
            cached = self._rubrics.get(key)
        if cached is None:
            cached = self._embed_rubric(question)
            with self._lock:
                self._rubrics[key] = cached
        return cached

    def _embed_rubric(self, question: Question) -> _Rubric:
        import numpy as np

        embed = self.embedder().embed
        texts = [p.point for p in question.rubric]
        points = embed(texts)
        facets = tuple(_facet_vectors(embed, text) for text in texts)
        topic = np.vstack([embed([question.prompt]), points]).mean(axis=0)
        topic /= max(float(np.linalg.norm(topic)), 1e-9)
        return _Rubric(points, facets, topic, frozenset(key_terms(question.prompt)))

    def _measure(self, rubric: _Rubric, cleaned: CleanAnswer) -> Measures:
        import numpy as np

        from interview_cli.scoring.offline.model import unit_rows

        sentences = cleaned.sentences
        unit_sums, owners = _unit_sums(self.embedder(), sentences)
        unit_vectors = unit_rows(unit_sums)
        sims = rubric.points @ unit_vectors.T  # (points, units)
        for k, facet_vectors in enumerate(rubric.facets):
            if facet_vectors is not None:
                sims[k] = np.maximum(sims[k], (facet_vectors @ unit_vectors.T).max(axis=0) - FACET_PENALTY)
        per_sentence = _per_sentence(sims, owners, len(sentences))
        best_unit = sims.argmax(axis=1)
        evidence = tuple(_evidence_sentence(owners[u], per_sentence[k]) for k, u in enumerate(best_unit))
        whole = unit_rows(unit_sums[: len(sentences)].sum(axis=0))
        answer_terms = key_terms(" ".join(s.text for s in sentences))
        return Measures(
            sentences=sentences,
            point_similarity=tuple(float(v) for v in sims.max(axis=1)),
            point_evidence=evidence,
            sentence_relevance=tuple(float(v) for v in per_sentence.max(axis=0)),
            topic_similarity=float(whole @ rubric.topic),
            engaged_terms=len(answer_terms & rubric.prompt_terms),
            grader_directed=cleaned.grader_directed,
        )


def combine(question: Question, m: Measures) -> Judgement:
    """Turn measurements into credits, covered flags and a 0-10 score."""
    weights = [p.weight for p in question.rubric]
    story = is_story_question(question.prompt)
    shift = STORY_COVER_SHIFT if story else 0.0
    credits = tuple(_ramp(s, COVER_LO - shift, COVER_HI - shift) for s in m.point_similarity)
    coverage = sum(w * c for w, c in zip(weights, credits, strict=True)) / sum(weights)
    depth = _depth(m)
    # Design and coding answers are judged on coverage alone: their rubrics are concrete enough.
    depth_weight = STORY_DEPTH_WEIGHT if story else 0.0
    content = (1 - depth_weight) * coverage + depth_weight * depth
    list_factor = _list_factor(m.sentences)
    specific_factor = _specific_factor(m.sentences)
    topic_factor = _topic_factor(m)
    raw = _MAX_SCORE * content * list_factor * specific_factor * topic_factor
    points = tuple(
        PointResult(
            point=p.point,
            weight=p.weight,
            covered=credit >= COVERED_CREDIT,
            evidence=m.sentences[i].text if credit >= COVERED_CREDIT and i is not None else None,
        )
        for p, credit, i in zip(question.rubric, credits, m.point_evidence, strict=True)
    )
    return Judgement(
        points=points,
        credits=credits,
        score=clamp_score(raw) if m.sentences else 0.0,
        coverage=coverage,
        depth=depth,
        list_factor=list_factor,
        specific_factor=specific_factor,
        topic_factor=topic_factor,
        grader_directed=m.grader_directed,
        answered=bool(m.sentences),
    )


def pick_follow_up(question: Question, points: Sequence[PointResult]) -> str | None:
    """The bank follow-up that best probes the highest-weight missed point.

    Falls back to the first follow-up when nothing was missed; None when there are none.
    """
    from interview_cli.scoring.offline.model import load_embedder

    if not question.follow_ups:
        return None
    missed = [p for p in points if not p.covered]
    if not missed:
        return question.follow_ups[0]
    target = max(missed, key=lambda p: p.weight)  # max keeps the earliest of equal weights
    embed = load_embedder().embed
    sims = embed(list(question.follow_ups)) @ embed([target.point])[0]
    return question.follow_ups[int(sims.argmax())]


# ---- helpers -------------------------------------------------------------------------


def _empty_measures(question: Question, cleaned: CleanAnswer) -> Measures:
    n = len(question.rubric)
    return Measures((), (0.0,) * n, (None,) * n, (), 0.0, 0, cleaned.grader_directed)


def _facets(point: str) -> list[str]:
    """The parts of a multi-part rubric point: its head and each listed item."""
    head = re.split(r"[(:]", point)[0].strip()
    parts = [head] if head != point else []
    for piece in re.split(r"[,;:()]|\band\b|\bwith\b|\bplus\b|\bversus\b|\bvs\b", point):
        piece = piece.strip(" .")
        if len(piece.split()) >= MIN_FACET_WORDS and piece not in parts and piece != point:
            parts.append(piece)
    return parts


def _facet_vectors(embed, point: str):
    facets = _facets(point)
    return embed(facets) if facets else None


def _unit_sums(embedder: Embedder, sentences: Sequence[Sentence]):
    """Token sums of the texts to match: sentences first, then their clauses, then adjacent pairs.

    Returns the (units, dim) sums and, per unit, the sentences it is made of.
    """
    import numpy as np

    clause_texts: list[str] = []
    owners: list[tuple[int, ...]] = [(i,) for i in range(len(sentences))]
    for i, sentence in enumerate(sentences):
        for clause in clauses(sentence.text):
            clause_texts.append(clause)
            owners.append((i,))
    sums = embedder.token_sums([s.text for s in sentences] + clause_texts)
    pairs = [(i, i + 1) for i in range(len(sentences) - 1) if sentences[i].paragraph == sentences[i + 1].paragraph]
    if pairs:
        first, second = zip(*pairs, strict=True)
        sums = np.vstack([sums, sums[list(first)] + sums[list(second)]])
        owners.extend(pairs)
    return sums, owners


def _per_sentence(sims, owners, n_sentences: int):
    """(points, sentences): the best similarity of any unit each sentence is part of."""
    import numpy as np

    out = np.full((sims.shape[0], n_sentences), -1.0, dtype=np.float32)
    for u, owner in enumerate(owners):
        for i in owner:
            out[:, i] = np.maximum(out[:, i], sims[:, u])
    return out


def _evidence_sentence(owner: tuple[int, ...], point_sims) -> int:
    """For a unit spanning two sentences, the one that matches the point better on its own."""
    return max(owner, key=lambda i: float(point_sims[i]))


def _depth(m: Measures) -> float:
    total = 0.0
    for sentence, relevance in zip(m.sentences, m.sentence_relevance, strict=True):
        if not sentence.prose:
            continue
        substance = min(1.0, max(0.0, MARKER_CREDIT * sentence.markers - VAGUE_PENALTY * sentence.vague))
        total += _ramp(relevance, RELEVANT_LO, RELEVANT_HI) * substance
    return min(1.0, total / DEPTH_SENTENCES)


def _list_factor(sentences: Sequence[Sentence]) -> float:
    total = sum(s.words for s in sentences)
    if not total:
        return 1.0
    prose_share = sum(s.words for s in sentences if s.prose) / total
    return LIST_FLOOR + (1 - LIST_FLOOR) * prose_share


def _specific_factor(sentences: Sequence[Sentence]) -> float:
    if not sentences:
        return 1.0
    net = sum(s.markers - VAGUE_WEIGHT * s.vague for s in sentences) / len(sentences)
    return SPECIFIC_FLOOR + (1 - SPECIFIC_FLOOR) * _ramp(net, 0.0, SPECIFIC_FULL)


def _topic_factor(m: Measures) -> float:
    engaged = 1.0 if m.engaged_terms else 0.0
    on_topic = max(engaged, _ramp(m.topic_similarity, TOPIC_LO, TOPIC_HI))
    return TOPIC_FLOOR + (1 - TOPIC_FLOOR) * on_topic


def _ramp(value: float, lo: float, hi: float) -> float:
    return min(1.0, max(0.0, (value - lo) / (hi - lo)))
