"""What the offline scorer measures about one answer, before any fitted weight is applied.

Per rubric point: the best embedding match over the answer's sentences, clauses, adjacent pairs and
the whole answer, and the share of the point's content words its on-question sentences use (a near
synonym earning part of a word). Per red flag: whether
some claim of the answer says it. Per answer: how much closer it is to the question than to generic
text (background.txt), length, and the signs of gaming (a keyword list, the rubric's own words pasted
or shuffled). numpy is imported on first use only.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from interview_cli.banks.snapshot import Question
from interview_cli.errors import ScoringError
from interview_cli.scoring.offline.text import (
    CleanAnswer,
    Sentence,
    FUNCTION_WORDS,
    clauses,
    clean_answer,
    content_stems,
    stem,
    agrees_on_negation,
    claim,
    claims,
    words,
)

if TYPE_CHECKING:
    import numpy as np

    from interview_cli.scoring.offline.model import Embedder

# A red flag is said when one claim of the answer (a clause, without the option it rejects: "instead of X")
# is at least FLAG_SIMILARITY similar to the flag's own claim, beats every rubric point on that claim by
# FLAG_MARGIN, and agrees with the flag on negation ("the scheduler never runs jobs itself" does not say
# "runs jobs inside the scheduler").
# A claim with under FLAG_MIN_CONTENT of the flag's content words says too little to state it: short
# fragments ("so reads are lock-free") match long texts by accident.
FLAG_SIMILARITY = 0.65
FLAG_MARGIN = 0.05
FLAG_MIN_CONTENT = 0.5
MIN_EXPECTED_WORDS = 5
# Generic text about nothing in particular, shipped with the scorer: an answer's relevance is how much
# closer it is to its question than to this. Fixed, so a score never depends on the rest of the bank.
BACKGROUND_FILE = Path(__file__).with_name("background.txt")
# A sentence is on the question when it matches some rubric point better than the background text's best
# match for that point, less this margin; only such sentences count towards the answer's length.
ON_TOPIC_MARGIN = 0.1
# Soft wording: a point's content word the answer does not use still earns its cosine with the answer's
# closest word ("refused" earns 0.51 of "rejected") when that is at least this much;
# fitted (compared 0.3-0.7 under cross-validation, see docs/offline-scorer.md).
SOFT_WORD_SIMILARITY = 0.4


@dataclass(frozen=True)
class PointMatch:
    similarity: float  # best cosine similarity of the point with any unit of the answer
    lexical: float  # weighted share of the point's content words the answer uses (near synonyms in part)
    evidence: int | None  # the sentence of the best match


@dataclass(frozen=True)
class FlagMatch:
    flag: str
    similarity: float
    said: bool
    evidence: int | None


@dataclass(frozen=True)
class Signals:
    sentences: tuple[Sentence, ...]
    points: tuple[PointMatch, ...]
    flags: tuple[FlagMatch, ...]
    relevance: float  # cosine with the question minus cosine with generic text (BACKGROUND_FILE)
    words: int
    on_topic_words: int  # words in sentences that are about the question (ON_TOPIC_MARGIN)
    expected_words: int  # how long the bank's reference (or rubric) is
    rubric_word_share: float  # share of the answer's words that occur in the rubric
    rubric_phrase_share: float  # share of the answer's three-word phrases copied from the rubric
    grader_directed: int

    @property
    def answered(self) -> bool:
        return bool(self.sentences)

    @property
    def list_share(self) -> float:
        """Share of the answer's words that sit in keyword lists rather than sentences."""
        return sum(s.words for s in self.sentences if s.listed) / max(self.words, 1)

    def evidence(self, index: int | None) -> str | None:
        return None if index is None else self.sentences[index].text


@dataclass(frozen=True)
class _Rubric:
    points: np.ndarray  # (points, dim)
    flags: np.ndarray  # (flags, dim)
    flag_claims: tuple[str, ...]
    question: np.ndarray  # (dim,): the question's prompt, rubric, reference, hints, follow-ups and topics
    background_points: np.ndarray  # (points,): each point's best similarity with the background text
    point_terms: tuple[dict[str, float], ...]  # per point: content stem -> weight
    term_vectors: dict[str, np.ndarray]  # content stem of a point -> unit vector of the word it came from
    vocabulary: frozenset[str]
    phrases: frozenset[tuple[str, str, str]]
    expected_words: int


