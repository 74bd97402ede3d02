"""A session as one self-contained HTML page: inline CSS, an inline SVG score chart, no external assets.

Every piece of user or bank text goes through html.escape: answers may contain markup.
"""

from __future__ import annotations

from html import escape

from interview_cli.clock import readable_time
from interview_cli.ui.views.scores import failing_tests, fmt_score, score_band, tests_line, unsure_note

CSS = """
:root { color-scheme: light; --fg: #1d2430; --muted: #5d6878; --line: #d9dee6; --good: #1f8a4c;
        --mid: #b7791f; --bad: #c0392b; --none: #9aa3ae; --bg: #ffffff; --panel: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg);
       font: 16px/1.55 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 860px; margin: 0 auto; padding: 32px 24px 64px; }
h1 { font-size: 1.6rem; margin: 0 0 4px; }
h2 { font-size: 1.15rem; margin: 0; }
.meta { color: var(--muted); margin: 0 0 24px; }
.meta span + span::before { content: " · "; }
.overall { font-size: 2.2rem; font-weight: 700; margin: 0 0 8px; }
.chart .label { margin: 0 0 8px; }
.chart { border: 1px solid var(--line); border-radius: 8px; padding: 12px; margin: 0 0 32px; background: var(--panel); }
.chart svg { display: block; max-width: 100%; height: auto; }
section.q { border: 1px solid var(--line); border-radius: 8px; margin: 0 0 20px; overflow: hidden; }
section.q > header { display: flex; justify-content: space-between; align-items: baseline; gap: 12px;
                     padding: 12px 16px; background: var(--panel); border-bottom: 1px solid var(--line); }
section.q > div { padding: 4px 16px 12px; }
.score { font-weight: 700; white-space: nowrap; }
.good { color: var(--good); } .mid { color: var(--mid); } .bad { color: var(--bad); } .none { color: var(--none); }
.label { font-weight: 600; margin: 12px 0 4px; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; margin: 0; padding: 8px 12px; border-left: 3px solid var(--line);
        background: #fbfcfd; font: inherit; }
ul.points { list-style: none; padding: 0; margin: 0; }
ul.points li { padding: 2px 0; }
ul.points .mark { display: inline-block; width: 1.4em; font-weight: 700; }
.weight { color: var(--muted); font-size: .9em; }
.feedback { margin: 0; }
.evidence, .breakdown { color: #555; }
.evidence { font-style: italic; }
footer { color: var(--muted); font-size: .85rem; margin-top: 32px; }
"""


_FILL = {"good": "#1f8a4c", "mid": "#b7791f", "bad": "#c0392b", "none": "#9aa3ae"}


