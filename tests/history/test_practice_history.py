"""`drill history` and `drill report`: exact output, JSON shapes, files, errors."""

from __future__ import annotations

import json

import pytest
from practice_helpers import BANK_YAML, STRONG, WEAK, Env, lines


def test_history_table_newest_first(env):
    done = env.run("history")
    assert done.returncode == 0, done.stderr
    assert lines(done.stdout) == [
        "acme/backend",
        "Date              Round           Qs  Score  Status     ID",
        "────────────────────────────────────────────────────────────────",
        "2025-03-12 08:00  coding         1/2      –  abandoned  bbbb0001",
        "2025-03-10 20:00  coding         2/2    6.5  scored     aaaa0003",
        "2025-03-02 20:00  system-design  1/1    7.0  scored     aaaa0002",
        "2025-03-01 20:00  coding         2/2    4.2  scored     aaaa0001",
    ]
    assert done.stderr == ""


def test_history_fits_60_columns(env):
    done = env.run("history", extra={"COLUMNS": "60"})
    out = lines(done.stdout)
    assert out[3] == "2025-03-12  coding         1/2      –  abandoned  bbbb0001"  # idle for over 12 hours
    assert max(len(line) for line in out) <= 60


def test_history_filters_and_limit(env):
    done = env.run("history", "--company", "ACME", "--round", "coding", "--limit", "2")
    assert lines(done.stdout)[3:] == [
        "2025-03-12 08:00  coding  1/2      –  abandoned  bbbb0001",
        "2025-03-10 20:00  coding  2/2    6.5  scored     aaaa0003",
        "Showing the newest 2 — more with: drill history --limit 0",
    ]
    quiet = env.run("history", "--round", "coding", "--limit", "2", "--quiet")
    assert "Showing" not in quiet.stdout and len(lines(quiet.stdout)) == 5
    alias = env.run("history", "--company", "acme", "--role", "BE", "--round", "coding", "--limit", "2")
    assert alias.stdout == done.stdout
    typo = env.run("history", "--company", "acmee")
    assert (typo.returncode, typo.stdout, typo.stderr) == (
        2, "", "error: unknown company 'acmee' — did you mean 'acme'? (see: drill banks list)\n")
    typo = env.run("history", "--round", "codign")
    assert (typo.returncode, typo.stderr) == (
        2, "error: unknown round 'codign' — did you mean 'coding'? (see: drill history)\n")
    (env.banks / "globex").mkdir()
    (env.banks / "globex" / "backend.yaml").write_text(BANK_YAML.replace("Acme", "Globex"), encoding="utf-8")
    none = env.run("history", "--company", "globex")
    assert (none.returncode, none.stdout) == (0, "No sessions match those filters.\n")


def test_history_json(env):
    done = env.run("history", "--json", "--limit", "0")
    data = json.loads(done.stdout)
    assert [row["id"] for row in data] == ["bbbb0001", "aaaa0003", "aaaa0002", "aaaa0001"]
    assert data[1] == {
        "id": "aaaa0003", "company": "Acme", "role": "Backend", "company_slug": "acme", "role_slug": "backend",
        "round": "coding", "round_title": "Coding", "started_at": "2025-03-10T20:00:00+00:00",
        "finished_at": data[1]["finished_at"], "status": "scored", "overall": 6.5, "scorer": "fake",
        "answered": 2, "planned": 2, "last_activity": "2025-03-10T20:01:00+00:00", "abandoned": False,
        "tests_passed": None, "tests_total": None,
    }
    assert data[0]["overall"] is None and data[0]["status"] == "unfinished" and data[0]["answered"] == 1
    assert data[0]["abandoned"] is True


def test_history_empty_home(tmp_path):
    env = Env(tmp_path)
    done = env.run("history")
    assert (done.returncode, done.stdout) == (0, "No sessions yet — run one: drill general backend --round coding\n")
    assert env.run("history", "--json").stdout == "[]\n"


def test_report_markdown_is_the_default(env):
    done = env.run("report", "aaaa0002")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[:6] == [
        "# Acme — Backend: system-design", "", "- Session: `aaaa0002` (scored)",
        "- Started: 2025-03-02T20:00:00+00:00", "- Scorer: fake", "- Overall: 7.0/10"]
    assert "- ✓ base62 ids" in done.stdout


def test_report_json_is_the_run_json(env):
    run = env.drill_round({"lru-cache": STRONG["lru-cache"], "top-k": WEAK["top-k"]})
    done = env.run("report", run["session_id"], "--format", "json")
    assert json.loads(done.stdout) == run


def test_report_prefix_and_output_file(env, tmp_path):
    target = tmp_path / "out" / "notes.md"
    done = env.run("report", "aaaa0003", "--output", str(target))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"{target}\n"
    assert target.read_text(encoding="utf-8").startswith("# Acme — Backend: coding\n")
    prefix = env.run("report", "bbbb", "-f", "json")
    assert json.loads(prefix.stdout)["session_id"] == "bbbb0001"


