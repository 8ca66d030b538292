"""The served parts of ``bench/surveys.py``: (b) the public survey form under load and (c) the CSV
export, through gunicorn (``bench.run.Server``: 2 sync workers, the bench settings with the trivial
view) on the run's own copy of the survey data.

(b) ``SURVEY_MIN_SECONDS=0`` (wrk answers at once, a person takes minutes) and
``SURVEY_SUBMIT_LIMIT`` far above what the run sends: the limit counts submissions per client
address, and the 20 clients of the bench all come from 127.0.0.1 — left at 60 an hour, all but 60
would be refused with 429 after the first second. Every request carries a client token of its own,
signed beforehand by a child process with the server's ``SECRET_KEY`` (as the form's GET does:
``Signer(salt="pantau.surveys.form").sign_object({"token": …, "at": …})``), with a CSRF token
matching the cookie wrk sends. Afterwards the stored rows are counted: each 302 must be one new
row (requests still in flight when wrk stopped may have been stored too: at most one per
connection, reported), every row must be counted once in the kept tallies, and answered tokens
sent again (``REPLAYS``) must answer 302 and store nothing.

(c) The national admin's session (``bench.pages.login_session``) GETs
``/kelola/survei/<big campaign>/jawaban.csv`` right after gunicorn starts; the body is read to its
end and its lines counted; the peak RSS is the largest ``VmHWM`` of the workers after it.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import secrets
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from bench import run as served
from bench.engines import BenchError, Engine, log
from bench.surveys_data import GENERATED_PREFIX

LUA = Path(__file__).resolve().parent / "survey_submit.lua"
MAX_RPS = 3000  # bodies written per second of load: more than the trivial view serves here
REPLAYS = 50
Child = Callable[..., dict[str, Any]]
SUBMIT_ENV = {"SURVEY_MIN_SECONDS": "0", "SURVEY_SUBMIT_LIMIT": str(10**9)}


# In the child process (Django configured) ---------------------------------------------------------

def prepare(campaign_id: int, bodies: Path, count: int, csrf: str) -> dict[str, Any]:
    """Write ``count`` form bodies (one a line) for the campaign; the cookies and the public token."""
    from django.conf import settings
    from django.core import signing

    from bench.pages import login_session
    from pantau.surveys.models import Campaign
    from pantau.surveys.views_public import SIGNER_SALT

    campaign = Campaign.objects.select_related("version").get(pk=campaign_id)
    parsed = campaign.version.parsed
    offered = list(campaign.services.values_list("product_id", flat=True))
    choices = {f.code: [name for name, _label in f.options()] for f in parsed.fields if f.type == "choice"}
    signer = signing.Signer(salt=SIGNER_SALT)
    rng = random.Random(9)

    def body() -> str:
        client = secrets.token_hex(16)
        fields = [("token", client), ("started", signer.sign_object({"token": client, "at": time.time()})),
                  ("src", rng.choice(("qr", "web"))), ("csrfmiddlewaretoken", csrf)]
        fields += [(f"q_{q.code}", str(rng.choice((4, 4, 3, 3, 3, 2, 1)))) for q in parsed.elements]
        fields += [(f"p_{code}", rng.choice(names)) for code, names in choices.items()]
        fields += [("p_usia", str(rng.randint(17, 75))), ("p_layanan", str(rng.choice(offered)))]
        if rng.random() < 0.05:
            fields.append(("saran", "Pelayanan cepat, terima kasih."))
        return urlencode(fields)

    with bodies.open("w", encoding="ascii") as out:
        for _ in range(count):
            out.write(body() + "\n")
    return {"public_token": campaign.public_token, "preflight": body(),
            "csrf_cookie": f"{settings.CSRF_COOKIE_NAME}={csrf}",
            "session_cookie": f"{settings.SESSION_COOKIE_NAME}={login_session()}"}


def stored(campaign_id: int) -> dict[str, Any]:
    """The campaign's stored rows, distinct tokens, the rows its kept tallies count and some
    tokens the bench sent; with 0: which campaigns the run uses."""
    from django.db.models import Count

    from pantau.surveys.models import Campaign, Response, Tally

    if not campaign_id:
        big = Campaign.objects.filter(title__contains="(besar)").values_list("pk", flat=True).get()
        unit = Campaign.objects.exclude(pk=big).order_by("pk").values_list("pk", flat=True).first()
        return {"big_campaign": big, "submit_campaign": unit, "big_rows": Response.objects.filter(
            campaign_id=big).count()}
    rows = Response.objects.filter(campaign_id=campaign_id).aggregate(n=Count("pk"), tokens=Count(
        "client_token", distinct=True))
    tally = Tally.objects.filter(campaign_id=campaign_id, dimension="all").values_list("complete", "partial").first()
    sample = list(Response.objects.filter(campaign_id=campaign_id).exclude(client_token__startswith=GENERATED_PREFIX)
                  .order_by("?").values_list("client_token", flat=True)[:REPLAYS])
    return {"rows": rows["n"], "tokens": rows["tokens"], "tally_rows": sum(tally) if tally else 0, "sample": sample}


# In the runner -------------------------------------------------------------------------------------

def vmhwm_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return 0


def post(port: int, path: str, body: str, cookie: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", path, body=body, headers={
            "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


def export_csv(server: served.Server, campaign: int, rows: int, cookie: str) -> dict[str, Any]:
    """(c) the signed-in GET of the campaign's CSV, read to the end, on freshly started workers."""
    before = max(vmhwm_mb(pid) for pid in server.workers)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=600)
    size = lines = 0
    t0 = time.perf_counter()
    try:
        conn.request("GET", f"/kelola/survei/{campaign}/jawaban.csv", headers={"Cookie": cookie})
        response = conn.getresponse()
        if response.status != 200:
            raise BenchError(f"export: GET answered {response.status}: {response.read()[:300]!r}")
        while chunk := response.read(1 << 20):
            size += len(chunk)
            lines += chunk.count(b"\n")
    except (http.client.IncompleteRead, ConnectionError) as exc:  # a worker killed mid-stream
        log(f"export: the stream broke after {lines} lines: {exc!r}")
    finally:
        conn.close()
    seconds = time.perf_counter() - t0
    mb = size / 2**20
    return {"responses": rows, "rows": max(0, lines - 1), "complete": lines - 1 == rows, "mb": round(mb, 1),
            "seconds": round(seconds, 1), "mb_per_s": round(mb / seconds, 1) if seconds else None,
            "worker_rss_before_mb": before, "peak_rss_mb": max(vmhwm_mb(pid) for pid in server.workers)}


