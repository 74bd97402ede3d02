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
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from interview_cli.banks.snapshot import Bank, Question, Round
from interview_cli.banks.sources import DEFAULT_QUESTION_MINUTES
from interview_cli.clock import Clock, format_clock
from interview_cli.errors import DrillError, ExitStatus, UsageError
from interview_cli.files import WriteError
from interview_cli.history.db import StorageError, Store
from interview_cli.history.rows import (
    RESUMABLE,
    AnswerKind,
    DraftKind,
    SessionRow,
    SessionStatus,
    Transcript,
)
from interview_cli.redact import storable_url
from interview_cli.rounds import recovery
from interview_cli.rounds import session as runner
from interview_cli.rounds.context import RoundContext, ScorerFactory
from interview_cli.rounds.finish import check_model, finish_session
from interview_cli.rounds.options import Persona, RoundOptions
from interview_cli.rounds.phases import PhaseClock, PlannedPhase, nudge, plan_phases, toolbar_label
from interview_cli.rounds.plan import planned_questions
from interview_cli.rounds.ui import CodeBox, EditorAction, Pace, RoundUI
from interview_cli.scoring.base import FollowUp
from interview_cli.voice.options import SESSION_OPTIONS

FOLLOW_UP_SHARE = 0.4  # a follow-up gets this share of its question's time ...
FOLLOW_UP_MIN_SECONDS = 60.0  # ... but at least a minute, unless --minutes says otherwise
LLM_FOLLOW_UP_TIMEOUT = 15.0  # seconds one follow-up request may take before the bank's is used
LLM_FOLLOW_UP_RETRY = 5.0  # seconds of retries (429, 5xx) on top
WARM_UP_SETTLE_SECONDS = 30.0  # at most this long at the end of a round for the model warm-up to finish

CLOCK_SAVE_EVERY = 5.0  # seconds between saves of the clock while a phase clock runs
COMPLEXITY_FOLLOW_UP = "What are the time and space complexity of your solution, and why?"


# ---- timing ---------------------------------------------------------------------------