class Measurer:
    """Measures answers with one embedding model, caching each question's rubric vectors."""

    def __init__(self, embedder_source):
        self._embedder_source = embedder_source  # a callable returning the Embedder, loaded lazily
        self._rubrics: dict[tuple, _Rubric] = {}
        self._background: np.ndarray | None = None  # unit vectors of the background text's units
        self._lock = threading.Lock()

    def measure(self, question: Question, answer: str) -> Signals:
        cleaned = clean_answer(answer, question.prompt)
        rubric = self._rubric(question)
        if not cleaned.sentences:
            return _unanswered(question, rubric, cleaned)
        return self._measure(question, rubric, cleaned)

    def _rubric(self, question: Question) -> _Rubric:
        key = (question.id, question.prompt, tuple((p.point, p.weight) for p in question.rubric),
               tuple(question.red_flags), question.reference, tuple(question.hints), tuple(question.follow_ups),
               tuple(question.topics))
        with self._lock:
            cached = self._rubrics.get(key)
        if cached is None:
            cached = self._build_rubric(question)
            with self._lock:
                self._rubrics[key] = cached
        return cached

    def _build_rubric(self, question: Question) -> _Rubric:
        embed = self._embedder_source().embed
        points = [p.point for p in question.rubric]
        points_vectors = embed(points)
        rubric_words = [w.lower() for w in words(" ".join(points))]
        point_terms = point_term_weights(question)
        surfaces = _surface_words(points, {t for terms in point_terms for t in terms})
        expected = question.reference or " ".join(points)
        return _Rubric(
            points=points_vectors,
            flags=embed([claim(f) for f in question.red_flags]),
            flag_claims=tuple(claim(f) for f in question.red_flags),
            question=embed([question_text(question)])[0],
            background_points=(points_vectors @ self.background().T).max(axis=1),
            point_terms=point_terms,
            term_vectors=dict(zip(surfaces, embed(list(surfaces.values())), strict=True)),
            vocabulary=frozenset(rubric_words),
            phrases=frozenset(_trigrams(rubric_words)),
            expected_words=max(MIN_EXPECTED_WORDS, len(words(expected))),
        )

    def background(self) -> np.ndarray:
        """The background text read as an answer: the unit vectors of its sentences, clauses, pairs and whole
        (the last row), embedded once."""
        from interview_cli.scoring.offline.model import unit_rows

        with self._lock:
            if self._background is None:
                _, _, sums = _units(self._embedder_source(), clean_answer(_background_text(), "").sentences)
                self._background = unit_rows(sums)
            return self._background

    def _measure(self, question: Question, rubric: _Rubric, cleaned: CleanAnswer) -> Signals:
        from interview_cli.scoring.offline.model import unit_rows

        sentences = cleaned.sentences
        texts, owners, sums = _units(self._embedder_source(), sentences)
        units = unit_rows(sums)
        whole = units[-1]  # the whole answer is the last unit
        point_sims = rubric.points @ units.T  # (points, units)
        answer_words = [w.lower() for w in words(" ".join(s.text for s in sentences))]
        excess = point_sims[:, : len(sentences)] - rubric.background_points[:, None]
        on_topic = excess.max(axis=0) > -ON_TOPIC_MARGIN
        read = on_topic if on_topic.any() else ~on_topic  # wording reads every sentence when none is on the question
        wording = _soft_wording(self._embedder_source(), rubric,
                                " ".join(s.text for s, kept in zip(sentences, read, strict=True) if kept))
        points = tuple(
            PointMatch(
                similarity=float(point_sims[k].max()),
                lexical=wording[k],
                evidence=_evidence(owners[int(point_sims[k].argmax())], point_sims[k]),
            )
            for k in range(len(rubric.point_terms))
        )
        flags = _flag_matches(question, rubric, self._embedder_source(), sentences)
        return Signals(
            sentences=sentences,
            points=points,
            flags=flags,
            relevance=float(whole @ rubric.question) - float(whole @ self.background()[-1]),
            words=len(answer_words),
            on_topic_words=sum(s.words for s, kept in zip(sentences, on_topic, strict=True) if kept),
            expected_words=rubric.expected_words,
            rubric_word_share=sum(w in rubric.vocabulary for w in answer_words) / max(len(answer_words), 1),
            rubric_phrase_share=_phrase_share(answer_words, rubric.phrases),
            grader_directed=cleaned.grader_directed,
        )


def _background_text() -> str:
    try:
        return BACKGROUND_FILE.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScoringError(f"offline scorer: cannot read {BACKGROUND_FILE} ({exc.strerror}) — reinstall drill") from None


def question_text(question: Question) -> str:
    """Everything the bank says about what the question is about (red flags aside)."""
    return " ".join([question.prompt, *(p.point for p in question.rubric), question.reference or "",
                     *question.hints, *question.follow_ups, " ".join(question.topics)])


def point_term_weights(question: Question) -> tuple[dict[str, float], ...]:
    """Each point's content stems, weighted by how specific they are within the question's own text.

    A stem that appears in many of the question's points, or in its reference, says less about any one
    point (inverse document frequency over the question's points and reference sentences). Stems of
    the prompt are left out when the point has others: repeating the question shows nothing.
    """
    documents = [set(content_stems(p.point)) for p in question.rubric]
    if question.reference:
        documents.append(set(content_stems(question.reference)))
    frequency: dict[str, int] = {}
    for document in documents:
        for stem_ in document:
            frequency[stem_] = frequency.get(stem_, 0) + 1
    prompt = set(content_stems(question.prompt))
    out = []
    for document in documents[: len(question.rubric)]:
        terms = (document - prompt) or document
        out.append({t: math.log((len(documents) + 1) / (frequency[t] + 0.5)) for t in sorted(terms)})
    return tuple(out)


