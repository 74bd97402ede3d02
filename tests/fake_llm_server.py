"""A real OpenAI-compatible chat-completions server on 127.0.0.1 for tests and benchmarks.

It speaks just enough of `POST /v1/chat/completions` for litellm's OpenAI provider, runs
in a background thread (ThreadingHTTPServer, so concurrent requests overlap), records
every request it gets, and misbehaves in the way the test picks:

    ok                   valid judge JSON every time
    429_then_ok          first request 429 (rate limited), then ok
    500_then_ok          first request 500, then ok
    slow_then_ok         first request sleeps `slow_seconds` before answering, then ok
    text                 plain prose, no JSON at all, every time
    fenced               JSON inside a ```json fence with trailing commas and chatter
    wrong_shape_then_ok  first reply is JSON of the wrong shape, then ok
    wrong_shape          JSON of the wrong shape every time
    reject_json_schema   400 for response_format json_schema, ok for json_object or none
    llama_cpp            exactly what llama-cpp-python 0.3.36's server answers to json_schema:
                         status 500 and LLAMA_CPP_500_BODY (recorded byte for byte); ok otherwise
    html_200             status 200 with an HTML page (a proxy's login page), every time
    echo_key             valid judge JSON whose feedback and reasoning echo the API key it was
                         sent (whole, a 12-character piece of it) and the api_base's ?key=
    ansi                 valid judge JSON with ANSI escape sequences in the feedback
    score_40             valid judge JSON with score 40 (a model grading out of 100), every time
    reject_all_formats   400 for any response_format, ok without one
    bad_request          400 unrelated to response_format, every time
    auth                 401 every time, echoing the key it was sent (as OpenAI does)
    always_500           500 every time

`latency` adds a delay to every request. Judge requests are recognised by the rubric
lines (`P1 (weight 2): ...`) in the prompt; the reply covers them with `verdicts`
(cycled) and the holistic `score`. Other requests (the follow-up writer) get
`follow_up_text`.

    with FakeLLMServer(mode="429_then_ok") as server:
        server.base_url  # "http://127.0.0.1:PORT/v1"
        server.requests  # list of RecordedRequest
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

RUBRIC_LINE = re.compile(r"^(P\d+) \(weight [0-9.]+\):", re.MULTILINE)
LLAMA_CPP_FORMAT_ERROR = 'response_format type must be one of "text" or "json_object", but got: json_schema'
# `python -m llama_cpp.server` (llama-cpp-python 0.3.36, SmolLM2-135M-Instruct) answering a chat completion
# with response_format {"type": "json_schema", ...}: HTTP 500, Content-Type application/json, this body.
LLAMA_CPP_500_BODY = '{"error":{"message":"1 validation error:\\n  {\'type\': \'literal_error\', \'loc\': (\'body\', \'response_format\', \'type\'), \'msg\': \\"Input should be \'text\' or \'json_object\'\\", \'input\': \'json_schema\', \'ctx\': {\'expected\': \\"\'text\' or \'json_object\'\\"}}\\n\\n  File \\"/root/.cache/drill-ci/llama-server-0.3.36/lib/python3.11/site-packages/llama_cpp/server/app.py\\", line 376, in create_chat_completion\\n    POST /v1/chat/completions","type":"internal_server_error","param":null,"code":null}}'
HTML_PAGE = "<!doctype html><html><head><title>Sign in</title></head><body><form>proxy login</form></body></html>"
ANSI_FEEDBACK = "Good answer.\x1b[2J\x1b[31m Red text\x1b[0m and a title\x1b]0;pwned\x07 change."


@dataclass
class RawReply:
    """A body sent as is, with its own content type."""

    content_type: str
    text: str


@dataclass
class RecordedRequest:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def response_format_type(self) -> str | None:
        fmt = self.body.get("response_format")
        return fmt.get("type") if isinstance(fmt, dict) else None

    @property
    def text(self) -> str:
        return "\n".join(str(m.get("content", "")) for m in self.body.get("messages", []))


@dataclass
class FakeLLMServer:
    mode: str = "ok"
    latency: float = 0.0
    slow_seconds: float = 2.0
    verdicts: tuple[str, ...] = ("covered",)
    score: float = 8.0
    feedback: str = "Solid answer. Name the trade-offs explicitly. Give one concrete number next time."
    follow_up_text: str = "How would you handle a network partition between the two regions?"
    requests: list[RecordedRequest] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests the server was handling at once
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ---- lifecycle -------------------------------------------------------------------------
    def start(self) -> FakeLLMServer:
        owner = self

        class Handler(_Handler):
            server_owner = owner

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.block_on_close = False
        server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        assert self._server is not None, "server not started"
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    # ---- behaviour -------------------------------------------------------------------------
    def _record(self, request: RecordedRequest) -> int:
        with self._lock:
            self.requests.append(request)
            return len(self.requests)

    def judge_reply(self, prompt: str) -> dict[str, Any]:
        ids = RUBRIC_LINE.findall(prompt)
        return {
            "points": [
                {
                    "id": pid,
                    "reasoning": f"The answer addresses {pid}.",
                    "verdict": self.verdicts[i % len(self.verdicts)],
                    "evidence": None,
                }
                for i, pid in enumerate(ids)
            ],
            "score": self.score,
            "feedback": self.feedback,
        }

    def respond(self, request: RecordedRequest, nth: int) -> tuple[int, dict[str, Any] | str | RawReply, dict[str, str]]:
        """(status, body, extra headers) for the nth request (1-based)."""
        if self.latency:
            time.sleep(self.latency)
        mode, fmt = self.mode, request.response_format_type
        if mode == "429_then_ok" and nth == 1:
            return 429, _error("Rate limit reached for requests", "rate_limit_exceeded"), {}
        if mode == "500_then_ok" and nth == 1:
            return 500, _error("The server had an error while processing your request.", "server_error"), {}
        if mode == "always_500":
            return 500, _error("The server had an error while processing your request.", "server_error"), {}
        if mode == "auth":
            key = request.headers.get("authorization", "").removeprefix("Bearer ")
            # like OpenAI, echo the key back: the client must redact it
            return 401, _error(f"Incorrect API key provided: {key}.", "invalid_api_key"), {}
        if mode == "bad_request":
            return 400, _error("'messages' must contain at least one message with content", "invalid_request_error"), {}
        if mode == "slow_then_ok" and nth == 1:
            time.sleep(self.slow_seconds)
        if mode == "llama_cpp" and fmt == "json_schema":
            return 500, RawReply("application/json", LLAMA_CPP_500_BODY), {}
        if mode == "html_200":
            return 200, RawReply("text/html; charset=utf-8", HTML_PAGE), {}
        if mode == "reject_json_schema" and fmt == "json_schema":
            return 400, {"error": {"code": 400, "message": LLAMA_CPP_FORMAT_ERROR, "type": "invalid_request_error"}}, {}
        if mode == "reject_all_formats" and fmt is not None:
            return 400, _error(f"response_format '{fmt}' is not supported by this server", "invalid_request_error"), {}

        prompt = request.text
        if not RUBRIC_LINE.search(prompt):
            return 200, _completion(self.follow_up_text, request), {}
        if mode == "text":
            content = "I think this answer is pretty good overall, maybe a seven out of ten."
        elif mode == "wrong_shape" or (mode == "wrong_shape_then_ok" and nth == 1):
            content = json.dumps({"grade": "B+", "comments": ["nice"]})
        elif mode == "echo_key":
            key = request.headers.get("authorization", "").removeprefix("Bearer ")
            reply = self.judge_reply(prompt)
            reply["feedback"] = f"Your key is {key}; part of it is {key[4:16]}; see {request.path}?key={key}."
            reply["points"][0]["reasoning"] = f"Authorization: Bearer {key}"
            content = json.dumps(reply)
        elif mode == "ansi":
            content = json.dumps({**self.judge_reply(prompt), "feedback": ANSI_FEEDBACK})
        elif mode == "score_40":
            content = json.dumps({**self.judge_reply(prompt), "score": 40})
        elif mode == "fenced":
            body = json.dumps(self.judge_reply(prompt), indent=2)
            body = body.replace('"\n    }', '",\n    }').replace("]\n", "],\n", 1)  # trailing commas
            content = f"Sure! Here is my grading:\n```json\n{body}\n```\nHope this helps."
        else:
            content = json.dumps(self.judge_reply(prompt))
        return 200, _completion(content, request), {}


def _error(message: str, code: str) -> dict[str, Any]:
    return {"error": {"message": message, "type": code, "param": None, "code": code}}


def _completion(content: str, request: RecordedRequest) -> dict[str, Any]:
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.body.get("model", "test-model"),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20},
    }


class _Handler(BaseHTTPRequestHandler):
    server_owner: FakeLLMServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:  # /v1/models, for completeness
        self._send(200, {"object": "list", "data": [{"id": "test-model", "object": "model"}]}, {})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except json.JSONDecodeError:
            self._send(400, _error("request body is not JSON", "invalid_request_error"), {})
            return
        request = RecordedRequest(self.path, {k.lower(): v for k, v in self.headers.items()}, body)
        owner = self.server_owner
        nth = owner._record(request)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send(404, _error(f"no route {self.path}", "not_found"), {})
            return
        with owner._lock:
            owner.in_flight += 1
            owner.max_in_flight = max(owner.max_in_flight, owner.in_flight)
        try:
            status, payload, headers = owner.respond(request, nth)
        finally:
            with owner._lock:
                owner.in_flight -= 1
        self._send(status, payload, headers)

    def _send(self, status: int, payload: dict[str, Any] | str | RawReply, headers: dict[str, str]) -> None:
        content_type = payload.content_type if isinstance(payload, RawReply) else "application/json"
        if isinstance(payload, RawReply):
            payload = payload.text
        data = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
            pass


def refused_base_url() -> str:
    """An api_base on 127.0.0.1 where nothing listens: connecting is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


if __name__ == "__main__":  # manual poking: python tests/fake_llm_server.py [mode]
    import sys

    with FakeLLMServer(mode=sys.argv[1] if len(sys.argv) > 1 else "ok") as srv:
        print(srv.base_url, flush=True)
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            pass
