"""A real OpenAI-compatible transcription server on 127.0.0.1 for tests and benchmarks.

`POST /v1/audio/transcriptions` takes multipart form data as OpenAI's does (file, model,
response_format, timestamp_granularities[]) and answers in OpenAI's verbose_json shape: task,
language, duration, text, words [{word, start, end}] and segments [{id, seek, start, end, text,
tokens, temperature, avg_logprob, compression_ratio, no_speech_prob}]. Errors are OpenAI's status
and body: {"error": {"message", "type", "param", "code"}}.

What it says is decided by the test: `scripts` maps the SHA-256 of a WAV file's sample frames to
the words (and their times) it "hears" in it; any other audio gets `default_words(seconds)`: one
word, "audio", at the middle of the chunk, with its length in seconds as a second word.

    ok           the scripted (or default) words
    empty        text "" and no words (a silent recording)
    bad_request  400 invalid_request_error every time
    auth         401 invalid_api_key every time
    segments     only segments, no word list (servers that time segments only)
    text_only    400 for verbose_json, as OpenAI answers for gpt-4o-transcribe; {"text": ...} for json
    html         200 with a proxy's text/html "502 Bad Gateway" page instead of JSON
    text_list    200 JSON whose text is a list, not a string
    bad_times    the scripted words with one start "abc" and one null (and a segment likewise)
    server_error 500 server_error every time

    with FakeSttServer() as server:
        server.scripts[frames_sha256(path)] = [("Um,", 0.0, 0.3), ("so", 0.4, 0.6), ...]
        server.base_url   # "http://127.0.0.1:PORT/v1"
        server.requests   # list of RecordedUpload
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
import time
import wave
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ScriptedWords = list[tuple[str, float, float]]


@dataclass
class RecordedUpload:
    path: str
    headers: dict[str, str]
    fields: dict[str, list[str]]
    filename: str
    audio: bytes
    handled_seconds: float = 0.0  # the server's own time on this request (parsing, hashing, answering)

    @property
    def seconds(self) -> float:
        with wave.open(io.BytesIO(self.audio), "rb") as wav:
            return wav.getnframes() / wav.getframerate()


def frames_sha256(path_or_bytes: Path | bytes) -> str:
    """The SHA-256 of a WAV file's sample frames (the same whatever header drill writes around them)."""
    source = io.BytesIO(path_or_bytes) if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
    with wave.open(source, "rb") as wav:
        return hashlib.sha256(wav.readframes(wav.getnframes())).hexdigest()


def default_words(seconds: float) -> ScriptedWords:
    middle = round(seconds / 2, 2)
    return [("audio", middle, round(middle + 0.5, 2)), (f"{seconds:g}s", round(middle + 0.6, 2), round(middle + 1.0, 2))]


def _error(status: int, message: str, kind: str, code: str | None = None) -> tuple[int, bytes]:
    body = {"error": {"message": message, "type": kind, "param": None, "code": code}}
    return status, (json.dumps(body, indent=4) + "\n").encode()


def verbose_json(words: ScriptedWords, seconds: float) -> dict:
    text = " ".join(w for w, _, _ in words)
    segment = {"id": 0, "seek": 0, "start": words[0][1] if words else 0.0, "end": words[-1][2] if words else 0.0,
               "text": " " + text if text else "", "tokens": [50364 + i for i in range(len(words))],
               "temperature": 0.0, "avg_logprob": -0.2, "compression_ratio": 1.1, "no_speech_prob": 0.01}
    return {
        "task": "transcribe", "language": "english", "duration": round(seconds, 2), "text": text,
        "words": [{"word": w.strip(",.?!").strip(), "start": s, "end": e} for w, s, e in words],
        "segments": [segment] if words else [],
        "usage": {"type": "duration", "seconds": int(seconds + 0.999)},
    }


@dataclass
class FakeSttServer:
    mode: str = "ok"
    latency: float = 0.0
    scripts: dict[str, ScriptedWords] = field(default_factory=dict)
    requests: list[RecordedUpload] = field(default_factory=list)

    def __enter__(self) -> FakeSttServer:
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                started = time.perf_counter()
                status, body = owner.answer(self.path, dict(self.headers.items()), raw)
                if owner.requests:
                    owner.requests[-1].handled_seconds = time.perf_counter() - started
                try:
                    self.send_response(status)
                    self.send_header("Content-Type",
                                     "text/html" if body.startswith(b"<html>") else "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # drill gave up on a slow answer (the test wanted it to)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def answer(self, path: str, headers: dict[str, str], raw: bytes) -> tuple[int, bytes]:
        if self.latency:
            time.sleep(self.latency)
        if not path.rstrip("/").endswith("/audio/transcriptions"):
            return _error(404, f"Invalid URL (POST {path})", "invalid_request_error")
        upload = self._parse(headers, raw)
        if upload is None:
            return _error(400, "Could not parse multipart form", "invalid_request_error")
        self.requests.append(upload)
        if self.mode == "auth":
            return _error(401, "Incorrect API key provided: sk-test. You can find your API key at "
                               "https://platform.openai.com/account/api-keys.", "invalid_request_error", "invalid_api_key")
        if self.mode == "text_only" and upload.fields.get("response_format") == ["verbose_json"]:
            return _error(400, f"response_format 'verbose_json' is not compatible with model "
                               f"'{upload.fields.get('model', ['?'])[0]}'. Use 'json' or 'text' instead.",
                          "invalid_request_error", "unsupported_value")
        if self.mode == "html":
            return 200, b"<html><body>502 Bad Gateway</body></html>"
        if self.mode == "server_error":
            return _error(500, "The server had an error while processing your request.", "server_error")
        if self.mode == "bad_request":
            return _error(400, "Invalid file format. Supported formats: ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', "
                               "'mpga', 'oga', 'ogg', 'wav', 'webm']", "invalid_request_error")
        try:
            seconds = upload.seconds
            digest = frames_sha256(upload.audio)
        except (wave.Error, EOFError):
            return _error(400, "Audio file might be corrupted or unsupported", "invalid_request_error")
        words = [] if self.mode == "empty" else self.scripts.get(digest) or default_words(seconds)
        reply = verbose_json(words, seconds)
        if self.mode == "text_only":
            return 200, json.dumps({"text": reply["text"], "usage": reply["usage"]}).encode()
        if self.mode == "segments":
            reply.pop("words")
        if self.mode == "text_list":
            reply = {"text": [reply["text"]]}
        if self.mode == "bad_times" and len(reply["words"]) >= 2:
            reply["words"][0]["start"], reply["words"][1]["end"] = "abc", None
            reply["segments"][0]["start"] = "abc"
        return 200, json.dumps(reply).encode()

    @staticmethod
    def _parse(headers: dict[str, str], raw: bytes) -> RecordedUpload | None:
        content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
        message = BytesParser(policy=HTTP).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
        if not message.is_multipart():
            return None
        fields: dict[str, list[str]] = {}
        filename, audio = "", b""
        for part in message.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if part.get_filename():
                filename, audio = part.get_filename(), part.get_payload(decode=True)
            elif name:
                fields.setdefault(name, []).append(part.get_payload(decode=True).decode())
        return RecordedUpload("/v1/audio/transcriptions", {k.lower(): v for k, v in headers.items()}, fields,
                              filename, audio)
