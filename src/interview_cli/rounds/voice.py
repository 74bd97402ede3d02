"""Practising out loud in a round: the preflight of the transcription and speech engines,
`--answers-audio DIR` (recorded answers named by question id, transcribed and scored without a
terminal), the RoundUI that speaks (--speak) and Listening (--listen: what was recorded in one
answer box, and that answer's delivery)."""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from interview_cli.banks.snapshot import Bank, Question
from interview_cli.errors import ExitStatus, UsageError
from interview_cli.history.rows import SessionStatus
from interview_cli.rounds import session as runner
from interview_cli.rounds.context import RoundContext
from interview_cli.rounds.finish import finish_session
from interview_cli.rounds.interview import time_limit
from interview_cli.rounds.options import RoundOptions
from interview_cli.rounds.ui import Dictation, RoundUI
from interview_cli.voice import audio, keep
from interview_cli.voice.delivery import measure
from interview_cli.voice.stt import (WHISPERCPP_INSTALL, SttChoice, TranscriptionError, engine_for, transcribe_file,
                                     whispercpp_problem)
from interview_cli.voice.transcript import Transcript

if TYPE_CHECKING:
    from interview_cli.voice.speak import Speaker

NEEDS_STT_MODEL = ("{flag} needs --stt-model: whispercpp:/path/to/ggml-base.en.bin (offline) or a "
                   "transcription model such as openai/whisper-1 — see: drill voice setup")


def stt_choice(options: RoundOptions) -> SttChoice | None:
    return SttChoice(options.stt_model, options.voice_api_base) if options.stt_model else None


def check_hosted(flag: str, model: str, api_base: str | None) -> None:
    """A hosted model without its key, or a server that is not up: one line, exit 2."""
    from interview_cli.redact import redact
    from interview_cli.scoring.preflight import listening, missing_key, provider_of

    server_flag = "--stt-api-base" if flag == "--stt-model" else "--api-base"
    if "/" not in model and not api_base and provider_of(model) is None:
        raise UsageError(f"{flag} {model} names no provider — write it as provider/model (e.g. "
                         f"{'openai/whisper-1' if flag == '--stt-model' else 'openai/tts-1'}), or pass {server_flag} "
                         "URL for a server of your own")
    variable = missing_key(model, api_base)
    if variable:
        raise UsageError(f"{flag} {model} needs an API key: set {variable}, or "
                         + ("transcribe offline with --stt-model whispercpp:/path/to/model.bin" if flag == "--stt-model"
                            else "leave out --tts-model to speak offline with espeak-ng"))
    if api_base and not listening(api_base):
        raise UsageError(f"nothing is listening at {redact(api_base)} — start the "
                         f"{'transcription' if flag == '--stt-model' else 'speech'} server or fix --stt-api-base")


def check_voice(options: RoundOptions) -> None:
    """Fail before the round starts when a transcription or speech engine cannot work: one line, exit 2."""
    if options.tts_model:
        check_hosted("--tts-model", options.tts_model, options.voice_api_base)
    if options.listen:
        from interview_cli.voice.record import recorder_problem

        problem = recorder_problem()
        if problem:
            raise UsageError(problem)
    choice = stt_choice(options)
    if choice is None:
        if options.answers_audio is not None or options.listen:
            raise UsageError(NEEDS_STT_MODEL.format(flag="--answers-audio" if options.answers_audio else "--listen"))
        return
    model_file = choice.whispercpp_model
    if model_file is not None:
        problem = whispercpp_problem(model_file)
        if problem:
            raise UsageError(problem)
        if importlib.util.find_spec("pywhispercpp") is None:
            raise UsageError(f"--stt-model whispercpp: needs pywhispercpp, which is not installed — {WHISPERCPP_INSTALL}")
        return
    check_hosted("--stt-model", choice.model, choice.api_base)


def voice_for_resume(ui: RoundUI, options: RoundOptions) -> RoundOptions:
    """A resumed round's voice, less what cannot work here: it goes on in text, with one line saying why,
    rather than refusing to resume a round the candidate did not start on this machine or setup."""
    try:
        check_voice(options)
    except UsageError as exc:
        ui.note(f"this round was spoken; resuming it in text: {exc}")
        return replace(options, listen=False, speak=False, tts_model=None)
    return options


@dataclass
class Recording:
    question: Question
    path: Path