def test_report_html_escapes_answers(env, tmp_path):
    run = env.drill_round({"lru-cache": "hashmap <script>alert('x')</script> & <b>bold</b>"})
    target = tmp_path / "r.html"
    done = env.run("report", run["session_id"], "--format", "html", "-o", str(target))
    assert done.returncode == 0, done.stderr
    page = target.read_text(encoding="utf-8")
    assert "<script" not in page
    assert "hashmap &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert page.count("<svg") == 1 and page.count("<rect") == 1
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "") and "https://" not in page
    assert "<link" not in page and "src=" not in page
    assert '<span class="mark good">✓</span>hashmap plus doubly linked list' in page
    assert '<span class="mark bad">✗</span>eviction of the least recently used entry' in page


def test_report_without_an_id_is_the_newest_session_and_says_so(env):
    done = env.run("report")
    assert done.returncode == 0, done.stderr
    assert done.stderr == "Report for the newest session: bbbb0001 (acme backend coding, started 2025-03-12 08:00)\n"
    assert done.stdout == env.run("report", "bbbb0001").stdout
    quiet = env.run("report", "--quiet", "-f", "json")
    assert (json.loads(quiet.stdout)["session_id"], quiet.stderr) == ("bbbb0001", "")


def test_report_last_n(env):
    done = env.run("report", "--last", "3", "--format", "json")
    assert [r["session_id"] for r in json.loads(done.stdout)] == ["bbbb0001", "aaaa0003", "aaaa0002"]
    md = env.run("report", "--last", "2")
    assert md.stdout == env.run("report", "bbbb0001").stdout + "\n---\n\n" + env.run("report", "aaaa0003").stdout
    both = env.run("report", "aaaa0001", "--last", "2")
    assert (both.returncode, both.stderr) == (2, "error: give a SESSION_ID or --last N, not both — e.g. drill report --last 3\n")
    html = env.run("report", "--last", "2", "--format", "html")
    assert html.returncode == 2 and html.stderr.startswith("error: --last works with --format md or json")
    design = env.run("report", "--last", "5", "--company", "ACME", "--role", "be", "--round", "system-design", "-f", "json")
    assert [r["session_id"] for r in json.loads(design.stdout)] == ["aaaa0002"]
    typo = env.run("report", "--last", "2", "--role", "bakend")
    assert typo.returncode == 2 and typo.stderr.startswith("error: unknown role 'bakend' — did you mean 'backend'?")
    mixed = env.run("report", "aaaa0001", "--company", "acme")
    assert mixed.returncode == 2 and "leave them out with a SESSION_ID: drill report aaaa0001" in mixed.stderr
    empty = Env(env.root / "empty").run("report")
    assert (empty.returncode, empty.stdout) == (0, "No sessions yet — run one: drill general backend --round coding\n")


def test_score_without_an_id_scores_the_newest_finished_session(env):
    done = env.run_fake("score")
    assert done.returncode == 0, done.stderr
    assert "Saved as session aaaa0003." in done.stdout  # bbbb0001, newer, is unfinished
    assert done.stderr == ("Scoring the newest finished session: aaaa0003 (acme backend coding, "
                           "started 2025-03-10 20:00)\n")
    assert env.rows("SELECT COUNT(*) FROM scores WHERE session_id = 'aaaa0003'") == [(4,)]
    empty = Env(env.root / "empty").run("score")
    assert (empty.returncode, empty.stderr) == (
        2, "error: no finished session to score yet — run a round first: drill COMPANY ROLE\n")


def test_reports_show_hints_used_and_a_readable_local_time(env, tmp_path):
    with env.store() as store:
        sid = store.create_session(company="Acme", role="Backend", company_slug="acme", role_slug="backend",
                                   round_id="coding", round_title="Coding", bank_path=None, plan=["lru-cache"],
                                   started_at="2025-03-14T21:03:39+00:00")
        store.add_answer(sid, position=0, question_id="lru-cache", kind="main", prompt="Design an LRU cache.",
                         answer="a map", hints=["Think <b>map</b> plus list.", "O(1) both ways."],
                         submitted_at="2025-03-14T21:05:00+00:00")
    md = env.run("report", sid).stdout
    assert "**Answer.**\n\n> a map\n\n**Hints used (2).**\n\n- Think &lt;b&gt;map&lt;/b&gt; plus list.\n- O(1) both ways.\n" in md
    page = tmp_path / "r.html"
    for tz, shown in (("UTC", "Fri 14 Mar 2025, 21:03 UTC"), ("Europe/Paris", "Fri 14 Mar 2025, 22:03 CET")):
        env.run("report", sid, "-f", "html", "-o", str(page), extra={"TZ": tz})
        html = page.read_text(encoding="utf-8")
        assert f"<span>started {shown}</span>" in html and "2025-03-14T21:03:39" not in html
    assert '<p class="label">Hints used (2)</p><ul class="hints"><li>Think &lt;b&gt;map&lt;/b&gt; plus list.</li>' in html


