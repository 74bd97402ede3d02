"""Plain-text side of the offline scorer: sentences, clauses, stems, negation, grader-directed text and lists.

Pure Python (no numpy, no model) so it is cheap to import and easy to test.
"""

from __future__ import annotations

import functools
import itertools
import re
from dataclasses import dataclass

MIN_CLAUSE_WORDS = 4  # shorter fragments match short rubric phrases by accident
MIN_LIST_WORDS = 8
MIN_FUNCTION_WORD_RATIO = 0.2  # running English is ~40% function words; a bare list of terms is ~5%
RESTATEMENT_MIN_TERMS = 4
RESTATEMENT_SHARE = 0.8  # a sentence whose key terms are nearly all the prompt's restates the question
MAX_ANSWER_CHARS = 30_000  # ten times a thorough spoken answer; the rest is not read

_ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|approx|incl|cf|Mr|Ms|Dr)\.", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.!?])(?<!\.\.\.)\s+(?=[\"'(\[]?[A-Z0-9])")
_CLAUSE_BREAK = re.compile(r"\s*[;:]\s+|\s+[-–—]\s+|,\s+(?=(?:and|but|so|which|because|while|then|since|whereas|or)\b)")
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d.,]*")
_PROTECTED_DOT = "\x00"
# Negation cues, and verbs of omission that negate what follows them ("ignores time zones").
_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nothing|neither|nor|without|avoids?|avoided|avoiding|ignor(?:e|es|ed|ing)|"
    r"forg(?:et|ets|ot|etting)|neglect(?:s|ed|ing)?|omit(?:s|ted|ting)?|lack(?:s|ed|ing)?|fail(?:s|ed|ing)? to)\b"
    r"|n['’]t\b",
    re.IGNORECASE,
)
NEGATION_SCOPE_WORDS = 3  # content words after a negation cue that it applies to
# "instead of X", "rather than X", ", not X": X is the option rejected, up to the end of the clause.
# X ends at a punctuation mark or where a new subject starts ("instead of rolling back I spent ...").
_REJECTED = re.compile(
    r"\s*,?\s*\b(?:instead of|rather than)\b.*?(?=[,;:.]|\s(?:I|we|you|they|he|she|it)\b|$)|,\s*not\b[^,;:.]*",
    re.IGNORECASE,
)

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
    words: int
    listed: bool  # a run of terms with almost no function words: a keyword list, not a sentence


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