def recordings(folder: Path, bank: Bank, round_id: str | None) -> tuple[str, list[Recording]]:
    """The recorded answers in `folder`, one per question id (file name without its suffix), in name order."""
    if not folder.is_dir():
        raise UsageError(f"--answers-audio {folder}: no such folder — name a folder of recordings such as "
                         "cache-basics.wav")
    readable = audio.readable_suffixes()
    found = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in audio.AUDIO_SUFFIXES)
    for path in found:
        if path.suffix.lower() not in readable:
            raise UsageError(f"{path.name}: drill reads {path.suffix} through ffmpeg, which is not installed — "
                             "install ffmpeg, or convert the file to .wav")
    if not found:
        raise UsageError(f"no recordings in {folder} — name each file by question id: QUESTION-ID.wav "
                         f"(also .mp3 and .m4a when ffmpeg is installed)")
    stems = [p.stem for p in found]
    repeated = sorted({s for s in stems if stems.count(s) > 1})
    if repeated:
        raise UsageError(f"{folder}: '{repeated[0]}' has more than one recording — keep one file per question id")
    round_id, questions = runner.questions_for_answers(bank, round_id, stems)
    for path in found:
        if path.suffix.lower() in audio.NATIVE:
            audio.duration(path)  # a damaged file fails now, before anything is sent
    return round_id, [Recording(q, p) for q, p in zip(questions, found, strict=True)]


def run_from_audio(ctx: RoundContext, bank: Bank, options: RoundOptions) -> ExitStatus:
    """`--answers-audio DIR`: every recording transcribed first (a failure stores nothing), then each
    transcript stored as the answer with its delivery figures, then scored like --answers."""
    round_id, found = recordings(options.answers_audio, bank, options.round_id)
    engine = engine_for(stt_choice(options))
    transcripts: list[Transcript] = []
    for number, recording in enumerate(found, 1):
        ctx.ui.note(f"Transcribing {recording.path.name} ({number} of {len(found)}) with {engine.name}…")
        transcripts.append(transcribe_file(recording.path, engine))
    rnd = bank.rounds.get(round_id)
    store = ctx.store
    session_id = runner.start_session(store, bank, round_id, [r.question for r in found],
                                      {"source": "answers-audio", "stt_model": options.stt_model})
    for position, (recording, transcript) in enumerate(zip(found, transcripts, strict=True)):
        figures = measure(transcript, time_limit(recording.question, rnd, options.minutes)).as_dict()
        kept = keep.keep_recording(recording.path, session_id, position) if options.keep_audio else None
        delivery = {**figures, "stt_model": options.stt_model, "audio_path": str(kept) if kept else None}
        runner.record(store, session_id, position, runner.Answered(recording.question, transcript.text,
                                                                   delivery=delivery))
    store.set_status(session_id, SessionStatus.UNSCORED, finished=True)
    return finish_session(ctx.ui, store, session_id, bank, options, ctx.make_scorer)


class SpeakingUI:
    """A RoundUI that also reads the interviewer's lines aloud (--speak); everything else is the inner UI's."""

    def __init__(self, inner: RoundUI, speaker: Speaker):
        self.inner = inner
        self.speaker = speaker

    def __getattr__(self, name: str):
        return getattr(self.inner, name)

    def ask(self, number: int, total: int, question: Question, seconds: float, bank: Bank | None = None,
            round_title: str | None = None) -> None:
        self.inner.ask(number, total, question, seconds, bank, round_title)
        self.speaker.say(f"Question {number} of {total}. {question.prompt}")

    def follow_up(self, prompt: str, seconds: float, number: int, *, again: bool) -> None:
        self.inner.follow_up(prompt, seconds, number, again=again)
        self.speaker.say(prompt)

    def aside(self, note: str) -> None:
        self.inner.aside(note)
        self.speaker.say(note)

    def phase_started(self, title: str, prompt: str | None) -> None:
        self.inner.phase_started(title, prompt)
        self.speaker.say(prompt or title)

    def asked(self, question: str, reply: str) -> None:
        self.inner.asked(question, reply)
        self.speaker.say(reply)

    def hint(self, text: str | None, used: int, total: int) -> None:
        self.inner.hint(text, used, total)
        if text:
            self.speaker.say(text)

    def times_up(self, wrote_something: bool) -> None:
        self.inner.times_up(wrote_something)
        self.speaker.say("Time's up.")


def run_with_voice(ctx: RoundContext, options: RoundOptions, run: Callable[[RoundContext], int]) -> int:
    """`run(ctx)`, with an interviewer who speaks when --speak asks for one (and a speech engine is there)."""
    spoken = speaking(ctx.ui, options) if options.speak else None
    if spoken is None:
        return run(ctx)
    try:
        return run(replace(ctx, ui=spoken))
    finally:
        spoken.speaker.close()


