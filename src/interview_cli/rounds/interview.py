"""The interactive round: the interviewer asks, the candidate types, every answer is committed.

Order of events for each question, and what is on disk at each point:

1. The question panel is drawn (rich). Nothing new on disk.
2. The editor runs with a countdown; the draft is saved to `drafts` every few seconds
   while it changes, and at once on /hint, /repeat, /quit and Ctrl-C.
3. The answer is committed to `answers` (runner.record) before anything else is shown.
4. The follow-up prompt is saved (drafts kind 'follow_up_prompt') before it is shown, so a
   resumed session asks the same follow-up; its answer is committed the same way. A /skip
   of the follow-up is committed as skipped, with no text.

`kill -9` at any point loses no submitted answer, and at most a few seconds of a draft.
The session stays 'in_progress' (or 'unfinished' after /quit) and `drill resume` picks up
at the first unanswered step of the session's plan, with the draft in the editor.

prompt-toolkit is never started here without a TTY: run_round only calls run_interactive
when stdin and stdout are terminals, and resume() checks the same before anything runs.

sessions.options keeps what resume needs to ask the rest of the round the same way, but
never a credential: a user:password@ in --api-base is dropped before it is stored.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

from interview_cli.banks.model import DEFAULT_QUESTION_MINUTES, Bank, Question, Round
from interview_cli.clock import Clock
from interview_cli.errors import DrillError, ExitStatus, UsageError
from interview_cli.history.db import SessionRow, Store
from interview_cli.redact import redact
from interview_cli.rounds import session as runner
from interview_cli.rounds.context import RoundContext, ScorerFactory
from interview_cli.rounds.finish import check_model, finish_session
from interview_cli.rounds.options import RoundOptions
from interview_cli.rounds.plan import planned_questions
from interview_cli.rounds.ui import EditorAction, RoundUI
from interview_cli.scoring.base import FollowUp

FOLLOW_UP_SHARE = 0.4  # a follow-up gets this share of its question's time ...
FOLLOW_UP_MIN_SECONDS = 60.0  # ... but at least a minute, unless --minutes says otherwise
LLM_FOLLOW_UP_TIMEOUT = 15.0  # seconds one follow-up request may take before the bank's is used
LLM_FOLLOW_UP_RETRY = 5.0  # seconds of retries (429, 5xx) on top

RESUMABLE = ("in_progress", "unfinished")
PROMPT_KIND = "follow_up_prompt"  # drafts row: the follow-up being asked at that position
HINTS_KIND = "hints"  # drafts row: JSON list of hints shown for the unanswered main question
MAIN, FOLLOW = "main", "follow_up"


# ---- timing ---------------------------------------------------------------------------


def time_limit(question: Question, rnd: Round | None, minutes: float | None, stage: str = MAIN) -> float:
    """Seconds to answer `question` (stage MAIN) or its follow-up (stage FOLLOW).

    A question gets --minutes, else its own time, else an even share of its round's time,
    else DEFAULT_QUESTION_MINUTES. A follow-up gets the same --minutes when given, else 40% of its
    question's time but at least a minute.
    """
    if minutes:
        return minutes * 60
    if question.minutes:
        seconds = question.minutes * 60
    elif rnd is not None and rnd.minutes:
        seconds = rnd.minutes * 60 / max(1, rnd.default_count())
    else:
        seconds = DEFAULT_QUESTION_MINUTES * 60
    if stage == FOLLOW:
        return max(FOLLOW_UP_MIN_SECONDS, FOLLOW_UP_SHARE * seconds)
    return seconds


# ---- settings kept with the session ---------------------------------------------------


def session_options(options: RoundOptions) -> dict:
    """What resume needs to ask the rest of the round the same way (stored in sessions.options)."""
    return {"source": "interactive", "minutes": options.minutes, "follow_ups": options.follow_ups,
            "model": options.model, "api_base": storable_url(options.api_base), "seed": options.seed}


def storable_url(url: str | None) -> str | None:
    """`url` fit to store and export: no user:password@, and any other credential redacted."""
    url = _clean(url)
    if url is None:
        return None
    try:
        parts = urlsplit(url)
        if "@" in parts.netloc:
            url = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
    except ValueError:
        pass  # not a URL we can take apart: redact() still masks what looks secret
    return redact(url)


def options_from_session(session: SessionRow, model: str | None = None, api_base: str | None = None) -> RoundOptions:
    """The round's options for resume. --model, and --api-base or DRILL_API_BASE, win over the stored
    ones; the stored api_base goes only with the stored model (it was that model's server)."""
    saved = session.options or {}
    explicit_base = _clean(api_base) or _clean(os.environ.get("DRILL_API_BASE"))
    if _clean(model):
        model, api_base = _clean(model), explicit_base
    else:
        model, api_base = saved.get("model"), explicit_base or saved.get("api_base")
    return RoundOptions(round_id=session.round, minutes=saved.get("minutes"),
                        follow_ups=bool(saved.get("follow_ups", True)), model=model, api_base=api_base)


def _clean(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


# ---- follow-ups ------------------------------------------------------------------------


class FollowUps:
    """Chooses the one follow-up: the LLM writes it when a model is configured, else the bank's
    follow-up that probes a rubric point the answer missed. The offline model (and litellm, when
    a model is configured) load in a background thread started once the first editor is live."""

    def __init__(self, ui: RoundUI, options: RoundOptions):
        self.ui = ui
        self.options = options
        self._thread: threading.Thread | None = None
        self._offline = None  # OfflineScorer, once warm
        self._model_choice = None

    def warm(self) -> None:
        if not self.options.follow_ups or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._load, name="drill-warm-follow-ups", daemon=True)
        self._thread.start()

    def _load(self) -> None:
        with contextlib.suppress(Exception):  # a broken model setup is reported by the follow-up call
            if self._model() is not None:
                from interview_cli.scoring import llm

                llm.warm_up()  # the litellm import, paid while the candidate types
        try:
            from interview_cli.scoring.offline.scorer import OfflineScorer

            scorer = OfflineScorer()
            scorer.embedder()  # loads the embedding model (once per process)
            self._offline = scorer
        except Exception:  # noqa: BLE001 - the offline model failed to load: the bank's first follow-up
            self._offline = None

    def _model(self) -> str | None:
        if self._model_choice is None:
            try:
                from interview_cli.scoring.select import resolve_model

                self._model_choice = resolve_model(self.options.model, self.options.api_base)
            except (DrillError, ImportError):
                self._model_choice = False
        return self._model_choice.model if self._model_choice else None

    def write(self, question: Question, answer: str) -> str | None:
        model = self._model()
        if model:
            try:
                from interview_cli.scoring.llm import write_follow_up

                with self.ui.busy("Thinking of a follow-up…"):
                    text = write_follow_up(model, self._model_choice.api_base, question, answer,
                                           timeout=LLM_FOLLOW_UP_TIMEOUT, retry_budget=LLM_FOLLOW_UP_RETRY)
                if text and text.strip():
                    return text.strip()
            except Exception:  # noqa: BLE001 - any failure: the bank's follow-up, said quietly
                self.ui.aside(f"(couldn't get a follow-up from {model}; asking one from the bank)")
        return self.offline(question, answer)

    def offline(self, question: Question, answer: str) -> str | None:
        fallback = question.follow_ups[0] if question.follow_ups else None
        if self._thread is None:
            self.warm()
        if self._thread is not None:
            self._thread.join()
        if self._offline is None:
            return fallback
        try:
            from interview_cli.scoring.offline.scorer import pick_follow_up

            return pick_follow_up(question, self._offline.coverage(question, answer)) or fallback
        except Exception:  # noqa: BLE001 - the interview goes on with the bank's first follow-up
            return fallback


# ---- one answer -------------------------------------------------------------------------


@dataclass
class Outcome:
    text: str
    skipped: bool = False
    auto_submitted: bool = False
    quit: bool = False
    seconds: float | None = None
    hints: list[str] = field(default_factory=list)


class Interview:
    def __init__(self, ui: RoundUI, store: Store, bank: Bank, session: SessionRow, questions: list[Question],
                 options: RoundOptions, make_scorer: ScorerFactory):
        self.ui = ui
        self.store = store
        self.bank = bank
        self.session = session
        self.questions = questions
        self.options = options
        self.rnd = bank.rounds.get(session.round)
        self.make_scorer = make_scorer
        self.follow_ups = FollowUps(ui, options)

    @property
    def session_id(self) -> str:
        return self.session.id

    def seconds_for(self, question: Question, stage: str = MAIN) -> float:
        return time_limit(question, self.rnd, self.options.minutes, stage)

    # ---- the round -----------------------------------------------------------

    def run(self, position: int = 0, stage: str = MAIN) -> int:
        total = len(self.questions)
        while position < total:
            if self._position(position, stage) == "quit":
                self.store.set_status(self.session_id, "unfinished")
                self.ui.stopped(self.session_id)
                return ExitStatus.INTERRUPTED
            position, stage = position + 1, MAIN
        self.ui.closing()
        self.store.set_status(self.session_id, "unscored", finished=True)
        return finish_session(self.ui, self.store, self.session_id, self.bank, self.options, self.make_scorer)

    def _position(self, position: int, stage: str) -> str:
        question = self.questions[position]
        number, total = position + 1, len(self.questions)
        seconds = self.seconds_for(question)
        last = number == total
        if stage == MAIN:
            def show() -> None:
                self.ui.ask(number, total, question, seconds)

            show()
            outcome = self._answer(position, MAIN, question, seconds, show)
            if outcome.quit:
                return "quit"
            runner.record(self.store, self.session_id, position,
                          runner.Answered(question, outcome.text, skipped=outcome.skipped),
                          hints=outcome.hints, auto_submitted=outcome.auto_submitted, seconds=outcome.seconds)
            self.store.delete_draft(self.session_id, position, HINTS_KIND)
            if outcome.skipped or not outcome.text.strip() or not self.options.follow_ups:
                self.ui.acknowledged(last)
                return "next"
            answer = outcome.text
        else:  # resumed at the follow-up: show the question it follows for context
            self.ui.ask(number, total, question, seconds)
            answer = main_answer(self.store, self.session_id, position)
        prompt = self.store.draft(self.session_id, position, PROMPT_KIND)
        if not prompt:
            prompt = self.follow_ups.write(question, answer)
            if not prompt:
                self.ui.acknowledged(last)
                return "next"
            self.store.save_draft(self.session_id, position, PROMPT_KIND, prompt)
        follow_seconds = self.seconds_for(question, FOLLOW)

        def show_follow_up(again: bool = True) -> None:
            self.ui.follow_up(prompt, follow_seconds, number, again=again)

        show_follow_up(again=False)
        outcome = self._answer(position, FOLLOW, question, follow_seconds, show_follow_up)
        if outcome.quit:
            return "quit"
        text = "" if outcome.skipped else outcome.text  # what was typed before /skip is not graded
        runner.record_follow_up(self.store, self.session_id, position, question.id, FollowUp(prompt, text),
                                skipped=outcome.skipped, auto_submitted=outcome.auto_submitted,
                                seconds=outcome.seconds)
        self.store.delete_draft(self.session_id, position, PROMPT_KIND)
        self.ui.acknowledged(last)
        return "next"

    def _answer(self, position: int, kind: str, question: Question, seconds: float,
                show: Callable[[], None]) -> Outcome:
        clock = Clock(seconds)
        text = self.store.draft(self.session_id, position, kind) or ""
        hints = self._hints(position) if kind == MAIN else []
        saved = {"text": text}

        def save(value: str) -> None:
            if value != saved["text"]:
                self.store.save_draft(self.session_id, position, kind, value)
                saved["text"] = value

        while True:
            # The follow-up model warms in a thread once the editor is live, never before.
            result = self.ui.edit(clock, text, save, self.follow_ups.warm)
            text = result.text
            if result.action in (EditorAction.SUBMIT, EditorAction.TIMEOUT, EditorAction.SKIP):
                text = text.rstrip()  # trailing blank lines are not part of the answer
                save(text)
                if result.action == EditorAction.SUBMIT:
                    return Outcome(text, seconds=round(clock.elapsed(), 1), hints=hints)
                if result.action == EditorAction.TIMEOUT:
                    self.ui.times_up(bool(text.strip()))
                    return Outcome(text, auto_submitted=True, seconds=round(clock.limit, 1), hints=hints)
                self.ui.skipped()
                return Outcome(text, skipped=True, seconds=round(clock.elapsed(), 1), hints=hints)
            save(text)
            if result.action == EditorAction.QUIT:
                return Outcome(text, quit=True)
            if result.action == EditorAction.INTERRUPT:
                clock.pause()
                try:
                    leave = self.ui.confirm_quit()
                finally:
                    clock.resume()
                if leave:
                    return Outcome(text, quit=True)
                continue  # back to the same spot of the draft
            if result.action == EditorAction.HINT:
                self._hint(position, kind, question, hints)
            elif result.action == EditorAction.REPEAT:
                show()
            if text.strip() and not text.endswith("\n"):
                text += "\n"  # the command was typed on its own line: carry on from a fresh one

    def _hint(self, position: int, kind: str, question: Question, hints: list[str]) -> None:
        if kind != MAIN:
            self.ui.no_hint_for_follow_up()
            return
        available = list(question.hints)
        if len(hints) < len(available):
            hints.append(available[len(hints)])
            self.store.save_draft(self.session_id, position, HINTS_KIND, json.dumps(hints))
            self.ui.hint(hints[-1], len(hints), len(available))
        else:
            self.ui.hint(None, len(hints), len(available))

    # ---- drafts kept beside the answer ------------------------------------------

    def _hints(self, position: int) -> list[str]:
        raw = self.store.draft(self.session_id, position, HINTS_KIND)
        try:
            hints = json.loads(raw) if raw else []
        except ValueError:
            return []
        return [h for h in hints if isinstance(h, str)]


# ---- entry points ------------------------------------------------------------------------


def run_interactive(ctx: RoundContext, bank: Bank, options: RoundOptions) -> int:
    """`drill COMPANY ROLE` in a terminal: choose the round if needed, then interview."""
    if not options.round_id and not options.due:
        options = dataclasses.replace(options, round_id=ctx.ui.choose_round(bank))
    store = ctx.store
    round_id, questions = planned_questions(store, bank, options)
    if not questions:
        raise UsageError("no questions to ask — see: drill banks show "
                         f"{bank.company_slug} {bank.role_slug}")
    session_id = runner.start_session(store, bank, round_id, questions, session_options(options))
    session = store.session(session_id)
    interview = Interview(ctx.ui, store, bank, session, questions, options, ctx.make_scorer)
    limits = [interview.seconds_for(q) for q in questions]
    ctx.ui.opening(bank, round_id, bank.rounds.get(round_id), limits, options.follow_ups)
    return interview.run()


def find_resumable(store: Store, session_id: str | None) -> SessionRow:
    if session_id:
        session = store.session(session_id)
        if session.status not in RESUMABLE:
            if session.status == "unscored":
                raise UsageError(f"session {session.id} is already finished (all answers in) — "
                                 f"score it with: drill score {session.id}")
            raise UsageError(f"session {session.id} is already finished and scored — "
                             f"see it with: drill report {session.id}, or re-score it with: drill score {session.id}")
        return session
    newest = store.newest_session(RESUMABLE)
    if newest is None:
        raise UsageError("nothing to resume — every session is finished; start a round with: drill COMPANY ROLE")
    return store.session(newest)


def resume_point(store: Store, session: SessionRow, follow_ups: bool) -> tuple[int, str]:
    """(position, 'main' | 'follow_up') of the first step of the plan with no committed answer."""
    mains: dict[int, dict] = {}
    followed: set[int] = set()
    for row in store.answers(session.id):
        if row["kind"] == "main":
            mains[row["position"]] = row
        else:
            followed.add(row["position"])
    for position in range(len(session.plan)):
        main = mains.get(position)
        if main is None:
            return position, MAIN
        wants_follow_up = follow_ups and not main["skipped"] and main["answer"].strip()
        if wants_follow_up and position not in followed:
            return position, FOLLOW
    return len(session.plan), MAIN


def resume(ctx: RoundContext, session_id: str | None, catalog, *, model: str | None = None,
           api_base: str | None = None) -> int:
    """`drill resume [SESSION_ID]`: continue an in-progress or unfinished session in a terminal."""
    store = ctx.store
    session = find_resumable(store, session_id)
    if not ctx.ui.interactive:
        raise UsageError(f"drill resume needs a terminal to ask questions in (stdin and stdout are not both a "
                         f"TTY) — run it in a terminal; session {session.id} stays saved")
    bank = runner.bank_for_session(session, catalog)
    questions = [runner.session_question(session, bank, qid) for qid in session.plan]
    options = options_from_session(session, model=model, api_base=api_base)
    check_model(options)
    position, stage = resume_point(store, session, options.follow_ups)
    store.set_status(session.id, "in_progress")
    interview = Interview(ctx.ui, store, bank, session, questions, options, ctx.make_scorer)
    if position < len(questions):
        title = interview.rnd.title if interview.rnd else session.round_title
        has_draft = bool((store.draft(session.id, position, stage) or "").strip())
        ctx.ui.welcome_back(bank, title, position + 1, len(questions), stage, has_draft)
    return interview.run(position, stage)


# ---- storage this module needs that Store has no method for (yet) ----------------------------


def main_answer(store: Store, session_id: str, position: int) -> str:
    """The committed answer to the main question at `position` ('' when there is none)."""
    rows = [r for r in store.answers(session_id) if r["position"] == position and r["kind"] == MAIN]
    return rows[-1]["answer"] if rows else ""