def _surface_words(points: Sequence[str], stems: set[str]) -> dict[str, str]:
    """For each content stem of the points, the first word of the points it comes from (lower case)."""
    out: dict[str, str] = {}
    for text in points:
        for word in words(text):
            key = stem(word)
            if key in stems and key not in out:
                out[key] = word.lower()
    return out


def _soft_wording(embedder: Embedder, rubric: _Rubric, text: str) -> list[float]:
    """Per point, the weighted share of its content words the text uses: a word used counts 1, a word
    not used counts its cosine with the text's closest content word when that is SOFT_WORD_SIMILARITY or more."""
    used = {w.lower() for w in words(text) if len(w) > 1 and w.lower() not in FUNCTION_WORDS}
    stems = {stem(w) for w in used}
    unused = sorted({t for terms in rubric.point_terms for t in terms if t not in stems and t in rubric.term_vectors})
    closest: dict[str, float] = {}
    if unused and used:
        import numpy as np

        answer_words = embedder.embed(sorted(used))
        best = (np.array([rubric.term_vectors[t] for t in unused]) @ answer_words.T).max(axis=1)
        closest = {t: float(b) for t, b in zip(unused, best, strict=True) if b >= SOFT_WORD_SIMILARITY}
    out = []
    for terms in rubric.point_terms:
        total = sum(terms.values())
        got = sum(w * (1.0 if t in stems else closest.get(t, 0.0)) for t, w in terms.items())
        out.append(got / total if total else 0.0)
    return out


def _units(embedder: Embedder, sentences: Sequence[Sentence]):
    """The texts a point can match: sentences, their clauses, adjacent pairs, and the whole answer.

    Returns their texts, the sentences each is made of, and their token sums (a pair's vector is the
    sum of its sentences' sums, which points where their mean does).
    """
    import numpy as np

    texts = [s.text for s in sentences]
    owners: list[tuple[int, ...]] = [(i,) for i in range(len(sentences))]
    for i, sentence in enumerate(sentences):
        for clause in clauses(sentence.text):
            texts.append(clause)
            owners.append((i,))
    sums = embedder.token_sums(texts)
    n = len(sentences)
    pairs = [(i, i + 1) for i in range(n - 1) if sentences[i].paragraph == sentences[i + 1].paragraph]
    extra = [sums[i] + sums[j] for i, j in pairs] + [sums[:n].sum(axis=0)]
    texts += [f"{texts[i]} {texts[j]}" for i, j in pairs] + [" ".join(texts[:n])]
    owners += pairs + [tuple(range(n))]
    return texts, owners, np.vstack([sums, np.array(extra)])


def _evidence(owner: tuple[int, ...], sims) -> int:
    """The sentence of a multi-sentence match that matches the point best on its own."""
    if len(owner) == 1:
        return owner[0]
    return max(owner, key=lambda i: float(sims[i]))


def _flag_matches(question: Question, rubric: _Rubric, embedder: Embedder,
                  sentences: Sequence[Sentence]) -> tuple[FlagMatch, ...]:
    if not question.red_flags:
        return ()
    texts, owners = [], []
    for i, sentence in enumerate(sentences):
        for said in claims(sentence.text):
            texts.append(said)
            owners.append(i)
    units = embedder.embed(texts)
    flag_sims = rubric.flags @ units.T  # (flags, claims)
    best_point = (rubric.points @ units.T).max(axis=0)
    sizes = [len(content_stems(t)) for t in texts]
    out = []
    for k, flag in enumerate(question.red_flags):
        needed = FLAG_MIN_CONTENT * len(content_stems(rubric.flag_claims[k]))
        agreeing = [j for j, text in enumerate(texts)
                    if sizes[j] >= needed and agrees_on_negation(text, rubric.flag_claims[k])]
        unit = max(agreeing, key=lambda j: float(flag_sims[k, j] - best_point[j]), default=None)
        if unit is None:
            out.append(FlagMatch(flag=flag, similarity=0.0, said=False, evidence=None))
            continue
        similarity = float(flag_sims[k, unit])
        said = similarity >= FLAG_SIMILARITY and similarity >= float(best_point[unit]) + FLAG_MARGIN
        out.append(FlagMatch(flag=flag, similarity=similarity, said=said, evidence=owners[unit] if said else None))
    return tuple(out)


def _trigrams(tokens: Sequence[str]):
    return (tuple(tokens[i : i + 3]) for i in range(len(tokens) - 2))


def _phrase_share(tokens: Sequence[str], phrases: frozenset) -> float:
    grams = set(_trigrams(tokens))
    return len(grams & phrases) / len(grams) if grams else 0.0


def _unanswered(question: Question, rubric: _Rubric, cleaned: CleanAnswer) -> Signals:
    points = tuple(PointMatch(0.0, 0.0, None) for _ in question.rubric)
    flags = tuple(FlagMatch(f, 0.0, False, None) for f in question.red_flags)
    return Signals((), points, flags, 0.0, 0, 0, rubric.expected_words, 0.0, 0.0, cleaned.grader_directed)
