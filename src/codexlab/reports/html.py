"""A static HTML report of a run (or two runs compared) that works offline: one file, nothing fetched.

CSS, JavaScript and the matplotlib plots (base64 PNG) are inlined. The page has an overview (summary, plots,
problem list) and one drill-down view per problem (prompt, canonical solution, each sample's code, verdict and
failing detail), switched by the URL fragment so that links and the back button work without a server.
"""

from __future__ import annotations

import base64
import html
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from codexlab.evaluation.metrics import compare_runs, pass_at_k_ci
from codexlab.evaluation.pass_at_k import default_ks
from codexlab.store.rundata import RunData, distinct_names, load_run
from codexlab.text import DISPLAY_ERRORS


def esc(x: Any) -> str:
    return html.escape(str(x), quote=True)


def _asset(name: str) -> str:
    return resources.files("codexlab.reports").joinpath("assets", name).read_text(encoding="utf-8")


def _png(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()


def _plots(run: RunData) -> list[tuple[str, str]]:
    """(title, data URI) for each analysis that applies to this run."""
    from codexlab.analyses import bleu, difficulty, failures, lengths, ranking

    out: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        t = Path(tmp)
        n = max((len(v) for v in run.outcomes().values()), default=0)
        if n > 1:
            out.append(("Ranking heuristics (pass@1 of k)", _png(ranking.plot(ranking.compute(run), t / "r.png"))))
        out.append(("Problem difficulty", _png(difficulty.plot(difficulty.compute(run), t / "d.png"))))
        out.append(("Failure taxonomy", _png(failures.plot(failures.compute([run]), t / "f.png"))))
        out.append(("Token lengths", _png(lengths.plot(lengths.compute([run]), t / "l.png"))))
        if run.problems:
            out.append(("BLEU vs correctness", _png(bleu.plot(bleu.compute([run]), t / "b.png"))))
    return out


def _summary(run: RunData) -> str:
    outcomes = run.outcomes()
    params = run.meta.get("params") or {}
    facts = [
        ("model", run.meta.get("model", "?")),
        ("dataset", f"{run.meta.get('dataset', '?')} ({len(outcomes)} problems judged)"),
        ("temperature", params.get("temperature", "?")),
        ("top_p", params.get("top_p", "?")),
        ("max tokens", params.get("max_tokens", "?")),
        ("samples", f"{len(run.samples)} ({sum(s.status != 'unjudged' for s in run.samples)} judged)"),
        ("problems digest", str(run.meta.get("problems_digest", "?"))[:16]),
        ("codexlab", run.meta.get("codexlab_version", "?")),
        ("host", ", ".join(f"{k}={v}" for k, v in (run.meta.get("host") or {}).items())),
    ]
    rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in facts)
    n_min = min((len(v) for v in outcomes.values()), default=0)
    ci = pass_at_k_ci(outcomes, default_ks(n_min)) if n_min else {}
    pk = "".join(
        f"<tr><th>pass@{k}</th><td class='num'>{100 * e.value:.1f}%</td>"
        f"<td class='num'>[{100 * e.low:.1f}, {100 * e.high:.1f}]</td></tr>"
        for k, e in ci.items()
    )
    statuses: dict[str, int] = {}
    for s in run.samples:
        statuses[s.status] = statuses.get(s.status, 0) + 1
    st = "".join(
        f"<tr><td><span class='badge {esc(k)}'>{esc(k)}</span></td><td class='num'>{v}</td></tr>"
        for k, v in sorted(statuses.items(), key=lambda kv: -kv[1])
    )
    return (
        f"<section class='cards'><div class='card'><h2>Run</h2><table>{rows}</table></div>"
        f"<div class='card'><h2>pass@k</h2><table id='passk'><tr><th></th><th>estimate</th><th>95% CI</th></tr>"
        f"{pk}</table><p class='note'>Unbiased estimator; CI bootstraps over problems.</p></div>"
        f"<div class='card'><h2>Verdicts</h2><table>{st}</table></div></section>"
    )


def _comparison(a: RunData, b: RunData) -> str:
    oa, ob = a.outcomes(), b.outcomes()
    n = min(min(len(v) for v in oa.values()), min(len(v) for v in ob.values()))
    rows = []
    flipped = ""
    for k in default_ks(n):
        r = compare_runs(oa, ob, k)
        mc = "-" if r.p_mcnemar is None else f"{r.p_mcnemar:.3g}"
        rows.append(
            f"<tr><td>{k}</td><td class='num'>{100 * r.a:.1f}%</td><td class='num'>{100 * r.b:.1f}%</td>"
            f"<td class='num'>{r.diff.signed_points()}</td>"
            f"<td class='num'>{r.p_bootstrap:.3g}</td><td class='num'>{mc}</td></tr>"
        )
        if k == 1:
            links = lambda ids: ", ".join(f"<a href='#{problem_anchor(t)}'>{esc(t)}</a>" for t in ids) or "-"  # noqa: E731
            flipped = f"<p>Better in A: {links(r.a_only)}</p><p>Better in B: {links(r.b_only)}</p>"
    name_a, name_b = distinct_names([a.run_dir, b.run_dir])
    return (
        f"<section class='card' id='comparison'><h2>Comparison: A = {esc(name_a)}, B = {esc(name_b)}</h2>"
        "<table><tr><th>k</th><th>A</th><th>B</th><th>B - A [95% CI]</th><th>p (paired bootstrap)</th>"
        f"<th>p (McNemar)</th></tr>{''.join(rows)}</table>{flipped}</section>"
    )