def time_limit(question: Question, rnd: Round | None, minutes: float | None, stage: AnswerKind = AnswerKind.MAIN) -> float:
    """Seconds to answer `question` (stage AnswerKind.MAIN) or its follow-up (AnswerKind.FOLLOW_UP).

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
    if stage == AnswerKind.FOLLOW_UP:
        return max(FOLLOW_UP_MIN_SECONDS, FOLLOW_UP_SHARE * seconds)
    return seconds


# ---- settings kept with the session ---------------------------------------------------


def session_options(options: RoundOptions) -> dict:
    """What resume needs to ask the rest of the round the same way (stored in sessions.options)."""
    return {"source": "interactive", "minutes": options.minutes, "follow_ups": options.follow_ups,
            "model": options.model, "api_base": storable_url(options.api_base), "seed": options.seed,
            "persona": str(options.persona), **voice_options(options)}


def voice_options(options: RoundOptions) -> dict:
    """--speak, --listen and their engines, when used: a resumed round speaks and listens again."""
    saved = {name: getattr(options, name) for name in SESSION_OPTIONS if getattr(options, name)}
    if options.stt_api_base:
        saved["stt_api_base"] = storable_url(options.stt_api_base)
    return saved


def options_from_session(session: SessionRow, model: str | None = None, api_base: str | None = None) -> RoundOptions:
    """The round's options for resume: the stored model and api base, unless --model or --api-base say otherwise."""
    saved = session.options or {}
    persona = saved.get("persona")
    return RoundOptions(round_id=session.round, minutes=saved.get("minutes"),
                        follow_ups=bool(saved.get("follow_ups", True)), model=model, api_base=api_base,
                        session_model=saved.get("model"), session_api_base=saved.get("api_base"),
                        persona=Persona(persona) if persona in set(Persona) else Persona.NEUTRAL,
                        **{name: saved[name] for name in SESSION_OPTIONS if saved.get(name)})


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

    def settle(self) -> None:
        """Waits for the warm-up to end: a daemon thread still importing native code when the
        interpreter exits can abort the process ("FATAL: exception not rethrown")."""
        if self._thread is not None:
            self._thread.join(WARM_UP_SETTLE_SECONDS)

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

                self._model_choice = resolve_model(self.options.model, self.options.api_base,
                                                   session_model=self.options.session_model,
                                                   session_api_base=self.options.session_api_base)
            except (DrillError, ImportError):
                self._model_choice = False
        return self._model_choice.model if self._model_choice else None

    def write(self, question: Question, answer: str, phases: list[PlannedPhase] | None = None,
              reached: int = 0) -> str | None:
        """`phases` and `reached` (the index of the last phase the answer got to) shape the follow-up
        of a design answer: the model is told the phase; offline, the phases' probes join the bank's."""
        model = self._model()
        phase = phases[min(reached, len(phases) - 1)].title if phases else None
        if model:
            try:
                from interview_cli.scoring.llm import write_follow_up

                with self.ui.busy("Thinking of a follow-up…"):
                    text = write_follow_up(model, self._model_choice.api_base, question, answer, phase=phase,
                                           persona=str(self.options.persona),
                                           timeout=LLM_FOLLOW_UP_TIMEOUT, retry_budget=LLM_FOLLOW_UP_RETRY)
                if text and text.strip():
                    return text.strip()
            except Exception:  # noqa: BLE001 - any failure: the bank's follow-up, said quietly
                self.ui.aside(f"(couldn't get a follow-up from {model}; asking one from the bank)")
        return self.offline(question, answer, offline_candidates(question, phases or [], reached, self.options.persona))

    def offline(self, question: Question, answer: str, candidates: list[str] | None = None) -> str | None:
        candidates = candidates if candidates is not None else list(question.follow_ups)
        fallback = candidates[0] if candidates else None
        if self._thread is None:
            self.warm()
        if self._thread is not None:
            self._thread.join()
        if self._offline is None:
            return fallback
        try:
            from interview_cli.scoring.offline.scorer import pick_follow_up

            return pick_follow_up(question, self._offline.coverage(question, answer), answer, candidates)
        except Exception:  # noqa: BLE001 - the interview goes on with the bank's first follow-up
            return fallback

    def clarify(self, question: Question, asked: str) -> tuple[str, str]:
        """(reply, source) for a clarifying question: the model as interviewer when one is configured,
        grounded in the facts; else the matching fact offline, or the fallback reply."""
        model = self._model()
        if model:
            try:
                from interview_cli.scoring.llm import answer_clarifying

                with self.ui.busy("…"):
                    text = answer_clarifying(model, self._model_choice.api_base, question, asked,
                                             persona=str(self.options.persona),
                                             timeout=LLM_FOLLOW_UP_TIMEOUT, retry_budget=LLM_FOLLOW_UP_RETRY)
                return text, model
            except Exception:  # noqa: BLE001 - any failure: the facts answer offline, said quietly
                self.ui.aside(f"(couldn't get an answer from {model}; answering from the interviewer's notes)")
        from interview_cli.rounds.ask import FALLBACK_REPLY, offline_reply

        try:
            reply = offline_reply(question, asked)
        except DrillError:  # the offline model is missing: an interviewer with no notes at hand
            return FALLBACK_REPLY, "fallback"
        return reply.text, ("fact" if reply.fact is not None else "fallback")


def offline_candidates(question: Question, phases: list[PlannedPhase], reached: int, persona: str) -> list[str]:
    """Follow-ups to choose from offline: the bank's, and the probes of the phases the answer reached.

    A friendly interviewer draws on the earlier phases' probes first; a tough one on the deepest
    phase reached and the bank's own follow-ups, which target the rubric."""
    probes = [p for phase in phases[: reached + 1] for p in phase.probes]
    if persona == Persona.FRIENDLY:
        return probes + list(question.follow_ups)
    if persona == Persona.TOUGH:
        deepest = list(phases[min(reached, len(phases) - 1)].probes) if phases else []
        return list(question.follow_ups) + deepest
    return list(question.follow_ups) + probes


# ---- one answer -------------------------------------------------------------------------


@dataclass
class AnswerClock:
    """An answer's clock as drafts keep it: the time used so far, and when each phase started
    (seconds into the answer) with the text as it stood then."""

    elapsed: float = 0.0
    starts: list[float] = field(default_factory=lambda: [0.0])
    snapshots: list[str] = field(default_factory=lambda: [""])

    def dump(self) -> str:
        return json.dumps(dataclasses.asdict(self))

    @classmethod
    def load(cls, raw: str | None, phases: int) -> AnswerClock:
        try:
            data = json.loads(raw) if raw else {}
            clock = cls(float(data.get("elapsed", 0.0)), [float(x) for x in data.get("starts", [0.0])],
                        [str(x) for x in data.get("snapshots", [""])])
        except (ValueError, TypeError, AttributeError):
            return cls()
        if not clock.starts or len(clock.starts) != len(clock.snapshots) or len(clock.starts) > max(1, phases):
            clock.starts, clock.snapshots = [0.0], [""]
        return clock


