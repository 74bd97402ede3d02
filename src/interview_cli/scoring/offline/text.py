"""Plain-text side of the offline scorer: sentences, clauses, grader-directed text and writing style.

Pure Python (no numpy, no model) so it is cheap to import and easy to test.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

MIN_CLAUSE_WORDS = 4  # shorter fragments match short rubric phrases by accident
MIN_PROSE_WORDS = 4
MIN_FUNCTION_WORD_RATIO = 0.2  # running English is ~40% function words; a bare list of terms is ~5%
MAX_MARKERS_PER_SENTENCE = 3
RESTATEMENT_MIN_TERMS = 4
RESTATEMENT_SHARE = 0.8  # a sentence whose key terms are nearly all the prompt's restates the question
MAX_ANSWER_CHARS = 30_000  # ten times a thorough spoken answer; the rest is not read

_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|approx|incl|cf|Mr|Ms|Dr)\.", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\.\.\.)\s+(?=[\"'(\[]?[A-Z0-9])")
_CLAUSE_BREAK = re.compile(r"\s*[;:]\s+|\s+[-–—]\s+|,\s+(?=(?:and|but|so|which|because|while|then|since|whereas|or)\b)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d.,]*")
_PROTECTED_DOT = "\x00"

FUNCTION_WORDS = frozenset(
    """a an the and or but so if then than that this these those it its it's is are was were be been being am
    do does did have has had i i'd i'm we we'd you he she they me us my our your their to of in on at by for
    with from as into about over after before not no can could would should will may might must there here
    which who whom what when where why how all any each some one also just only very because since while
    until once both either neither nor up out off again more most other such own same too""".split()
)

# Words that every interview prompt uses; they say nothing about what this question is about.
PROMPT_BOILERPLATE = frozenset(
    """tell describe explain walk design would how what time decide happened changed afterwards make then
    expect around example per let lets give approach handle build implement""".split()
)

_REASONING = re.compile(
    r"\b(because|since|so that|so|therefore|thus|hence|which means|that means|that's why|in order to|"
    r"otherwise|as a result|due to|given that)\b",
    re.IGNORECASE,
)
_TRADE_OFF = re.compile(
    r"\b(but|however|instead|rather than|vs\.?|versus|trade-?offs?|downside|at the cost of|although|"
    r"though|whereas|on the other hand|unless|except|cheaper|costs?|risks?)\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    "hundred|thousand|million|billion|half|double|twice"
)
# Numbers, named things (a capitalised word mid-sentence), acronyms, identifiers and calls.
_SPECIFIC = re.compile(
    r"\d+(?:[.,]\d+)?\s*%?|\b(?:" + _NUMBER_WORDS + r")\b|(?<=[a-z,;:] )[A-Z][\w-]+|\b[A-Z]{2,}\w*"
    r"|\b[a-z]+[A-Z]\w*|\b\w+_\w+\b|\b\w+\(\w*\)"
    r"|\b(?:an?|few|couple of)\s+(?:second|minute|hour|day|week|month|quarter|year)s?\b",
)
_IRREGULAR_PAST = (
    "took|made|wrote|built|ran|led|got|put|kept|set|went|found|cut|sent|told|chose|drove|brought|gave|began|"
    "saw|spent|held|split|caught|knew|thought|felt|met|lost|won|left|broke|shut|hit"
)
# A first-person action in the past: the backbone of a story answer.
_ACTION = re.compile(
    r"\b(?:i|we)\s+(?:also\s+|then\s+|quickly\s+|first\s+)?(?:\w+ed|" + _IRREGULAR_PAST + r")\b", re.IGNORECASE
)
_REFLECTION = re.compile(
    r"\b(learned|lessons?|taught me|in hindsight|looking back|next time|do differently|i realized|now i)\b",
    re.IGNORECASE,
)
# Prompts that ask for a story from the candidate's past rather than a design or an explanation.
_STORY_PROMPT = re.compile(
    r"\b(tell me about|describe|give (me )?an example of|walk me through|talk (me )?through)\s+(a|an|one|the)\b"
    r"|\ba time (when|that|you)\b",
    re.IGNORECASE,
)
_VAGUE = re.compile(
    r"\b(some|a lot|lots of|things?|stuff|a while|a bit|a few|really|just|i think|i guess|probably|maybe|"
    r"kind of|sort of|basically|properly|somehow|various|etc|in general|overall|it depends|depends on|is key|"
    r"(it'?s|it is) (very |really )?important( to| that)?|make sure|be careful|good|well|fine)\b",
    re.IGNORECASE,
)

# Text addressed to whoever grades the answer rather than to the interviewer. Each pattern needs an
# unmistakable cue, so that "9 out of 10 requests hit the cache" or "this response should carry a
# Retry-After header" stay part of the answer.
_GRADER = r"(?:grader|evaluator|examiner|assessor|scorer|marker|grading (?:model|system))"
_GRADER_DIRECTED = [
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"\b(?:ignore|disregard|forget|override|bypass)\b[^.]{0,40}\b(?:rubric|instructions?|prompt|criteria|"
        r"guidelines|grading|scoring|rules)\b",
        r"\b(?:note|message|instructions?|reminder)\s+(?:to|for)\s+(?:the\s+)?(?:ai|llm|model|assistant|system|"
        r"reviewer|" + _GRADER + r")\b",
        r"^\W*(?:dear\s+)?(?:ai|llm|assistant|system|reviewer|" + _GRADER + r")\s*[:,]",
        r"^(?=.*\b" + _GRADER + r"\b)(?=.*\b(?:score[sd]?|scoring|award|grade|rate|marks?|rubric|points)\b)"
        r"(?=.*\b(?:you|your|this answer|this response|my answer|me)\b)",
        r"\b(?:award|give|assign|grant|return|rate|mark)\b[^.]{0,40}(?:\b\d+(?:\.\d+)?\s*(?:/|out of)\s*10\b|"
        r"full marks|perfect score|maximum score|top score|highest score)",
        r"\b10\s*/\s*10\b|\b(?:expected_)?(?:score|grade|rating)\s*[:=]\s*\d",
        r"\bsystem (?:note|prompt|message|override)\b|\[\s*system\s*\]|\brubric\s*=",
        r"\bthe candidate (?:has |have )?(?:demonstrated|demonstrates|showed|shows|deserves|covered|answered|"
        r"mastered|is (?:excellent|perfect|correct))\b",
        r"\bthis (?:answer|response) (?:deserves|merits|is (?:excellent|perfect|flawless|correct and complete)|"
        r"(?:should|must) (?:get|receive|be given|be awarded|score))\b",
        r"\bas (?:the|an?) (?:ai |llm )?(?:" + _GRADER + r"|language model)\b",
    )
]


@dataclass(frozen=True)
class Sentence:
    text: str
    paragraph: int
    prose: bool  # reads as a sentence rather than a bare list of terms
    words: int
    markers: int  # reasoning, trade-offs and specifics, capped
    vague: int  # hedges and platitudes


@dataclass(frozen=True)
class CleanAnswer:
    sentences: tuple[Sentence, ...]
    grader_directed: int  # sentences dropped because they addressed the grader
    restated: int  # sentences dropped because they only repeated the question
    repeated: int  # sentences dropped because they were said already


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]


def split_sentences(paragraph: str) -> list[str]:
    out = []
    for line in paragraph.splitlines():
        guarded = _ABBREVIATION.sub(lambda m: m.group(0).replace(".", _PROTECTED_DOT), line.strip())
        for piece in _SENTENCE_END.split(guarded):
            piece = piece.replace(_PROTECTED_DOT, ".").strip()
            if re.search(r"\w", piece):
                out.append(piece)
    return out


def clauses(sentence: str) -> list[str]:
    """The sentence's clauses long enough to carry an idea; empty when it has only one."""
    parts = [c.strip(" ,") for c in _CLAUSE_BREAK.split(sentence)]
    parts = [c for c in parts if len(c.split()) >= MIN_CLAUSE_WORDS]
    return parts if len(parts) > 1 else []


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def is_grader_directed(sentence: str) -> bool:
    return any(p.search(sentence) for p in _GRADER_DIRECTED)


