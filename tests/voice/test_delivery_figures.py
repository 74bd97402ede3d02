"""Delivery figures from fixed timestamped transcripts: exact values."""

from __future__ import annotations

from interview_cli.voice.delivery import filler_counts, measure, notes, summary, tokens
from interview_cli.voice.stt import from_verbose_json
from interview_cli.voice.transcript import Timing, Transcript, Word, joined, words_from_segments

# 25 words over 15 seconds, a 6-second silence after "front.", six fillers and three look-alikes
# ("I'd like to", "What sort of", and "like" as a verb are not fillers).
SPOKEN = [
    ("Um,", 0.0, 0.4), ("so", 0.6, 0.9), ("I'd", 1.0, 1.2), ("like", 1.2, 1.5), ("to", 1.5, 1.6),
    ("put", 1.7, 1.9), ("a", 1.9, 2.0), ("cache,", 2.0, 2.5), ("like,", 2.7, 3.0), ("Redis,", 3.2, 3.6),
    ("in", 3.7, 3.8), ("front.", 3.8, 4.2), ("You", 10.2, 10.4), ("know,", 10.4, 10.7), ("it", 10.8, 10.9),
    ("sort", 11.0, 11.2), ("of", 11.2, 11.3), ("absorbs", 11.4, 11.9), ("reads.", 11.9, 12.2),
    ("What", 12.6, 12.8), ("sort", 12.8, 13.0), ("of", 13.0, 13.1), ("TTL?", 13.2, 13.6), ("Uh", 14.0, 14.2),
    ("basically", 14.4, 15.0),
]


def spoken(words=SPOKEN) -> Transcript:
    return Transcript(" ".join(w for w, _, _ in words), tuple(Word(*w) for w in words), None, Timing.WORDS)


def test_figures_of_a_fixed_transcript():
    figures = measure(spoken(), limit_seconds=120).as_dict()
    assert figures == {
        "words": 25, "speaking_seconds": 15.0, "limit_seconds": 120, "words_per_minute": 100.0,
        "fillers": {"basically": 1, "like": 1, "sort of": 1, "uh": 1, "um": 1, "you know": 1}, "filler_count": 6,
        "fillers_per_minute": 24.0, "longest_pause_seconds": 6.0, "longest_pause_at": 4.2,
        "last_minute_share": None, "timing": "words",
    }
    assert summary(figures) == ("0:15 of 2:00 · 100 words/min · fillers 24/min (basically ×1, like ×1, sort of ×1, "
                                "uh ×1, um ×1, you know ×1) · longest pause 6 s")
    assert notes(figures) == ["too many fillers: 24/min (above 4; basically ×1, like ×1, sort of ×1)",
                              "long pause: 6 s at 0:04"]


def test_over_the_limit_is_said():
    figures = measure(spoken(), limit_seconds=10).as_dict()
    assert notes(figures)[0] == "over time: spoke 0:15 of 0:10"


def test_a_rushed_ending_and_a_slow_pace():
    # 60 words two seconds apart, then 150 words 0.4 s apart in the last minute
    slow = [(f"w{i}", i * 2.0, i * 2.0 + 0.3) for i in range(60)]
    fast = [(f"f{i}", round(120 + i * 0.4, 2), round(120 + i * 0.4 + 0.3, 2)) for i in range(150)]
    figures = measure(spoken(slow + fast), limit_seconds=300).as_dict()
    assert (figures["words"], figures["speaking_seconds"], figures["words_per_minute"]) == (210, 179.9, 70.0)
    assert figures["last_minute_share"] == 0.714
    assert figures["fillers"] == {} and figures["fillers_per_minute"] == 0.0
    assert notes(figures) == ["slow: 70 words/min (aim for 100-160)",
                              "rushed ending: 71% of the words came in the last minute"]


def test_fast_speech_is_flagged():
    words = [(f"w{i}", i * 0.3, i * 0.3 + 0.25) for i in range(100)]  # 100 words in 29.95 s
    figures = measure(spoken(words)).as_dict()
    assert figures["words_per_minute"] == 200.3
    assert notes(figures) == ["too fast: 200.3 words/min (aim for 100-160)"]


