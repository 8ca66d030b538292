"""Complaint search and oversight benchmark (issue 11): the queue's text search, the queue, the SLA dashboard,
the yearly statistics, Open311 ``GET requests`` and the triage suggestions, on SQLite and on PostgreSQL.
See bench/README.md.

Data: issue 10's (``bench/complaints_data.py``, cached and copied per run by ``bench/complaints.py``):
100 000 cases with about 1 000 000 events over 34 offices (``--quick``: 2 000 / 20 000).

(a) **search index**: the cached generation writes the cases' documents (``pantau search_reindex --kind
    complaint``, timed); each copy is checked (documents = cases) and indexed again only when it is not.
(b) **search**: gunicorn (2 sync workers, ``bench.run.Server``) and wrk (20 connections) on
    ``/kelola/laporan/?q=`` with 44 everyday queries (alone, with ``tab=tugas`` and with a ``tahap``), signed
    in as the busiest examiner, an intake officer and the head of the busiest office, and the national admin;
    p95 < 200 ms each (judged).
(c) **queue**: issue 10's queue URLs (``complaints.prepare``) as the busiest examiner; p95 < 200 ms.
(d) **SLA dashboard** ``/kelola/laporan/sla/``: the head of the busiest office (with ``?pemeriksa=`` of each
    examiner) and the national admin (with ``?kantor=`` of each office); p95 < 200 ms.
(e) **yearly statistics** ``/kelola/laporan/statistik/?tahun=``: after a restart (every cache cold), the first
    request of each year for the national admin (national, and ``kantor=`` the busiest office) and the head of
    office, one at a time, timed (< 2 s each, judged; the page cache must say "miss"); ``GET
    /api/complaints/stats/year`` once (national token).
(f) **Open311** ``GET /open311/v2/requests.json`` and ``.xml`` (no filter, ``status``, ``service_code``,
    ``start_date``/``end_date`` windows, a second page) under wrk, against the anonymous trivial view measured
    just before: ≥ 40 % of its requests/s (judged).
(g) **triage**: ``pantau complaints_triage_train`` in a child process (its accuracy on held-back cases and its
    duration), then the suggestion for 200 new cases (texts from the generator's vocabulary, redacted as the
    intake writes them) in a child process, each timed: p95 < 100 ms (judged).

Whatever is missing (a page, the Open311 app, the triage command) is reported as "not measured: <why>".

    .venv/bin/python bench/complaint_search.py                       # both engines, full sizes
    .venv/bin/python bench/complaint_search.py --engine sqlite --quick --no-fail
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import secrets
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import complaints as base  # noqa: E402
from bench import run as served  # noqa: E402
from bench.complaints_data import START  # noqa: E402
from bench.engines import Engine, child_json, log, manage  # noqa: E402

P95_MS = 200.0
YEAR_SECONDS = 2.0
OPEN311_SHARE = 0.40
SUGGEST_P95_MS = 100.0
NEW_CASES = 200
QUEUE, SLA, STATS, OPEN311 = "/kelola/laporan/", "/kelola/laporan/sla/", "/kelola/laporan/statistik/", \
    "/open311/v2/requests"
API_YEAR = "/api/complaints/stats/year"
TRIAGE_COMMAND = ROOT / "pantau/complaints/management/commands/complaints_triage_train.py"
# What staff type into the queue's search, in the words of the generated reports (``complaints_data``): the
# titles' subjects, their everyday variants (misspellings, abbreviations, synonyms) and the reporters' phrases.
QUERIES = (
    "sertifikat tanah", "sertipikat tanah", "balik nama sertifikat", "pengukuran tanah", "sengketa batas tanah",
    "tunjangan kinerja", "kenaikan pangkat pns", "cpns", "pungutan sekolah", "ijazah ditahan", "zonasi",
    "laporan polisi", "sim dipungut", "skck", "ktp elektronik", "e-ktp", "akte kelahiran", "kartu kelurga",
    "surat pindah", "phk", "dana desa", "kepala desa", "ijin usaha", "pbg", "kredit usaha rakyat",
    "klaim asuransi", "jalan rusak", "uji kir", "listrik padam", "pln", "air pdam mati", "pasien bpjs",
    "puskesmas tutup", "bansos", "kartu indonesia sehat", "pkh", "daftar pemilih", "putusan pengadilan",
    "barang bukti", "lapas", "pungli", "petugas membentak", "uang pelicin", "tanpa kepastian",
)
# Who searches, with the filters each combines the text with (besides none).
SEARCHERS = (("examiner", "busiest examiner", ("tab=tugas", "tahap=examination")),
             ("intake", "intake officer", ("tab=tugas", "tahap=formal_verification")),
             ("head", "head of office", ("tab=tugas", "tahap=awaiting_plenary")),
             ("national", "national admin", ("tahap=examination", "jenis=public_report")))
WIB = dt.timezone(dt.timedelta(hours=7))


def child(env: dict[str, str], step: str, *args: str) -> dict[str, Any]:
    return child_json(Path(__file__).resolve(), env, step, *args)


# Child processes (Django configured from the engine's environment) ----------------------------------------

def prepare(bodies: Path, csrf: str) -> dict[str, Any]:
    """Issue 10's examiner and queue, the office's intake officer and head, the national admin (sessions and
    an API token), the URL lists, and the state of the search index."""
    from django.conf import settings
    from django.utils import timezone

    from bench.pages import BENCH_USERNAME, login_session
    from pantau.accounts.models import Membership, Role, User
    from pantau.accounts.services import api_token_create
    from pantau.complaints.models import Case
    from pantau.core import hooks
    from pantau.core.search.models import SearchDocument

    out = base.prepare(bodies, 0, csrf)
    office = out["office"]
    staff = dict(Membership.objects.filter(office_id=office, role__in=(Role.INTAKE_OFFICER, Role.HEAD_OF_OFFICE))
                 .order_by("-user_id").values_list("role", "user__username"))
    users = {"examiner": out["examiner"], "intake": staff.get(Role.INTAKE_OFFICER),
             "head": staff.get(Role.HEAD_OF_OFFICE),
             "national": BENCH_USERNAME if User.objects.filter(username=BENCH_USERNAME).exists() else None}
    out["users"] = users
    out["sessions"] = {k: f"{settings.SESSION_COOKIE_NAME}={login_session(name)}; {out['csrf_cookie']}"
                       for k, name in users.items() if name}
    if users["national"]:
        out["token"] = api_token_create(actor=User.objects.get(username=BENCH_USERNAME), name="bench")[1]
    out["search"] = {who: [f"{QUEUE}?{urlencode({'q': q})}{'&' + f if f else ''}" for q in QUERIES
                           for f in ("", *filters)] for who, _label, filters in SEARCHERS}
    examiners = list(Membership.objects.filter(office_id=office, role=Role.EXAMINER)
                     .order_by("user_id").values_list("user_id", flat=True))
    offices = sorted(set(Case.objects.values_list("office_id", flat=True).distinct()) - {None})
    out["sla"] = {"head": [SLA] + [f"{SLA}?pemeriksa={pk}" for pk in examiners],
                  "national": [SLA] + [f"{SLA}?kantor={pk}" for pk in offices]}
    today = timezone.localdate()
    out["years"] = list(range(START.year, today.year + 1))
    out["open311"] = open311_urls(random.Random(11), today)
    out["index"] = {"kind": "complaint" in hooks.search_sources(), "cases": Case.objects.count(),
                    "documents": SearchDocument.objects.filter(kind="complaint").count()}
    return out


def open311_urls(rng: random.Random, today: dt.date) -> dict[str, Any]:
    """``GET requests`` with the spec's filters, per format; or why Open311 cannot be measured."""
    try:
        from pantau.open311 import catalog
    except ImportError as exc:
        return {"skipped": f"the Open311 app cannot be imported ({exc})"}
    codes = sorted(catalog.substance_by_code())
    span = (today - START).days
    queries: list[dict[str, str]] = [{}, {"status": "open"}, {"status": "closed"}, {"page": "2"}]
    queries += [{"service_code": code} for code in codes]
    queries += [{"service_code": code, "status": "open"} for code in rng.sample(codes, min(5, len(codes)))]
    for _ in range(24):
        start = START + dt.timedelta(days=rng.randint(0, max(0, span - 7)))
        end = min(start + dt.timedelta(days=rng.choice((7, 30, 90))), today + dt.timedelta(days=1))
        window = {"start_date": dt.datetime.combine(start, dt.time(), WIB).isoformat(),
                  "end_date": dt.datetime.combine(end, dt.time(), WIB).isoformat()}
        extra = rng.choice(({}, {"status": "open"}, {"service_code": rng.choice(codes)}))
        queries.append({**window, **extra})
    return {fmt: [f"{OPEN311}.{fmt}" + (f"?{urlencode(q)}" if q else "") for q in queries] for fmt in ("json", "xml")}