def test_report_unknown_session_is_a_usage_error(env):
    done = env.run("report", "nope")
    assert done.returncode == 2
    assert done.stderr == "error: no session 'nope' — list sessions with: drill history\n"
    assert done.stdout == ""


def test_report_bad_format(env):
    done = env.run("report", "aaaa0001", "--format", "pdf")
    assert done.returncode == 2
    assert "'pdf' is not one of" in done.stderr


def test_html_render_follow_ups_weights_and_skips():
    from interview_cli.ui.views.html import render

    question = {"id": "q-one", "prompt": "Why <b>?", "answer": "", "skipped": True, "follow_ups": [
        {"prompt": "And \"then\"?", "answer": "x < y"}], "score": None,
        "points": [{"point": "heavy & важно", "weight": 2.0, "covered": False}], "feedback": None}
    page = render({"session_id": "s1", "company": "A&B", "role": "R", "round": "r", "status": "unscored",
                   "started_at": "t", "scorer": None, "overall": None, "questions": [question]})
    assert "<title>A&amp;B — R: r · drill</title>" in page
    assert '<p class="text">Why &lt;b&gt;?</p>' in page
    assert '<pre class="text">(skipped)</pre>' in page
    assert "Follow-up: And &quot;then&quot;?" in page and '<pre class="text">x &lt; y</pre>' in page
    assert 'heavy &amp; важно <span class="weight">(×2)</span>' in page
    assert '<span class="score none">–/10</span>' in page
    empty = render({"session_id": "s2", "company": "A", "role": "R", "round": "r", "status": "in_progress",
                    "started_at": "t", "scorer": None, "overall": None, "questions": []})
    assert "No answers in this session." in empty and "<svg" not in empty


def test_history_says_there_are_more_only_when_there_are(env):
    exact = env.run("history", "--round", "coding", "--limit", "3")
    assert len(lines(exact.stdout)) == 6 and "Showing" not in exact.stdout  # exactly three coding sessions
    more = env.run("history", "--limit", "3")
    assert lines(more.stdout)[-1] == "Showing the newest 3 — more with: drill history --limit 0"


def test_markdown_report_escapes_html_in_user_text():
    """A Markdown renderer passes raw HTML through: an answer must not be able to inject any."""
    from interview_cli.ui.views.markdown import to_markdown

    question = {"id": "q-one", "prompt": "Why <b>?", "skipped": False,
                "answer": "<script>alert(1)</script> & <img src=x onerror=alert(1)>\nline two",
                "follow_ups": [{"prompt": "And <i>then</i>?", "answer": "a < b && c > d"}], "score": 5.0,
                "points": [{"point": "<u>heap</u>", "covered": True}], "feedback": "You wrote <script>."}
    page = to_markdown({"session_id": "s1", "company": "A&B", "role": "R", "round": "r", "status": "scored",
                        "started_at": "t", "scorer": "fake", "overall": 5.0, "questions": [question]})
    assert "<" not in page
    assert "> &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;\n> line two\n" in page
    assert "**Follow-up.** And &lt;i&gt;then&lt;/i&gt;?\n\n> a &lt; b &amp;&amp; c &gt; d\n" in page
    assert "- ✓ &lt;u&gt;heap&lt;/u&gt;" in page and "**Feedback.** You wrote &lt;script&gt;." in page
    assert page.startswith("# A&amp;B — R: r\n")


@pytest.mark.parametrize(("score", "band", "style"), [
    (None, "none", "dim"), (0.0, "bad", "red"), (3.9, "bad", "red"), (4.0, "mid", "yellow"), (6.9, "mid", "yellow"),
    (7.0, "good", "green"), (10.0, "good", "green")])
def test_one_score_band_for_every_view(score, band, style):
    from interview_cli.ui.views import html as html_report
    from interview_cli.ui.views import result as result_views
    from interview_cli.ui.views import scores as reports

    assert reports.score_band(score) == band
    assert result_views.score_style(score) == style
    shown = "–" if score is None else f"{score:.1f}"
    assert reports.fmt_score(score) == shown
    question = {"id": "q", "prompt": "p", "answer": "a", "skipped": False, "score": score, "points": [],
                "feedback": None}
    assert f'<span class="score {band}">{shown}/10</span>' in html_report.render(
        {"session_id": "s", "company": "A", "role": "R", "round": "r", "status": "scored", "started_at": "t",
         "scorer": None, "overall": score, "questions": [question]})