@dataclass
class Outcome:
    text: str
    skipped: bool = False
    auto_submitted: bool = False
    quit: bool = False
    seconds: float | None = None
    hints: list[str] = field(default_factory=list)
    clock: AnswerClock | None = None


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
        self._out_of_hints: set[tuple[int, AnswerKind]] = set()  # (position, kind) already told there are no more
        self.listening = None  # --listen: spoken answers, transcribed into the box
        if options.listen:
            from interview_cli.rounds.voice import Listening

            self.listening = Listening(options)

    def delivery(self, position: int, kind: AnswerKind, seconds: float, skipped: bool) -> dict | None:
        """The delivery of what the candidate dictated into this answer (--listen), else None."""
        if self.listening is None:
            return None
        if skipped:
            self.listening.reset()
            return None
        return self.listening.take_delivery(self.session_id, position, str(kind), seconds)

    @property
    def session_id(self) -> str:
        return self.session.id

    def round_of(self, question: Question) -> str | None:
        """The title of the question's round, when the session mixes rounds (--due); else None."""
        if self.rnd is not None:
            return None
        found = self.bank.find_question(question.id)
        return self.bank.rounds[found[0]].title if found else None

    def seconds_for(self, question: Question, stage: AnswerKind = AnswerKind.MAIN) -> float:
        return time_limit(question, self.rnd, self.options.minutes, stage)

    def phases_for(self, question: Question) -> list[PlannedPhase]:
        """The question's phases (its own, else its round's) scaled to its time; [] without phases."""
        phases = self.rnd.phases_for(question) if self.rnd else list(question.phases or [])
        return plan_phases(phases, self.seconds_for(question))

    def round_budget(self) -> float | None:
        """The round's whole time, follow-ups included, when follow-ups come out of it: the bank's
        round minutes. None with --minutes (each answer then gets that time) or without follow-ups."""
        if self.options.minutes or not self.options.follow_ups or self.rnd is None or not self.rnd.minutes:
            return None
        return self.rnd.minutes * 60

    def follow_up_seconds(self, position: int, question: Question) -> float | None:
        """The follow-up's time: its usual share, out of what is left of the round after the time used
        so far and the later questions' time; None when less than a minute would be left."""
        usual = self.seconds_for(question, AnswerKind.FOLLOW_UP)
        budget = self.round_budget()
        if budget is None:
            return usual
        used = sum(answer.seconds or 0.0 for answer in self.store.answers(self.session_id))
        later = sum(self.seconds_for(q) for q in self.questions[position + 1:])
        left = budget - used - later
        return None if left < FOLLOW_UP_MIN_SECONDS else min(usual, left)

    # ---- the round -----------------------------------------------------------

    def run(self, position: int = 0, stage: AnswerKind = AnswerKind.MAIN) -> int:
        try:
            return self._run(position, stage)
        finally:
            self.follow_ups.settle()

    def _run(self, position: int, stage: AnswerKind) -> int:
        total = len(self.questions)
        try:
            while position < total:
                if self._position(position, stage) == "quit":
                    self.store.set_status(self.session_id, SessionStatus.UNFINISHED)
                    self.ui.stopped(self.session_id)
                    return ExitStatus.INTERRUPTED
                position, stage = position + 1, AnswerKind.MAIN
        finally:
            if self.listening is not None:
                self.listening.reset()  # recordings of an answer left unsubmitted are not kept
        self.ui.closing()
        self.store.set_status(self.session_id, SessionStatus.UNSCORED, finished=True)
        return finish_session(self.ui, self.store, self.session_id, self.bank, self.options, self.make_scorer)

    def _position(self, position: int, stage: AnswerKind) -> str:
        question = self.questions[position]
        number, total = position + 1, len(self.questions)
        seconds = self.seconds_for(question)
        phases = self.phases_for(question)
        last = number == total
        if stage == AnswerKind.MAIN:
            def show() -> None:
                self.ui.ask(number, total, question, seconds, self.bank, self.round_of(question))

            show()
            if phases:  # the phase the answer is in: the first, or where a resumed answer stopped
                reached = len(AnswerClock.load(self.store.draft(self.session_id, position, DraftKind.CLOCK_MAIN),
                                               len(phases)).starts)
                current = phases[min(reached, len(phases)) - 1]
                self.ui.phase_started(current.title, current.prompt)
            outcome = self._answer(position, AnswerKind.MAIN, question, seconds, show, phases)
            if outcome.quit:
                return "quit"
            try:
                delivery = self.delivery(position, AnswerKind.MAIN, seconds, outcome.skipped)
                report = runner.record(self.store, self.session_id, position,
                                       runner.Answered(question, outcome.text, skipped=outcome.skipped,
                                                       delivery=delivery),
                                       hints=outcome.hints, auto_submitted=outcome.auto_submitted,
                                       seconds=outcome.seconds)
            except StorageError as exc:
                raise self._rescue(position, AnswerKind.MAIN, outcome.text, exc) from None
            if report is not None:
                self.ui.tests_ran(report)
            if phases and outcome.clock is not None:
                self._record_phases(position, phases, outcome)
            self.store.delete_draft(self.session_id, position, DraftKind.HINTS)
            self.store.delete_draft(self.session_id, position, DraftKind.CLOCK_MAIN)
            if outcome.skipped or not outcome.text.strip() or not self.options.follow_ups:
                self.ui.acknowledged(last)
                return "next"
            answer = outcome.text
            reached = len(outcome.clock.starts) - 1 if outcome.clock else 0
        else:  # resumed at the follow-up: show the question it follows for context
            self.ui.ask(number, total, question, seconds, self.bank, self.round_of(question))
            asked = self.store.transcript(self.session_id).questions[position]
            answer = asked.main.answer
            reached = max(0, sum(1 for p in asked.phases if p.started_seconds is not None) - 1)
        follow_seconds = self.follow_up_seconds(position, question)
        if follow_seconds is None:
            self.ui.aside("(no time left in the round for a follow-up)")
            self.ui.acknowledged(last)
            return "next"
        prompt = self.store.draft(self.session_id, position, DraftKind.FOLLOW_UP_PROMPT)
        if not prompt and question.code is not None and question.code.complexity:
            prompt = COMPLEXITY_FOLLOW_UP
        if not prompt:
            prompt = self.follow_ups.write(question, answer, phases, reached)
            if not prompt:
                self.ui.acknowledged(last)
                return "next"
            self.store.save_draft(self.session_id, position, DraftKind.FOLLOW_UP_PROMPT, prompt)

        def show_follow_up(again: bool = True) -> None:
            self.ui.follow_up(prompt, follow_seconds, number, again=again)

        show_follow_up(again=False)
        outcome = self._answer(position, AnswerKind.FOLLOW_UP, question, follow_seconds, show_follow_up)
        if outcome.quit:
            return "quit"
        text = "" if outcome.skipped else outcome.text  # what was typed before /skip is not graded
        try:
            runner.record_follow_up(self.store, self.session_id, position, question.id, FollowUp(prompt, text),
                                    skipped=outcome.skipped, auto_submitted=outcome.auto_submitted,
                                    seconds=outcome.seconds,
                                    delivery=self.delivery(position, AnswerKind.FOLLOW_UP, follow_seconds,
                                                           outcome.skipped))
        except StorageError as exc:
            raise self._rescue(position, AnswerKind.FOLLOW_UP, text, exc) from None
        self.store.delete_draft(self.session_id, position, DraftKind.FOLLOW_UP_PROMPT)
        self.store.delete_draft(self.session_id, position, DraftKind.CLOCK_FOLLOW_UP)
        self.ui.acknowledged(last)
        return "next"

    def _record_phases(self, position: int, phases: list[PlannedPhase], outcome: Outcome) -> None:
        from interview_cli.history.time_use import time_use
        from interview_cli.rounds.phases import phase_texts

        state = outcome.clock
        finished = outcome.seconds if outcome.seconds is not None else state.elapsed
        uses = time_use(phases, state.starts, finished)
        texts = phase_texts(state.snapshots, outcome.text)
        self.store.save_phases(self.session_id, position, [
            {"phase": use.id, "title": use.title, "budget_seconds": round(use.budget, 1),
             "started_seconds": round(state.starts[i], 1) if i < len(state.starts) else None,
             "used_seconds": round(use.used, 1) if use.used is not None else None,
             "text": texts[i] if i < len(texts) else ""}
            for i, use in enumerate(uses)])

    def _answer(self, position: int, kind: AnswerKind, question: Question, seconds: float,
                show: Callable[[], None], phases: list[PlannedPhase] | None = None) -> Outcome:
        clock = Clock(seconds)
        draft_kind, clock_kind = DraftKind(kind), DraftKind.clock_of(kind)
        state = AnswerClock.load(self.store.draft(self.session_id, position, clock_kind), len(phases or []))
        clock.spend(state.elapsed)
        phase_clock = PhaseClock(phases, state.starts) if phases else None
        text = self.store.draft(self.session_id, position, draft_kind) or ""
        code = code_box(question) if kind == AnswerKind.MAIN else None
        if code is not None and not text and question.code.starter:
            text = question.code.starter.rstrip()
        hints = self._hints(position) if kind == AnswerKind.MAIN else []
        saved = {"text": text, "clock_at": time.monotonic()}
        if self.listening is not None:
            self.listening.reset()  # recordings belong to the answer they were made in
        dictation = {"dictation": self.listening.dictation(self.session_id, position, str(kind))} \
            if self.listening is not None else {}

        def keep_clock() -> None:
            state.elapsed = round(clock.elapsed(), 1)
            with contextlib.suppress(StorageError):  # on a full disk the clock is kept in memory only
                self.store.save_draft(self.session_id, position, clock_kind, state.dump())
            saved["clock_at"] = time.monotonic()

        def save(value: str) -> None:
            """The editor's draft callback: a failure (a full disk) reaches the editor, which warns."""
            if value != saved["text"]:
                try:
                    self.store.save_draft(self.session_id, position, draft_kind, value)
                except StorageError as exc:
                    raise DraftNotSaved(exc.problem) from None
                saved["text"] = value
                keep_clock()

        def on_tick(current: str) -> str | None:
            elapsed = clock.elapsed()
            if phase_clock.due(elapsed):
                upcoming = phase_clock.advance(elapsed)
                state.snapshots.append(current)
                keep_clock()
                return nudge(elapsed, upcoming, str(self.options.persona))
            if time.monotonic() - saved["clock_at"] >= CLOCK_SAVE_EVERY:
                keep_clock()
            return None

        pace = None
        if phase_clock is not None:
            pace = Pace(lambda: toolbar_label(phase_clock, clock.elapsed(), clock.remaining(), format_clock), on_tick)

        def done(**how) -> Outcome:
            state.elapsed = round(clock.elapsed(), 1)
            return Outcome(text, hints=hints, clock=state, **how)

        def keep(value: str) -> None:
            """Save the draft before the editor closes for good; on a full disk, the recovery file."""
            try:
                save(value)
            except DraftNotSaved:
                if value.strip():
                    raise self._rescue(position, kind, value, None) from None

        while True:
            # The follow-up model warms in a thread once the editor is live, never before.
            result = self.ui.edit(clock, text, save, self.follow_ups.warm, code=code, pace=pace, **dictation)
            text = result.text
            if result.action in (EditorAction.SUBMIT, EditorAction.TIMEOUT, EditorAction.SKIP):
                text = text.rstrip()  # trailing blank lines are not part of the answer
                with contextlib.suppress(DraftNotSaved):
                    save(text)  # the answer itself is committed next, or rescued
                if result.action == EditorAction.SUBMIT:
                    return done(seconds=round(clock.elapsed(), 1))
                if result.action == EditorAction.TIMEOUT:
                    self.ui.times_up(bool(text.strip()))
                    return done(auto_submitted=True, seconds=round(clock.limit, 1))
                self.ui.skipped()
                return done(skipped=True, seconds=round(clock.elapsed(), 1))
            if result.action == EditorAction.QUIT:
                keep(text)
                keep_clock()
                return Outcome(text, quit=True)
            with contextlib.suppress(DraftNotSaved):
                save(text)
            keep_clock()
            if result.action == EditorAction.INTERRUPT:
                clock.pause()
                try:
                    leave = self.ui.confirm_quit()
                finally:
                    clock.resume()
                if leave:
                    keep(text)
                    return Outcome(text, quit=True)
                continue  # back to the same spot of the draft
            if result.action == EditorAction.HINT:
                self._hint(position, kind, question, hints)
            elif result.action == EditorAction.REPEAT:
                show()
            elif result.action == EditorAction.NEXT:
                self._next_phase(phase_clock, state, clock, text)
                keep_clock()
            elif result.action == EditorAction.ASK:
                self._clarify(position, question, result.argument, clock, phase_clock)
            if text.strip() and not text.endswith("\n"):
                text += "\n"  # the command was typed on its own line: carry on from a fresh one

    def _rescue(self, position: int, kind: AnswerKind, text: str, exc: StorageError | None) -> DrillError:
        """The history cannot take this answer: keep it in a recovery file (or, failing that, on screen)."""
        problem = exc.problem if exc is not None else "the disk is full"
        try:
            path = recovery.keep(self.session_id, position, kind, text)
        except WriteError:
            self.ui.unsaved(text)
            return DrillError(f"cannot save your answer: {problem} — it is printed above; copy it, free some space, "
                              f"then run: drill resume {self.session_id}")
        return DrillError(f"cannot save your answer: {problem} — it is kept in {path}; free some space, "
                          f"then run: drill resume {self.session_id}")

    def _next_phase(self, phase_clock: PhaseClock | None, state: AnswerClock, clock: Clock, text: str) -> None:
        if phase_clock is None:
            self.ui.aside("(this answer has no phases; /next works in a system-design answer)")
            return
        upcoming = phase_clock.advance(clock.elapsed())
        if upcoming is None:
            self.ui.aside("(this is the last phase; submit with Esc Enter when you're done)")
            return
        state.snapshots.append(text)
        self.ui.phase_started(upcoming.title, upcoming.prompt)

    def _clarify(self, position: int, question: Question, asked: str, clock: Clock,
                 phase_clock: PhaseClock | None) -> None:
        """/ask: the interviewer's reply, recorded with when it was asked; the clock waits for drill."""
        at = round(clock.elapsed(), 1)
        clock.pause()
        try:
            reply, source = self.follow_ups.clarify(question, asked)
        finally:
            clock.resume()
        self.store.add_ask(self.session_id, position=position, question=asked, reply=reply, source=source,
                           phase=phase_clock.current.id if phase_clock else None, at_seconds=at)
        self.ui.asked(asked, reply)

    def _hint(self, position: int, kind: AnswerKind, question: Question, hints: list[str]) -> None:
        available = list(question.hints) if kind == AnswerKind.MAIN else []
        if len(hints) < len(available):
            hints.append(available[len(hints)])
            self.store.save_draft(self.session_id, position, DraftKind.HINTS, json.dumps(hints))
            self.ui.hint(hints[-1], len(hints), len(available))
            return
        if (position, kind) in self._out_of_hints:
            return  # said once already, just above the answer box
        self._out_of_hints.add((position, kind))
        if kind != AnswerKind.MAIN:
            self.ui.no_hint_for_follow_up()
        else:
            self.ui.hint(None, len(hints), len(available))

    # ---- drafts kept beside the answer ------------------------------------------

    def _hints(self, position: int) -> list[str]:
        raw = self.store.draft(self.session_id, position, DraftKind.HINTS)
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
    seen_before = bool(store.sessions(company=bank.company_slug, limit=1))
    session_id = runner.start_session(store, bank, round_id, questions, session_options(options))
    session = store.session(session_id)
    interview = Interview(ctx.ui, store, bank, session, questions, options, ctx.make_scorer)
    limits = [interview.seconds_for(q) for q in questions]
    phases = [(p.title, p.seconds) for p in interview.phases_for(questions[0])]
    ctx.ui.opening(bank, round_id, bank.rounds.get(round_id), limits, options.follow_ups,
                   about_in_full=options.about or not seen_before, budget=interview.round_budget(),
                   phases=phases or None)
    say_isolation(ctx.ui, questions)
    return interview.run()