def speaking(ui: RoundUI, options: RoundOptions) -> SpeakingUI | None:
    """The UI that speaks, or None (with one line saying what to install) when there is no speech engine."""
    from interview_cli.voice.speak import Speaker, SpeechUnavailable, audio_out, synthesiser

    try:
        synthesise = synthesiser(options.tts_model, options.voice_api_base)
    except SpeechUnavailable as exc:
        ui.error(str(exc))
        return None
    return SpeakingUI(ui, Speaker(synthesise, ui.error_from_thread, audio_out()))


class Listening:
    """--listen: the recordings made in one answer box, transcribed, and that answer's delivery from them."""

    def __init__(self, options: RoundOptions):
        self.model = options.stt_model
        self.engine = engine_for(stt_choice(options))
        self.keep_audio = options.keep_audio
        self.parts: list[Transcript] = []
        self.recordings: list[Path] = []
        self.unconfirmed: Transcript | None = None  # transcribed, not yet in the box
        self.generation = 0  # counts resets: a transcription finishing after one belongs to no answer
        self.answer = ("", 0, "main")  # (session_id, position, kind) of the answer box recording now
        self.failed = 0  # recordings of this round kept untranscribed, for their names
        self._warm_up()

    def _warm_up(self) -> None:
        """Pay the engine's start-up (litellm's import, or loading the whisper.cpp model) while the
        candidate reads the question, so stopping a recording gives text quickly."""
        import threading

        from interview_cli.errors import DrillError

        def warm() -> None:
            try:
                if hasattr(self.engine, "load"):
                    self.engine.load()
                else:
                    from interview_cli.voice.llm import warm_up

                    warm_up()
            except (DrillError, ImportError, OSError, RuntimeError):
                pass  # the first transcription reports the problem in one line

        threading.Thread(target=warm, name="drill-stt-warm-up", daemon=True).start()

    def dictation(self, session_id: str = "", position: int = 0, kind: str = "main") -> Dictation:
        """Recording for the answer box of (session_id, position, kind), where failed recordings are kept."""
        from interview_cli.voice.record import start_recording

        self.answer = (session_id, position, kind)
        return Dictation(start=start_recording, finish=self.finish, discard=lambda recording: recording.discard(),
                         inserted=self.inserted)

    def finish(self, recording) -> str:
        """Stop a recording and return its text; its words keep their times after the earlier recordings'."""
        path = recording.stop()
        self.recordings.append(path)
        if recording.failed and recording.seconds < 0.1:
            from interview_cli.voice.record import RecordingError

            raise RecordingError(recording.failed)
        generation = self.generation
        try:
            transcript = transcribe_file(path, self.engine)
        except TranscriptionError as exc:
            raise TranscriptionError(f"{exc} — {self._untranscribed(path)}") from None
        offset = sum(p.duration or 0.0 for p in self.parts)
        length = transcript.duration or recording.seconds
        if generation == self.generation:  # not a transcription the answer box gave up on
            self.unconfirmed = Transcript(transcript.text, transcript.words, length, transcript.timing).shifted(offset)
        return transcript.text

    def inserted(self) -> None:
        """The text `finish` last returned reached the answer box: its words count in the delivery."""
        if self.unconfirmed is not None:
            self.parts.append(self.unconfirmed)
            self.unconfirmed = None

    def _untranscribed(self, path: Path) -> str:
        """Where a recording that was not transcribed is: kept with --keep-audio, else until the answer is sent."""
        if not self.keep_audio or not self.answer[0]:
            return f"this recording was not transcribed; it is at {path} until the answer is submitted"
        session_id, position, kind = self.answer
        self.failed += 1
        kept = keep.keep_recording(path, session_id, position, f"{kind}-untranscribed-{self.failed}")
        self.recordings.remove(path)
        path.unlink(missing_ok=True)
        return f"this recording was not transcribed; kept at {kept}"

    def reset(self) -> None:
        for path in self.recordings:
            path.unlink(missing_ok=True)
        self.parts, self.recordings, self.unconfirmed = [], [], None
        self.generation += 1

    def take_delivery(self, session_id: str, position: int, kind: str, limit_seconds: float) -> dict | None:
        """The delivery of what was dictated into this answer (None when nothing was), recordings kept
        with --keep-audio, then forgotten."""
        if not self.parts:
            self.reset()
            return None
        from interview_cli.voice.transcript import joined

        figures = measure(joined(self.parts), limit_seconds).as_dict()
        kept = [keep.keep_recording(path, session_id, position, f"{kind}-{i}" if i > 1 else kind)
                for i, path in enumerate(self.recordings, 1)] if self.keep_audio else []
        self.reset()
        return {**figures, "stt_model": self.model, "audio_path": str(kept[0]) if kept else None}