@functools.lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Crude suffix stripping, enough to match 'caused' with 'cause' and 'cutting' with 'cut'."""
    word = word.lower().strip("'’-")
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            if len(word) > 3 and word[-1] == word[-2] and suffix in ("ing", "ed"):
                word = word[:-1]
            return word
    return word


def key_terms(text: str) -> set[str]:
    """Stems of the content words: no function words, prompt boilerplate or bare numbers."""
    return {
        stem(w)
        for w in words(text)
        if len(w) > 2 and not w[0].isdigit() and w.lower() not in FUNCTION_WORDS and w.lower() not in PROMPT_BOILERPLATE
    }


def is_prose(sentence: str) -> bool:
    tokens = [w.lower() for w in words(sentence)]
    if len(tokens) < MIN_PROSE_WORDS:
        return False
    return sum(t in FUNCTION_WORDS for t in tokens) / len(tokens) >= MIN_FUNCTION_WORD_RATIO


def markers(sentence: str) -> int:
    """Signs of a substantive sentence: a reason, a trade-off, an action taken, a lesson, specifics."""
    found = bool(_REASONING.search(sentence)) + bool(_TRADE_OFF.search(sentence))
    found += bool(_ACTION.search(sentence)) + bool(_REFLECTION.search(sentence))
    found += min(2, len(_SPECIFIC.findall(sentence)))
    return min(MAX_MARKERS_PER_SENTENCE, found)


def is_story_question(prompt: str) -> bool:
    return bool(_STORY_PROMPT.search(prompt))


def vagueness(sentence: str) -> int:
    return len(_VAGUE.findall(sentence))


def clean_answer(text: str, prompt: str) -> CleanAnswer:
    """The answer's sentences minus text aimed at the grader, restatements of the question and repeats.

    A paragraph that is mostly grader-directed is dropped whole: its other sentences are usually
    part of the same attempt.
    """
    prompt_terms = key_terms(prompt)
    prompt_words = _normalized(prompt)
    seen: set[str] = set()
    kept: list[Sentence] = []
    grader = restated = repeated = 0
    for index, paragraph in enumerate(split_paragraphs(text[:MAX_ANSWER_CHARS])):
        pieces = split_sentences(paragraph)
        flags = [is_grader_directed(s) for s in pieces]
        grader += sum(flags)
        if sum(flags) * 2 > len(pieces):
            grader += len(pieces) - sum(flags)
            continue
        for sentence, flagged in zip(pieces, flags, strict=True):
            if flagged:
                continue
            norm = _normalized(sentence)
            if norm in seen:
                repeated += 1
                continue
            seen.add(norm)
            if norm in prompt_words or _restates(sentence, prompt_terms):
                restated += 1
                continue
            kept.append(_describe(sentence, index))
    return CleanAnswer(tuple(kept), grader, restated, repeated)


def _normalized(text: str) -> str:
    return " ".join(w.lower() for w in words(text))


def _restates(sentence: str, prompt_terms: set[str]) -> bool:
    terms = key_terms(sentence)
    if len(terms) < RESTATEMENT_MIN_TERMS:
        return False
    return len(terms & prompt_terms) / len(terms) >= RESTATEMENT_SHARE


def _describe(sentence: str, paragraph: int) -> Sentence:
    return Sentence(
        text=sentence,
        paragraph=paragraph,
        prose=is_prose(sentence),
        words=len(words(sentence)),
        markers=markers(sentence),
        vague=vagueness(sentence),
    )


SHORT_POINT_WORDS = 16
MIN_SHORT_POINT_WORDS = 4
_LABEL = re.compile(r"^\s*([^:]{1,40}):\s+(.*)$", re.DOTALL)
_HARD_BREAK = re.compile(r"\s*;\s+|\s+[-–—]\s+")


def short_point(point: str) -> str:
    """A rubric point cut to its leading idea, for use inside a feedback sentence.

    'Concurrency baseline: a single lock is correct but contended, and a read-write lock does not
    help because ...' becomes 'concurrency baseline: a single lock is correct but contended'.
    """
    text = re.sub(r"\s+\([^)]*\)", "", " ".join(point.split()))
    label = _LABEL.match(text)
    prefix, body = (f"{label.group(1)}: ", label.group(2)) if label and len(label.group(1).split()) <= 4 else ("", text)
    body = _HARD_BREAK.split(body)[0]
    tokens = (prefix + body).split()
    text = " ".join(tokens)
    if len(tokens) > SHORT_POINT_WORDS:
        head = " ".join(tokens[:SHORT_POINT_WORDS])
        cut = head.rfind(",")  # prefer ending on a whole list item
        whole_item = cut > len(prefix) and len(head[:cut].split()) >= MIN_SHORT_POINT_WORDS
        text = head[:cut] if whole_item else head + "…"
    text = text.rstrip(".!?;:, ")
    return text if text[:2].isupper() else text[:1].lower() + text[1:]


def first_sentence(text: str) -> str:
    sentences = split_sentences(text)
    return sentences[0] if sentences else text.strip()