def say_isolation(ui: RoundUI, questions: list[Question]) -> None:
    """Once, in the opening of a round with code to run: when network and file isolation are unavailable."""
    if any(q.code is not None for q in questions):
        from interview_cli.coding import isolation

        notice = isolation().notice()
        if notice:
            ui.aside(notice)


def code_box(question: Question) -> CodeBox | None:
    """The code editor's side of a coding question: /run runs its visible tests."""
    if question.code is None:
        return None
    from interview_cli.rounds import coding

    visible = [(json.dumps(t.args), json.dumps(t.expected)) for t in question.code.tests]
    return CodeBox(lambda source: coding.run_visible(question, source), visible, question.code.time_limit_s)


def find_resumable(store: Store, session_id: str | None) -> SessionRow:
    if session_id:
        session = store.session(session_id)
        if session.status not in RESUMABLE:
            if session.status == SessionStatus.UNSCORED:
                raise UsageError(f"session {session.id} is already finished (all answers in) — "
                                 f"score it with: drill score {session.id}")
            raise UsageError(f"session {session.id} is already finished and scored — "
                             f"see it with: drill report {session.id}, or re-score it with: drill score {session.id}")
        return session
    newest = store.newest_session(RESUMABLE)
    if newest is None and store.newest_session() is None:
        raise UsageError("no sessions yet, so nothing to resume — start one with: drill netflix backend "
                         "(see: drill banks list)")
    if newest is None:
        raise UsageError("nothing to resume — every session is finished; start a round with: drill COMPANY ROLE")
    return store.session(newest)


