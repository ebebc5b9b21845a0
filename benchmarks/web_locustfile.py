"""Locust users for benchmarks/web_bench.py: union leaders reading factory pages and searching.

Not meant to be run on its own (web_bench.py generates the data, starts the server and runs
``locust -f benchmarks/web_locustfile.py --headless ...``), but it can be, against a server
whose database web_bench.py filled:

    WEB_BENCH_SAMPLE=var/web_bench/sample.json .venv/bin/locust -f benchmarks/web_locustfile.py \
        --headless -u 20 -r 20 -t 60s --host http://127.0.0.1:8100

``WEB_BENCH_SAMPLE`` is a JSON file written by web_bench.py: facility ids (all, and those
with findings) and a sample of facilities' names, Khmer names, provinces and OS IDs.
Every response time is also written to ``WEB_BENCH_TIMINGS`` (JSON) when the run stops, so
web_bench.py can compute exact percentiles per endpoint (Locust's CSV rounds them).
"""

from __future__ import annotations

import json
import os
import random
from urllib.parse import urlencode

from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["WEB_BENCH_SAMPLE"], encoding="utf-8") as fh:
    SAMPLE = json.load(fh)

TIMINGS: list[tuple[str, float, bool]] = []


@events.request.add_listener
def _record(request_type, name, response_time, response_length, exception=None, **kw):
    TIMINGS.append((name, response_time, exception is not None))


@events.test_stop.add_listener
def _dump(**kw):
    path = os.environ.get("WEB_BENCH_TIMINGS")
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(TIMINGS, fh)


def _typo(rng: random.Random, word: str) -> str:
    """One slip of the thumb: a letter dropped, doubled, swapped or replaced."""
    if len(word) < 4:
        return word + word[-1]
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + word[i] + word[i:]
    if kind == 2:
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word[:i] + rng.choice("aeiouyrnst") + word[i + 1:]


class UnionLeader(FastHttpUser):
    """Reads factory pages (mostly factories with findings) and searches, on a phone: a
    short think time between taps. Half the users read in Khmer (the language cookie)."""

    wait_time = between(0.5, 1.5)

    def on_start(self):
        self.rng = random.Random()
        self.lang = "km" if self.rng.random() < 0.5 else "en"
        self.headers = {"Cookie": f"django_language={self.lang}",
                        "Accept-Encoding": "gzip"}

    def _get(self, path: str, name: str):
        with self.client.get(path, name=name, headers=self.headers,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif not response.content:
                response.failure("empty body")

    @task(6)
    def factory_page(self):
        ids = SAMPLE["with_findings"] if self.rng.random() < 0.7 else SAMPLE["all_ids"]
        self._get(f"/facilities/{self.rng.choice(ids)}/", "factory")

    @task(4)
    def search(self):
        rng, f = self.rng, self.rng.choice(SAMPLE["facilities"])
        words = [w for w in f["name"].split() if len(w) > 2]
        kind = rng.choices(["name", "partial", "khmer", "misspelt", "province", "os_id"],
                           weights=[2, 3, 2, 2, 2, 1])[0]
        if kind == "khmer":
            khmer = rng.choice(SAMPLE["khmer"])
            # the whole Khmer name, or one word of it as typed on a phone keyboard
            parts = khmer["name_km"].split()
            q = khmer["name_km"] if rng.random() < 0.5 else max(parts, key=len)
            params = {"q": q}
        elif kind == "name":
            params = {"q": f["name"]}
        elif kind == "partial":
            params = {"q": " ".join(words[:2]) if rng.random() < 0.5 else words[0][:5]}
        elif kind == "misspelt":
            params = {"q": " ".join(_typo(rng, w) for w in words[:2])}
        elif kind == "province":
            province = rng.choice(SAMPLE["provinces"])
            params = {"province": province}
            if rng.random() < 0.6:
                params["q"] = rng.choice(SAMPLE["common_words"])
        else:
            params = {"q": f["os_id"] or f["name"]}
        self._get("/?" + urlencode(params), f"search: {kind}")