def score_chart_svg(questions: list[dict]) -> str:
    """One bar per question, 0-10, with gridlines and value labels."""
    count = max(1, len(questions))
    left, top, plot_h = 36, 28, 200
    slot = max(44.0, min(140.0, (780 - left) / count))  # fills ~780 px, however many questions
    bar, gap = round(slot * 0.6), round(slot * 0.4)
    width = left + count * (bar + gap) + gap
    height = top + plot_h + 44
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="Score per question, out of 10">']
    for value in (0, 5, 10):
        y = top + plot_h - plot_h * value / 10
        dash = ' stroke-dasharray="4 4"' if value else ""
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 4}" y2="{y:.1f}" stroke="#d9dee6" '
                     f'stroke-width="1"{dash}/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#5d6878">{value}</text>')
    for index, q in enumerate(questions):
        score = q.get("score")
        x = left + gap + index * (bar + gap)
        h = plot_h * (score or 0) / 10
        y = top + plot_h - h
        fill = _FILL[score_band(score)]
        title = escape(f"Q{index + 1} {q['id']}: {fmt_score(score)}/10")
        parts.append(f'<g><title>{title}</title><rect x="{x}" y="{y:.1f}" width="{bar}" height="{max(h, 1):.1f}" '
                     f'rx="3" fill="{fill}"/></g>')
        parts.append(f'<text x="{x + bar / 2}" y="{y - 6:.1f}" text-anchor="middle" font-size="13" font-weight="700" '
                     f'fill="#1d2430">{escape(fmt_score(score))}</text>')
        parts.append(f'<text x="{x + bar / 2}" y="{top + plot_h + 20}" text-anchor="middle" font-size="13" '
                     f'fill="#1d2430">Q{index + 1}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _question(number: int, q: dict, session_id: str) -> str:
    e = escape
    band = score_band(q.get("score"))
    out = [f'<section class="q" id="q{number}"><header><h2>Q{number} · {e(q["id"])}</h2>'
           f'<span class="score {band}">{e(fmt_score(q.get("score")))}/10</span></header><div>']
    out.append(f'<p class="label">Question</p><p class="text">{e(q["prompt"].strip())}</p>')
    for ask in q.get("asks", []):
        out.append(f'<p class="label">You asked: {e(ask["question"].strip())}</p>'
                   f'<p class="text">Interviewer: {e(ask["reply"].strip())}</p>')
    if q.get("skipped"):
        answer = "(skipped)"
    else:
        answer = q["answer"].strip() or "(no answer)"
    out.append(f'<p class="label">Answer</p><pre class="text">{e(answer)}</pre>')
    if q.get("hints_used"):
        out.append(f'<p class="label">Hints used ({len(q["hints_used"])})</p><ul class="hints">'
                   + "".join(f"<li>{e(hint)}</li>" for hint in q["hints_used"]) + "</ul>")
    for follow_up in q.get("follow_ups", []):
        out.append(f'<p class="label">Follow-up: {e(follow_up["prompt"].strip())}</p>'
                   f'<pre class="text">{e(follow_up["answer"].strip() or "(no answer)")}</pre>')
    if q.get("delivery"):
        from interview_cli.voice.delivery import summary

        out.append('<p class="label">Delivery <span class="weight">(spoken; not part of the score)</span></p>'
                   f'<p class="breakdown">{e(summary(q["delivery"]))}</p>')
        if q["delivery"].get("notes"):
            out.append('<ul class="points">' + "".join(f'<li><span class="mark mid">!</span>{e(note)}</li>'
                                                       for note in q["delivery"]["notes"]) + "</ul>")
    if q.get("tests"):
        out.append(f'<p class="label">Tests: {e(tests_line(q["tests"]))}</p><ul class="points">')
        out += [f'<li><span class="mark bad">✗</span>{e(line)}</li>' for line in failing_tests(q["tests"])]
        out.append("</ul>")
    if q.get("phases"):
        out.append('<p class="label">Time use</p><ul class="points">')
        for phase in q["phases"]:
            budget = f'{phase["budget_seconds"] / 60:.1f} min'
            flag = " — over budget" if phase["overran"] else ""
            said = f'{phase["used_seconds"] / 60:.1f} min of {budget}' if phase["reached"] else f"not reached ({budget})"
            out.append(f'<li>{e(phase["title"])}: {said}{flag}</li>')
        out.append("</ul>")
        for note in [q.get("time_use"), *q.get("time_notes", [])]:
            if note:
                out.append(f'<p class="feedback">{e(note)}</p>')
    if q.get("points"):
        out.append('<p class="label">Rubric</p><ul class="points">')
        for point in q["points"]:
            covered = bool(point.get("covered"))
            mark = '<span class="mark good">✓</span>' if covered else '<span class="mark bad">✗</span>'
            weight = point.get("weight", 1)
            extra = f' <span class="weight">(×{weight:g})</span>' if weight not in (1, 1.0, None) else ""
            status = "covered" if covered else "missed"
            quote = _evidence(point["evidence"]) if covered and point.get("evidence") else ""
            out.append(f'<li title="{status}">{mark}{e(point["point"])}{extra}{quote}</li>')
        for flag in q.get("red_flags", []):
            out.append(f'<li title="red flag"><span class="mark bad">✗</span>red flag: {e(flag["point"])}'
                       f'{_evidence(flag["evidence"]) if flag.get("evidence") else ""}</li>')
        out.append("</ul>")
    if q.get("breakdown"):
        out.append(f'<p class="label">Score</p><p class="breakdown">{e(q["breakdown"])}</p>')
    if q.get("feedback"):
        out.append(f'<p class="label">Feedback</p><p class="feedback">{e(q["feedback"])}</p>')
    if q.get("unsure"):
        out.append(f'<p class="label">Unsure</p><p class="feedback">{e(unsure_note(session_id))}</p>')
    out.append("</div></section>")
    return "".join(out)


def _evidence(text: str) -> str:
    return f' <span class="evidence">— “{escape(text)}”</span>'


def render(result: dict) -> str:
    """The session page for `drill report ID --format html`; `result` is reports.session_result()."""
    e = escape
    title = f"{result['company']} — {result['role']}: {result['round']}"
    overall = result.get("overall")
    meta = [f"session {result['session_id']}", f"started {readable_time(result['started_at'])}", result["status"],
            f"scorer {result.get('scorer') or 'not scored yet'}"]
    body = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(title)} · drill</title><style>{CSS}</style></head><body><main>",
        f"<h1>{e(title)}</h1>",
        '<p class="meta">' + "".join(f"<span>{e(str(m))}</span>" for m in meta) + "</p>",
        f'<p class="overall {score_band(overall)}">{e(fmt_score(overall))}<span class="weight"> / 10 overall</span></p>',
    ]
    if result["questions"]:
        body.append('<div class="chart"><p class="label">Score per question (0–10)</p>'
                    f'{score_chart_svg(result["questions"])}</div>')
    body += [_question(number, q, result["session_id"]) for number, q in enumerate(result["questions"], 1)]
    if not result["questions"]:
        body.append('<p class="meta">No answers in this session.</p>')
    body.append(f"<footer>Generated by drill from session {e(result['session_id'])}.</footer></main></body></html>")
    return "\n".join(body) + "\n"