def problem_anchor(task_id: str) -> str:
    """The URL fragment of a problem's drill-down view."""
    return "problem-" + "".join(c if c.isalnum() else "-" for c in task_id)


def _problem_list(run: RunData, other: RunData | None) -> str:
    other_out = other.outcomes() if other else {}
    rows = []
    for task_id, samples in run.by_problem().items():
        judged = [s for s in samples if s.status != "unjudged"]
        c = sum(s.passed for s in judged)
        rate = c / len(judged) if judged else 0.0
        extra = ""
        if other:
            ob = other_out.get(task_id, [])
            extra = f"<td class='num'>{sum(ob)}/{len(ob)}</td>"
        rows.append(
            f"<tr data-rate='{rate:.3f}'><td>"
            f"<a class='problem-link' href='#{problem_anchor(task_id)}'>{esc(task_id)}</a></td>"
            f"<td class='num'>{c}/{len(judged)}</td><td><div class='bar'><div style='width:{100 * rate:.0f}%'>"
            f"</div></div></td>{extra}</tr>"
        )
    head = "<th>B passed</th>" if other else ""
    return (
        "<section class='card'><h2>Problems</h2><input id='filter' placeholder='filter task_id…'>"
        f"<table id='problems'><tr><th>task_id</th><th>passed</th><th>pass rate</th>{head}</tr>"
        f"{''.join(rows)}</table></section>"
    )


def _problem_view(run: RunData, task_id: str, samples: list[Any]) -> str:
    prob = run.problems.get(task_id)
    parts = [
        f"<section class='problem' id='{problem_anchor(task_id)}' hidden>",
        "<p><a class='back' href='#overview'>← all problems</a></p>",
    ]
    c = sum(s.passed for s in samples)
    parts.append(f"<h2>{esc(task_id)} <small>{c} of {len(samples)} samples pass</small></h2>")
    if prob:
        parts.append(f"<h3>Prompt</h3><pre class='code prompt'>{esc(prob.prompt)}</pre>")
        parts.append(
            f"<details><summary>Canonical solution</summary><pre class='code'>{esc(prob.canonical_solution)}</pre>"
            "</details>"
        )
    parts.append("<h3>Samples</h3>")
    for s in samples:
        lp = "" if s.mean_logprob is None else f" · mean log-prob {s.mean_logprob:.3f}"
        parts.append(
            f"<details class='sample' {'open' if len(samples) <= 3 else ''}><summary>"
            f"<span class='badge {esc(s.status)}'>{esc(s.status)}</span> sample {s.sample_id} · "
            f"{s.n_tokens} tokens{lp}{' · ' + esc(s.detail[:120]) if s.detail else ''}</summary>"
            f"<pre class='code'>{esc(s.completion)}</pre>"
            + (f"<pre class='detail'>{esc(s.traceback or s.detail)}</pre>" if not s.passed and s.detail else "")
            + "</details>"
        )
    parts.append("</section>")
    return "".join(parts)


def render(run: RunData, other: RunData | None = None) -> str:
    """The whole report as one HTML string."""
    names = distinct_names([run.run_dir] + ([other.run_dir] if other else []))
    title = f"codexlab report · {names[0]}" + (f" vs {names[1]}" if other else "")
    plots = "".join(
        f"<figure class='card'><img alt='{esc(t)}' src='{uri}'><figcaption>{esc(t)}</figcaption></figure>"
        for t, uri in _plots(run)
    )
    views = "".join(_problem_view(run, t, s) for t, s in run.by_problem().items())
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{esc(title)}</title>"
        f"<style>{_asset('report.css')}</style></head><body>"
        f"<header><h1>{esc(title)}</h1></header><main>"
        f"<div id='overview'>{_summary(run)}{_comparison(run, other) if other else ''}"
        f"<section class='plots'>{plots}</section>{_problem_list(run, other)}</div>"
        f"{views}</main><script>{_asset('report.js')}</script></body></html>"
    )


def write_report(run_dir: Path, out: Path, compare: Path | None = None) -> Path:
    """Load the run(s), render, and write the HTML file; returns its path."""
    run = load_run(run_dir)
    other = load_run(compare) if compare else None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(run, other), encoding="utf-8", errors=DISPLAY_ERRORS)
    return out