def resume_point(transcript: Transcript, follow_ups: bool) -> tuple[int, AnswerKind]:
    """(position, answer kind) of the first step of the plan with no committed answer."""
    for question in transcript.questions:
        if not question.answered:
            return question.position, AnswerKind.MAIN
        if follow_ups and question.gave_an_answer and not question.follow_ups:
            return question.position, AnswerKind.FOLLOW_UP
    return len(transcript.questions), AnswerKind.MAIN


def resume(ctx: RoundContext, session_id: str | None, catalog, *, model: str | None = None,
           api_base: str | None = None, answers=None, json_out: bool = False) -> int:
    """`drill resume [SESSION_ID]`: continue an in-progress or unfinished session in a terminal, or finish it
    from an answers file without one."""
    store = ctx.store
    session = find_resumable(store, session_id)
    if answers is not None:
        from interview_cli.rounds.scripted import finish_from_answers_file

        options = dataclasses.replace(options_from_session(session, model=model, api_base=api_base),
                                      answers=answers, json_out=json_out)
        return finish_from_answers_file(ctx, session, runner.bank_for_session(session, catalog), options)
    if not ctx.ui.interactive:
        raise UsageError(f"drill resume needs a terminal to ask questions in (stdin and stdout are not both a "
                         f"TTY) — run it in a terminal; session {session.id} stays saved")
    bank = runner.bank_for_session(session, catalog)
    questions = [runner.session_question(session, bank, qid) for qid in session.plan]
    options = options_from_session(session, model=model, api_base=api_base)
    check_model(options)
    from interview_cli.rounds import voice  # built on this module: imported when used

    options = voice.voice_for_resume(ctx.ui, options)
    return voice.run_with_voice(ctx, options, lambda ctx: _continue(ctx, session, bank, questions, options))


