"""Locust users for bench/load.py (run by it; not a test). Each user asks, with no pause,
for a public page drawn by weight from the list that bench/load.py wrote to the JSON file
named by PERTUTTI_LOAD_URLS: {"kind": [[url, ...], weight], ...}. Requests are reported per
kind; anything but a 200 with a body is a failure. Like a phone browser, users send
Accept-Encoding: gzip and no cookie."""

import json
import os
import random

from locust import FastHttpUser, constant, task

PLAN = json.loads(open(os.environ["PERTUTTI_LOAD_URLS"], encoding="utf-8").read())  # noqa: SIM115
KINDS = list(PLAN)
WEIGHTS = [PLAN[kind][1] for kind in KINDS]
HEADERS = {"Accept-Encoding": "gzip", "Accept-Language": "it"}


class Reader(FastHttpUser):
    wait_time = constant(0)

    @task
    def page(self) -> None:
        kind = random.choices(KINDS, WEIGHTS)[0]  # noqa: S311 - a traffic mix, not security
        url = random.choice(PLAN[kind][0])  # noqa: S311
        with self.client.get(url, name=kind, headers=HEADERS, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {url}")
            elif not response.content:
                response.failure(f"empty body {url}")
