"""What the LLM scoring tests share: fake llama.cpp-like servers on 127.0.0.1, stopped after each test."""

from __future__ import annotations

import pytest
from fake_llm_server import FakeLLMServer


@pytest.fixture
def serve():
    started: list[FakeLLMServer] = []

    def start(mode: str = "ok", **options) -> FakeLLMServer:
        server = FakeLLMServer(mode=mode, **options).start()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()