def _continue(ctx: RoundContext, session: SessionRow, bank: Bank, questions: list[Question],
              options: RoundOptions) -> int:
    store = ctx.store
    position, stage = resume_point(store.transcript(session.id), options.follow_ups)
    store.set_status(session.id, SessionStatus.IN_PROGRESS)
    take_recovered(ctx.ui, store, session)
    interview = Interview(ctx.ui, store, bank, session, questions, options, ctx.make_scorer)
    if position < len(questions):
        title = interview.rnd.title if interview.rnd else session.round_title
        has_draft = bool((store.draft(session.id, position, DraftKind(stage)) or "").strip())
        question = questions[position]
        at_follow_up = stage == AnswerKind.FOLLOW_UP
        limit = interview.follow_up_seconds(position, question) if at_follow_up else interview.seconds_for(question)
        used = AnswerClock.load(store.draft(session.id, position, DraftKind.clock_of(stage)), 0).elapsed
        left = max(0.0, limit - used) if limit else None
        ctx.ui.welcome_back(bank, title, position + 1, len(questions), at_follow_up, has_draft, left=left)
        say_isolation(ctx.ui, questions[position:])
    return interview.run(position, stage)


def take_recovered(ui: RoundUI, store: Store, session: SessionRow) -> None:
    """Answers a full disk kept out of the history go back in as drafts (in the answer box), files deleted."""
    answered = {(row.position, row.kind) for row in store.answers(session.id)}
    for item in recovery.pending(session.id):
        if (item.position, item.kind) not in answered:
            store.save_draft(session.id, item.position, DraftKind(item.kind), item.text)
            ui.aside(f"Recovered your unsaved answer to question {item.position + 1} from {item.path}; "
                     "it is back in the answer box.")
        recovery.forget(item.path)


class DraftNotSaved(Exception):
    """A draft the history could not take; the editor shows it and keeps the text."""
