"""The voice settings a round keeps with its session, so that `drill resume` speaks and listens again."""

SESSION_OPTIONS = ("speak", "listen", "keep_audio", "stt_model", "tts_model", "stt_api_base")