def suggestions(count: int, seed: int) -> dict[str, Any]:
    """The stored triage models' accuracy, then ``count`` new cases' suggestions, each timed."""
    from bench import complaints_data as data
    from pantau.complaints import triage
    from pantau.complaints.models import Case, TriageModel
    from pantau.complaints.redact import redact

    stored = list(TriageModel.objects.order_by("office_id", "-version")
                  .values("office_id", "version", "cases", "held_back", "accuracy"))
    if not stored:
        return {"skipped": "no triage model was stored (see the command's output)"}
    national = next((m for m in stored if m["office_id"] is None), None)
    rng = random.Random(seed)
    offices = sorted({o for o in Case.objects.values_list("office_id", flat=True).distinct() if o})
    timings, top1, top3, missing = [], 0, 0, 0
    for _ in range(count):
        substance, forms = data._subject(rng)  # noqa: SLF001 - the generator's own draw of a case's subject
        title = rng.choice(data.SUBSTANCE_TITLES[substance][1])
        chronology = " ".join(rng.choice(data.FORM_SENTENCES[f]).format(what=title.lower()) for f in forms)
        case = Case(office_id=rng.choice(offices), title=title, chronology=chronology,
                    public_summary=redact(chronology))
        started = time.perf_counter()
        suggestion = triage.suggest(case)
        timings.append(1000 * (time.perf_counter() - started))
        if suggestion is None:
            missing += 1
            continue
        top1 += suggestion.substances[0].label == substance
        top3 += substance in {g.label for g in suggestion.substances}
    ordered = sorted(timings)
    return {"models": len(stored), "office_models": sum(1 for m in stored if m["office_id"] is not None),
            "national": national, "cases": count, "without": missing,
            "first_ms": round(timings[0], 2), "p50_ms": round(ordered[len(ordered) // 2], 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
            "max_ms": round(ordered[-1], 2), "new_top1": round(top1 / count, 3), "new_top3": round(top3 / count, 3)}


def run_child(args: argparse.Namespace) -> dict[str, Any]:
    import django

    django.setup()
    if args.child == "prepare":
        return prepare(Path(args.bodies), args.csrf)
    return suggestions(args.count, args.seed)


# Measurements -------------------------------------------------------------------------------------------

def search_index(engine: Engine, prep: dict[str, Any]) -> dict[str, Any]:
    """(a) the documents the cached generation wrote; indexed again on this copy only when incomplete."""
    index = prep["index"]
    generated = engine.info.get("generated")
    out: dict[str, Any] = {**index, "at_generation": generated.get("timings", {}).get("search_reindex")
                           if isinstance(generated, dict) else "cached"}
    if not index["kind"]:
        return {**out, "skipped": "pantau has no search kind 'complaint' (pantau/complaints/search_docs.py)"}
    if index["documents"] < index["cases"]:
        log(f"{engine.name}: {index['documents']} search documents for {index['cases']} cases: search_reindex")
        started = time.monotonic()
        manage(engine.env, "search_reindex", "--kind", "complaint")
        out["on_copy"] = round(time.monotonic() - started, 1)
    return out


def loads(server: served.Server, work: Path, args: argparse.Namespace, rows: list[tuple[str, list[str], str, str]]
          ) -> dict[str, Any]:
    """wrk on each (name, paths, cookie, who) after a check that a sample answers 200."""
    out: dict[str, Any] = {}
    for name, paths, cookie, who in rows:
        reason = base._preflight(server, paths, cookie, who)  # noqa: SLF001 - issue 10's check
        out[name] = {"skipped": reason} if reason else base._load(args, server, work, name, paths, cookie)  # noqa: SLF001
        log(f"{name}: {out[name]}")
    return out


def timed_get(port: int, path: str, headers: dict[str, str]) -> dict[str, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        started = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        seconds = time.perf_counter() - started
        return {"path": path, "status": response.status, "seconds": round(seconds, 3), "bytes": len(body),
                "cache": response.getheader("X-Pantau-Cache") or ""}
    finally:
        conn.close()


def statistics(server: served.Server, prep: dict[str, Any]) -> dict[str, Any]:
    """(e) right after a restart: each year's page, first request per viewer, then the API once."""
    sessions = prep["sessions"]
    viewers = [("national", "national", "")] if "national" in sessions else []
    viewers += [("national", "national, one office", f"&kantor={prep['office']}")] if viewers else []
    viewers += [("head", "head of office", "")] if "head" in sessions else []
    rows = []
    for year in prep["years"]:
        for who, label, extra in viewers:
            row = timed_get(server.port, f"{STATS}?tahun={year}{extra}", {"Cookie": sessions[who]})
            rows.append({**row, "year": year, "viewer": label})
            log(f"(e) {label} {year}: {row['status']} in {row['seconds']} s (cache {row['cache'] or '-'})")
    out: dict[str, Any] = {"pages": rows}
    if "token" in prep:
        api = timed_get(server.port, f"{API_YEAR}?year={prep['years'][-1]}",
                        {"Authorization": f"Bearer {prep['token']}"})
        out["api"] = {**api, "year": prep["years"][-1], "viewer": "national admin (token)"}
    else:
        out["api"] = {"skipped": "no national admin in the data to hold a token"}
    return out


def train(engine: Engine) -> dict[str, Any]:
    """(g) the triage command in a child process, timed, then the suggestions."""
    if not TRIAGE_COMMAND.exists():
        return {"skipped": "the command pantau complaints_triage_train does not exist yet"}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "django", "complaints_triage_train"], env=engine.env, cwd=ROOT,
                          capture_output=True, text=True, check=False, timeout=4 * 3600)
    out: dict[str, Any] = {"seconds": round(time.perf_counter() - started, 1), "exit": done.returncode,
                           "output": done.stdout.strip().splitlines(), "errors": done.stderr.strip()[-800:]}
    log(f"(g) complaints_triage_train: exit {done.returncode} in {out['seconds']} s: {out['output'][:1]}")
    if done.returncode:
        return {**out, "skipped": f"pantau complaints_triage_train failed (exit {done.returncode})"}
    out["suggest"] = child(engine.env, "suggest", "--count", str(NEW_CASES), "--seed", "12")
    log(f"(g) suggestions: {out['suggest']}")
    return out


def measure(engine: Engine, work: Path, args: argparse.Namespace) -> dict[str, Any]:
    bodies = work / f"complaint-search-bodies-{os.getpid()}.txt"
    try:
        prep = child(engine.env, "prepare", "--bodies", str(bodies), "--csrf", secrets.token_hex(16))
    finally:
        bodies.unlink(missing_ok=True)
    out: dict[str, Any] = {"engine": engine.name, "info": engine.info, "users": prep["users"],
                           "office": prep["office"], "index": search_index(engine, prep)}
    sessions, anonymous = prep["sessions"], prep["csrf_cookie"]
    labels = {who: label for who, label, _f in SEARCHERS}
    server = served.Server(engine, work, argparse.Namespace(workers=2, worker_class="sync", gthreads=1))
    try:
        server.start()
        out["trivial"] = loads(server, work, args, [
            ("trivial", ["/bench/trivial/"], anonymous, "anonymous"),
            ("trivial_signed_in", ["/bench/trivial/"], sessions["examiner"], "signed in")])
        out["search"] = loads(server, work, args, [
            (who, prep["search"][who], sessions[who], f"signed in as the {labels[who]}")
            for who, _label, _f in SEARCHERS if who in sessions])
        out["queue"] = loads(server, work, args, [("examiner", prep["queue"], sessions["examiner"],
                                                   "signed in as the busiest examiner")])
        out["sla"] = loads(server, work, args, [
            (who, prep["sla"][who], sessions[who], f"signed in as the {labels[who]}")
            for who in ("head", "national") if who in sessions])
        server.restart()  # every cache cold
        out["statistics"] = statistics(server, prep)
        if "skipped" in prep["open311"]:
            out["open311"] = {"skipped": prep["open311"]["skipped"]}
        else:
            out["open311"] = loads(server, work, args, [
                ("trivial", ["/bench/trivial/"], anonymous, "anonymous"),
                *[(fmt, prep["open311"][fmt], anonymous, "anonymous") for fmt in ("json", "xml")]])
            trivial = out["open311"]["trivial"]["rps"]
            for fmt in ("json", "xml"):
                if "skipped" not in out["open311"][fmt]:
                    out["open311"][fmt]["share"] = round(out["open311"][fmt]["rps"] / max(trivial, 0.01), 3)
    finally:
        server.stop()
    out["triage"] = train(engine)
    return out


# Verdicts and tables --------------------------------------------------------------------------------------

def _load_misses(row: dict[str, Any]) -> list[str]:
    miss = []
    if row["p95_ms"] >= P95_MS:
        miss.append(f"p95 {row['p95_ms']} ms ≥ {P95_MS:.0f} ms")
    if row["non200"]:
        miss.append(f"{row['non200']} answers not 200")
    return miss


def verdicts(r: dict[str, Any]) -> dict[str, list[str]]:
    """What missed its budget, by part and row ("not measured" is reported, not judged)."""
    miss: dict[str, list[str]] = {}
    for part in ("search", "queue", "sla"):
        for who, row in r[part].items():
            if "skipped" not in row:
                miss[f"{part} {who}"] = _load_misses(row)
    for row in r["statistics"]["pages"] + [r["statistics"]["api"]]:
        if "skipped" in row:
            continue
        reasons = [f"{row['seconds']} s ≥ {YEAR_SECONDS:.0f} s"] if row["seconds"] >= YEAR_SECONDS else []
        reasons += [f"answered {row['status']}"] if row["status"] != 200 else []
        miss[f"statistics {row['viewer']} {row['year']}"] = reasons
    if "skipped" not in r["open311"]:
        for fmt in ("json", "xml"):
            row = r["open311"][fmt]
            if "skipped" in row:
                continue
            reasons = [f"{100 * row['share']:.0f} % of trivial < {100 * OPEN311_SHARE:.0f} %"] \
                if row["share"] < OPEN311_SHARE else []
            miss[f"open311 {fmt}"] = reasons + ([f"{row['non200']} answers not 200"] if row["non200"] else [])
    suggest = r["triage"].get("suggest", {})
    if "p95_ms" in suggest:
        miss["triage"] = [f"p95 {suggest['p95_ms']} ms ≥ {SUGGEST_P95_MS:.0f} ms"] \
            if suggest["p95_ms"] >= SUGGEST_P95_MS else []
    return miss


def _line(values: tuple[Any, ...]) -> str:
    return " | ".join(str(v) for v in values)


def _verdict(reasons: list[str] | None) -> str:
    return "" if reasons is None else ("pass" if not reasons else "FAIL: " + "; ".join(reasons))


def _load_row(engine: str, label: str, row: dict[str, Any], reasons: list[str] | None, share: str = "") -> str:
    if "skipped" in row:
        return _line((engine, label, "not measured: " + row["skipped"]))
    return _line((engine, label, row["urls"], row["rps"], share, row["p50_ms"], row["p95_ms"], row["cpu_ms"],
                  row["non200"], _verdict(reasons)))


def tables(results: list[dict[str, Any]]) -> str:  # noqa: PLR0912 - one table after the other
    load_head = ("engine", "page", "URLs", "req/s", "% of trivial", "p50 ms", "p95 ms", "CPU ms/req", "non-200",
                 "budget")
    heads = {"a": ("engine", "cases", "documents", "indexed at generation (s)", "indexed on this copy (s)"),
             "b": load_head, "c": load_head, "d": load_head,
             "e": ("engine", "page", "viewer", "year", "status", "seconds", "page cache", "budget"),
             "f": load_head,
             "g": ("engine", "trained (s)", "exit", "accuracy (held back, national)", "models", "new cases",
                   "first ms", "p50 ms", "p95 ms", "max ms", "new top-1 / top-3", "budget")}
    lines = {k: [_line(v)] for k, v in heads.items()}
    for r in results:
        e = r["engine"]
        if "skipped" in r:
            for key in lines:
                lines[key].append(_line((e, "not measured: " + r["skipped"])))
            continue
        miss = verdicts(r)
        x = r["index"]
        lines["a"].append(_line((e, x["cases"], x["documents"], x["at_generation"], x.get("on_copy", "-")))
                          if "skipped" not in x else _line((e, "not measured: " + x["skipped"])))
        for name, label in (("trivial", "trivial view, anonymous"), ("trivial_signed_in", "trivial view, signed in")):
            lines["b"].append(_load_row(e, label, r["trivial"][name], None))
        for who, label, filters in SEARCHERS:
            if who in r["search"]:
                lines["b"].append(_load_row(e, f"{QUEUE}?q= ({label}; alone, {', '.join(filters)})", r["search"][who],
                                            miss.get(f"search {who}")))
        lines["c"].append(_load_row(e, f"{QUEUE} (busiest examiner: tabs, filters, pages)", r["queue"]["examiner"],
                                    miss.get("queue examiner")))
        for who, label in (("head", f"{SLA} (head of office, ?pemeriksa=)"),
                           ("national", f"{SLA} (national, ?kantor=)")):
            if who in r["sla"]:
                lines["d"].append(_load_row(e, label, r["sla"][who], miss.get(f"sla {who}")))
        s = r["statistics"]
        for row in s["pages"]:
            reasons = miss.get(f"statistics {row['viewer']} {row['year']}")
            lines["e"].append(_line((e, STATS, row["viewer"], row["year"], row["status"], row["seconds"],
                                     row["cache"] or "-", _verdict(reasons))))
        api = s["api"]
        lines["e"].append(_line((e, API_YEAR, "not measured: " + api["skipped"])) if "skipped" in api else _line((
            e, API_YEAR, api["viewer"], api["year"], api["status"], api["seconds"], "-",
            _verdict(miss.get(f"statistics {api['viewer']} {api['year']}")))))
        o = r["open311"]
        if "skipped" in o:
            lines["f"].append(_line((e, f"{OPEN311}.json/.xml", "not measured: " + o["skipped"])))
        else:
            lines["f"].append(_load_row(e, "trivial view, anonymous", o["trivial"], None, "100 %"))
            for fmt in ("json", "xml"):
                row = o[fmt]
                share = f"{100 * row['share']:.0f} %" if "share" in row else ""
                lines["f"].append(_load_row(e, f"{OPEN311}.{fmt} (filters, windows)", row, miss.get(f"open311 {fmt}"),
                                            share))
        t = r["triage"]
        g = t.get("suggest", {})
        if "skipped" in t or "skipped" in g:
            lines["g"].append(_line((e, t.get("seconds", "-"), t.get("exit", "-"),
                                     "not measured: " + (t.get("skipped") or g["skipped"]))))
        else:
            lines["g"].append(_line((e, t["seconds"], t["exit"], _accuracy(g["national"]), g["models"], g["cases"],
                                     g["first_ms"], g["p50_ms"], g["p95_ms"], g["max_ms"],
                                     f"{100 * g['new_top1']:.0f} % / {100 * g['new_top3']:.0f} %",
                                     _verdict(miss.get("triage")))))
    titles = {"a": "(a) search index of the cases (pantau search_reindex --kind complaint)",
              "b": "(b) queue text search, gunicorn 2 sync workers, wrk 20 connections",
              "c": "(c) queue pages (issue 10's list), same server",
              "d": "(d) SLA dashboard, same server",
              "e": "(e) yearly statistics, first request after a restart (cold), one at a time",
              "f": "(f) Open311 GET requests against the anonymous trivial view, same server",
              "g": "(g) triage: pantau complaints_triage_train, then the suggestion for new cases (child process)"}
    return "\n\n".join(f"{titles[k]}\n" + "\n".join(v) for k, v in lines.items())


def _accuracy(model: dict[str, Any] | None) -> str:
    """The national model's measures on its held-back cases."""
    if not model:
        return "no national model"
    a = model.get("accuracy") or {}
    parts = [f"{model['held_back']} of {model['cases']} held back"]
    if "substance" in a:
        top1, top3 = a["substance"]["top1"], a["substance"]["top3"]
        parts.append(f"substance top-1 {100 * top1:.0f} %, top-3 {100 * top3:.0f} %")
    if "forms" in a:
        parts.append(f"forms micro-F1 {100 * a['forms']['micro_f1']:.0f} %")
    if "institution" in a:
        parts.append(f"institution top-1 {100 * a['institution']['top1']:.0f} %")
    return "; ".join(parts)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    base.add_options(p)
    p.add_argument("--child", choices=("prepare", "suggest"), help=argparse.SUPPRESS)
    p.add_argument("--bodies", help=argparse.SUPPRESS)
    p.add_argument("--csrf", help=argparse.SUPPRESS)
    p.add_argument("--count", type=int, default=NEW_CASES, help=argparse.SUPPRESS)
    p.add_argument("--seed", type=int, default=12, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.duration is None:
        args.duration = 2 if args.quick else 15
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        print("BENCH_JSON " + json.dumps(run_child(args), default=str), flush=True)
        return 0
    return base.run_engines(args, measure, tables, verdicts)


if __name__ == "__main__":
    sys.exit(main())