def is_term_list(sentence: str) -> bool:
    """A long run of terms with almost no function words: a keyword list rather than a sentence.

    Short fragments ("left, root, right", "O(log n)") are legitimate short answers, not lists.
    """
    tokens = [w.lower() for w in words(sentence)]
    if len(tokens) < MIN_LIST_WORDS:
        return False
    return sum(t in FUNCTION_WORDS for t in tokens) / len(tokens) < MIN_FUNCTION_WORD_RATIO


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry content: no function words, no single letters."""
    return [stem(w) for w in words(text) if len(w) > 1 and w.lower() not in FUNCTION_WORDS]


def is_negated(text: str) -> bool:
    """Whether the text negates something: "X is not needed" against "X is needed"."""
    return bool(_NEGATION.search(text))


def negation_scope(text: str) -> frozenset[str]:
    """Stems of the content words a negation applies to: the few after each cue, within its clause."""
    scope: set[str] = set()
    for match in _NEGATION.finditer(text):
        rest = re.split(r"[,;:.!?]", text[match.end():], maxsplit=1)[0]
        scope.update(content_stems(rest)[:NEGATION_SCOPE_WORDS])
    return frozenset(scope)


def agrees_on_negation(said: str, flag: str) -> bool:
    """Whether `said` can state `flag`: neither negates anything, or both negate the same thing
    ("steps don't need to be idempotent" states "retries steps that are not idempotent"; "the scheduler
    doesn't execute jobs" does not state "with no lock")."""
    said_negated, flag_negated = is_negated(said), is_negated(flag)
    if said_negated != flag_negated:
        return False
    return not flag_negated or bool(negation_scope(said) & negation_scope(flag))


# "chooses X over Y", "we prefer X over Y": Y is the option rejected, up to the end of its clause or
# where a reason or a new subject starts. Read one clause (between , ; : .) at a time, so that a long
# hostile sentence costs linear time.
_CHOICE = re.compile(r"\b(?:choos|chose|prefer|favou?r|pick|priorit)\w*", re.IGNORECASE)
_OVER = re.compile(r"\s+over\b", re.IGNORECASE)
_OPTION_ENDS = re.compile(r"\s(?:because|since|so|which|as|and|but|I|we|you|they|he|she|it)\b", re.IGNORECASE)


def _without_option_passed_over(text: str) -> str:
    pieces = re.split(r"([,;:.])", text)
    for i, piece in enumerate(pieces):
        choice = _CHOICE.search(piece)
        over = choice and _OVER.search(piece, choice.end())
        if over:
            end = _OPTION_ENDS.search(piece, over.end())
            pieces[i] = piece[: over.start()] + (piece[end.start():] if end else "")
    return "".join(pieces)


def claim(text: str) -> str:
    """What the text asserts, without the option it rejects: "push to a queue instead of running jobs in the
    scheduler" claims "push to a queue", "chooses availability over consistency" claims "chooses
    availability". The text itself when nothing is left."""
    kept = _without_option_passed_over(_REJECTED.sub("", text)).strip(" ,;:")
    return kept if len(words(kept)) >= 2 else text


# An option offered as an alternative, then turned down in the same sentence: "a hash set would also
# work, but it needs O(n) memory"; "the obvious alternative is X, but ...". Only what follows "but" is claimed.
_ALTERNATIVE = re.compile(
    r"\b(?:alternatives?|(?:would|could|might) also (?:work|do)|another option|one option)\b", re.IGNORECASE)
_TURNED_DOWN = re.compile(r"[,;]\s*(?:but|though|however)\b\s*", re.IGNORECASE)


def _after_alternatives(sentence: str) -> int:
    """Where the sentence's claims start: after each alternative it offers and turns down, as long as
    two words or more are left."""
    start = 0
    while (offered := _ALTERNATIVE.search(sentence, start)) and (turned := _TURNED_DOWN.search(sentence, offered.end())):
        if len(list(itertools.islice(_WORD.finditer(sentence, turned.end()), 2))) < 2:
            break
        start = turned.end()
    return start


def claims(sentence: str) -> list[str]:
    """The sentence's claims, one per clause (the sentence itself when it has one clause), leaving out an
    alternative it turns down."""
    sentence = sentence[_after_alternatives(sentence):]
    return [claim(c) for c in (clauses(sentence) or [sentence])]


def clean_answer(text: str, prompt: str) -> CleanAnswer:
    """The answer's sentences minus text aimed at the grader, restatements of the question and repeats.

    A paragraph that is mostly grader-directed is dropped whole: its other sentences are usually
    part of the same attempt.
    """
    prompt_terms = key_terms(prompt)
    prompt_words = _normalized(prompt)
    seen: set[str] = set()
    kept: list[Sentence] = []
    restatements: list[Sentence] = []
    grader = repeated = 0
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
                restatements.append(_describe(sentence, index))
                continue
            kept.append(_describe(sentence, index))
    if not kept:  # an answer that only restates the question still said something: score it as it is
        kept, restatements = restatements, []
    return CleanAnswer(tuple(kept), grader, len(restatements), repeated)


def _normalized(text: str) -> str:
    return " ".join(w.lower() for w in words(text))


def _restates(sentence: str, prompt_terms: set[str]) -> bool:
    terms = key_terms(sentence)
    if len(terms) < RESTATEMENT_MIN_TERMS:
        return False
    return len(terms & prompt_terms) / len(terms) >= RESTATEMENT_SHARE


def _describe(sentence: str, paragraph: int) -> Sentence:
    return Sentence(text=sentence, paragraph=paragraph, words=len(words(sentence)), listed=is_term_list(sentence))
