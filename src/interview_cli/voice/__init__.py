"""Practising out loud: transcripts with timestamps, delivery figures, transcription and speech engines.

A domain package beside history and scoring: it knows nothing of rounds, the terminal or the command
line. Only voice/llm.py imports litellm (transcription and speech through a provider)."""