def test_filler_rules_on_plain_text():
    def count(text: str) -> dict[str, int]:
        return filler_counts(tokens(Transcript(text)))

    assert count("I like Kafka. It's like a log. Would you like a queue?") == {}
    assert count("So, like, the cache. Like, I'd shard it.") == {"like": 2}
    assert count("Do you know the answer? You know, we shard; it's, you know, fine.") == {"you know": 2}
    assert count("What sort of index? A sort of queue. It sort of works. Umm, uhh, erm, er.") == \
        {"um": 2, "uh": 2, "sort of": 1}


def test_without_timestamps_rates_come_from_the_recording_length():
    figures = measure(Transcript("um I would shard the table by user id", (), 20.0, Timing.NONE)).as_dict()
    assert (figures["words"], figures["speaking_seconds"], figures["words_per_minute"]) == (9, 20.0, 27.0)
    assert (figures["fillers"], figures["fillers_per_minute"]) == ({"um": 1}, 3.0)
    assert (figures["longest_pause_seconds"], figures["last_minute_share"]) == (None, None)


def test_segments_spread_their_words_evenly_and_keep_the_gaps_between_them():
    words = words_from_segments([(0.0, 2.0, " Shard by user"), (5.0, 6.0, " then replicate.")])
    assert words == (Word("Shard", 0.0, 0.667), Word("by", 0.667, 1.333), Word("user", 1.333, 2.0),
                     Word("then", 5.0, 5.5), Word("replicate.", 5.5, 6.0))
    figures = measure(Transcript("Shard by user then replicate.", words, 6.0, Timing.SEGMENTS)).as_dict()
    assert (figures["longest_pause_seconds"], figures["longest_pause_at"]) == (3.0, 2.0)


def test_openai_word_list_gets_its_punctuation_back_from_the_text():
    reply = {"task": "transcribe", "language": "english", "duration": 3.5, "text": "Um, so, like, shard it.",
             "words": [{"word": "Um", "start": 0.0, "end": 0.3}, {"word": "so", "start": 0.5, "end": 0.7},
                       {"word": "like", "start": 0.9, "end": 1.1}, {"word": "shard", "start": 1.3, "end": 1.6},
                       {"word": "it", "start": 1.6, "end": 1.8}]}
    found = from_verbose_json(reply)
    assert [w.text for w in found.words] == ["Um,", "so,", "like,", "shard", "it."]
    assert (found.duration, found.timing) == (3.5, "words")
    assert filler_counts(tokens(found)) == {"like": 1, "um": 1}


def test_chunks_join_in_order_with_their_times_shifted():
    first = Transcript("a b", (Word("a", 0.0, 0.5), Word("b", 1.0, 1.5)), 600.0, Timing.WORDS)
    second = Transcript("c", (Word("c", 2.0, 2.5),), 30.0, Timing.WORDS).shifted(600.0)
    whole = joined([first, second])
    assert whole == Transcript("a b c", (Word("a", 0.0, 0.5), Word("b", 1.0, 1.5), Word("c", 602.0, 602.5)),
                               630.0, Timing.WORDS)


def test_words_spread_over_voiced_stretches_in_proportion_to_their_length():
    from interview_cli.voice.transcript import words_over_spans

    assert words_over_spans("a b c d e f", [(0.0, 1.0), (4.0, 6.0)]) == (
        Word("a", 0.0, 0.5), Word("b", 0.5, 1.0), Word("c", 4.0, 4.5), Word("d", 4.5, 5.0), Word("e", 5.0, 5.5),
        Word("f", 5.5, 6.0))
    assert words_over_spans("a", [(0.0, 0.2), (1.0, 3.0)]) == (Word("a", 1.0, 3.0),)
    assert words_over_spans("", [(0.0, 1.0)]) == () and words_over_spans("a b", []) == ()