def submit_load(server: served.Server, env: dict[str, str], args: argparse.Namespace, campaign: int,
                prepared: dict[str, Any], bodies: Path, child: Child) -> dict[str, Any]:
    """(b) wrk POSTing the form; then the stored rows against the 302s, the tallies and replays."""
    path = f"/survei/{prepared['public_token']}/"
    cookie = prepared["csrf_cookie"]
    before = child(env, "stored", "--campaign", str(campaign))
    cmd = [args.wrk, "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--timeout", "5s", "-s", str(LUA),
           "-H", f"Cookie: {cookie}", f"http://127.0.0.1:{server.port}", "--", path, str(bodies), "2"]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=args.duration + 120)
    line = next((x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON ")), None)
    if line is None:
        raise BenchError(f"wrk gave no result (exit {done.returncode}):\n{done.stdout}\n{done.stderr}")
    result: dict[str, Any] = json.loads(line[len("BENCH_JSON "):])
    time.sleep(1)  # what was in flight when wrk stopped is finished by the workers
    after = child(env, "stored", "--campaign", str(campaign))
    by_token = {}
    with bodies.open(encoding="ascii") as lines:
        wanted = set(after["sample"])
        for body in lines:
            token = body[len("token="):body.index("&")]
            if token in wanted:
                by_token[token] = body.strip()
    replies = [post(server.port, path, by_token[t], cookie) for t in after["sample"] if t in by_token]
    final = child(env, "stored", "--campaign", str(campaign))
    added = after["rows"] - before["rows"]
    in_flight = result["sent"] - result["status_302"] - result["non_302"]
    result.update(
        stored=added, in_flight=in_flight, replayed=len(replies), replay_302=replies.count(302),
        replay_added=final["rows"] - after["rows"], rows=final["rows"], tally_rows=final["tally_rows"],
        rps_302=round(result["status_302"] * 1e6 / result["duration_us"], 1),
        p50_ms=round(result["p50_ms"], 1), p95_ms=round(result["p95_ms"], 1))
    result["consistent"] = bool(
        result["status_302"] <= added <= result["status_302"] + max(0, in_flight) and not result["reused"]
        and final["tokens"] == final["rows"] == final["tally_rows"] and after["tally_rows"] == after["rows"]
        and replies and replies.count(302) == len(replies) and result["replay_added"] == 0)
    return result


def measure(engine: Engine, work: Path, args: argparse.Namespace, ids: dict[str, Any],
            child: Child) -> dict[str, Any]:
    """(c) then (b) on one gunicorn, restarted in between; ``child`` runs a step of bench/surveys.py."""
    env = {**engine.env, **SUBMIT_ENV}
    bodies = work / f"survey-bodies-{os.getpid()}.txt"
    urls = work / f"survey-trivial-{os.getpid()}.txt"
    urls.write_text("/bench/trivial/\n", encoding="utf-8")
    csrf = secrets.token_hex(16)
    count = MAX_RPS * args.duration
    prepared = child(env, "prepare", "--campaign", str(ids["submit_campaign"]), "--bodies", str(bodies),
                     "--count", str(count), "--csrf", csrf)
    server = served.Server(Engine(engine.name, env), work, argparse.Namespace(workers=2, worker_class="sync",
                                                                              gthreads=1))
    out: dict[str, Any] = {}
    try:
        server.start()
        log(f"{engine.name}: (c) CSV export of {ids['big_rows']} responses")
        out["export"] = export_csv(server, ids["big_campaign"], ids["big_rows"],
                                   f"{prepared['session_cookie']}; {prepared['csrf_cookie']}")
        log(f"{engine.name}: {out['export']}")
        server.restart()
        path = f"/survei/{prepared['public_token']}/"
        status = served.get(server.port, path, prepared["csrf_cookie"])[0]
        answered = post(server.port, path, prepared["preflight"], prepared["csrf_cookie"])
        if (status, answered) != (200, 302):
            raise BenchError(f"{engine.name}: GET {path} answered {status}, a POST {answered} (want 200, 302)")
        log(f"{engine.name}: (b) trivial view, then {count} prepared submissions for {args.duration} s")
        trivial = served.wrk(args.wrk, f"http://127.0.0.1:{server.port}", urls, seconds=args.duration,
                             connections=args.connections, threads=2, cookie=prepared["csrf_cookie"])
        out["trivial"] = {"rps": round(trivial["rps"], 1), "p50_ms": round(trivial["p50_ms"], 1),
                          "p95_ms": round(trivial["p95_ms"], 1)}
        submit = submit_load(server, env, args, ids["submit_campaign"], prepared, bodies, child)
        submit["share"] = round(submit["rps_302"] / max(trivial["rps"], 0.01), 3)
        out["submit"] = submit
        log(f"{engine.name}: trivial {out['trivial']}; submit {submit}")
    finally:
        server.stop()
        bodies.unlink(missing_ok=True)
        urls.unlink(missing_ok=True)
    return out
