"""`python benchmarks/load.py`: the served app under many concurrent askers, as one JSON object.

Starts the real app (`send-assistant serve`) on loopback over a copy of the index, measures one asker alone,
then `--askers` askers at once (a mix of questions, follow-ups with their history, and streamed chats, with
a CLI ingest publishing a new generation in the background), and prints latencies, errors, the p95 ratio to
the lone asker, and the server's memory (RSS) at the start and end of the run. The load test
(tests/test_load.py) runs the same harness with 20 askers.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from core.settings import PROJECT_ROOT, load_settings
from core.text import percentile
from evals.dataset import load_items

LOOPBACK = "127.0.0.1"
START_TIMEOUT_S = 300
MAX_ASKERS = 200  # the harness opens one connection per asker: bounded so a typo cannot flood the machine
CLIENT_TIMEOUT_S = 600  # an asker waits as long as the queue makes it; the wait is the figure measured


@dataclass
class Served:
    process: subprocess.Popen
    url: str
    data_dir: Path
    log: Path  # everything the server printed (stdout and stderr)

    def rss_mb(self) -> float:
        """The server process's resident memory, from /proc (Linux)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
        return 0.0

    def ingest(self, path: Path) -> subprocess.Popen:
        """A CLI ingest of `path` into the served data folder, running beside the app (output: ingest.log)."""
        with (self.data_dir.parent / "ingest.log").open("w") as output:
            return subprocess.Popen([sys.executable, "-m", "cli", "ingest", str(path)], cwd=PROJECT_ROOT,
                                    env=_env(self.data_dir), stdout=output, stderr=subprocess.STDOUT)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    return dict(os.environ, SEND_ASSISTANT_DATA_DIR=str(data_dir), GRADIO_ANALYTICS_ENABLED="False", **extra)


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def serve(data_dir: Path, *options: str, **env: str) -> Served:
    """`send-assistant [options] serve` on a free loopback port, once its page answers; what it prints goes to
    `server.log` beside `data_dir`."""
    import urllib.request

    port = _free_port()
    log = data_dir.parent / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "cli", *options, "serve", "--host", LOOPBACK, "--port",
                                    str(port)], cwd=PROJECT_ROOT, env=_env(data_dir, **env), stdout=output,
                                   stderr=subprocess.STDOUT)
    url = f"http://{LOOPBACK}:{port}/"
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app stopped at start-up: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url + "config", timeout=5):
                return Served(process, url, data_dir, log)
        except OSError:
            time.sleep(1)
    process.kill()
    raise RuntimeError(f"the app did not answer on {url} within {START_TIMEOUT_S} s")


@dataclass
class Run:
    latencies_ms: list[float] = field(default_factory=list)
    engine_ms: list[float] = field(default_factory=list)  # the answer's own timings_ms.total: the rest is waiting
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        return {"answers": len(self.latencies_ms), "errors": len(self.errors),
                "p50_ms": percentile(self.latencies_ms, 50), "p95_ms": percentile(self.latencies_ms, 95),
                "engine_p50_ms": percentile(self.engine_ms, 50), "engine_p95_ms": percentile(self.engine_ms, 95)}


def requests_mix() -> list[tuple[str, list[dict]]]:
    """The evaluation set's questions, follow-ups (with their history) among them."""
    return [(item.question, [dict(m) for m in item.history]) for item in load_items()]


def connect(url: str, askers: int) -> list:
    """One `gradio_client` session per asker, as separate visitors have."""
    from gradio_client import Client

    if not 1 <= askers <= MAX_ASKERS:
        raise ValueError(f"askers must be between 1 and {MAX_ASKERS}")
    return [Client(url, verbose=False, analytics_enabled=False, httpx_kwargs={"timeout": CLIENT_TIMEOUT_S})
            for _ in range(askers)]


def ask_concurrently(clients: list, answers_each: int, mix: list[tuple[str, list[dict]]], first: int = 0) -> Run:
    """Every client at once, each asking `answers_each` questions in turn from `mix` from its `first` on (every
    third one as a streamed chat, the rest through /ask), all started together."""
    run, lock = Run(), threading.Lock()
    start = threading.Barrier(len(clients))

    def asker(number: int) -> None:
        start.wait()
        for turn in range(first, first + answers_each):
            question, history = mix[(number * 7 + turn) % len(mix)]
            began = time.perf_counter()
            engine = None
            try:
                if turn % 3 == 2:
                    _check_chat(clients[number].submit(question, _as_chat(history), "All councils",
                                                       api_name="/chat").result())
                else:
                    engine = _check_ask(clients[number].predict(question, history, "All councils", api_name="/ask"))
            except Exception as exc:  # noqa: BLE001 — every failure is counted, none stops the run
                with lock:
                    run.errors.append(f"{type(exc).__name__}: {str(exc)[:200]}")
                continue
            with lock:
                run.latencies_ms.append((time.perf_counter() - began) * 1000)
                run.engine_ms.extend([engine] if engine is not None else [])

    threads = [threading.Thread(target=asker, args=(n,)) for n in range(len(clients))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return run


def _as_chat(history: list[dict]) -> list[dict]:
    return [{"role": m["role"], "content": [{"type": "text", "text": m["content"]}]} for m in history]


def _check_ask(result: dict) -> float:
    """The engine's own time for a well-formed answer object."""
    if not isinstance(result, dict) or "answer" not in result or not result["answer"]:
        raise ValueError(f"not an answer object: {str(result)[:200]}")
    return result["timings_ms"]["total"]


def _check_chat(result) -> None:
    messages = result[1] if isinstance(result, (list, tuple)) and len(result) > 1 else None
    if not messages or messages[-1]["role"] != "assistant":
        raise ValueError(f"the chat did not end with an answer: {str(result)[:200]}")


def copy_index(source: Path, target: Path) -> Path:
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ingest.lock", "leases"))
    return target


def plan_file(folder: Path) -> Path:
    """A small plan of a fictional council, for the ingest that runs during the load."""
    path = folder / "wrenford-short-breaks.txt"
    path.write_text("Wrenford short breaks plan\n\nThe Wrenford sensory play centre opens to families on "
                    "2 March 2026.\n", encoding="utf-8")
    return path


def measure(data_dir: Path, askers: int, answers_each: int, alone: int, rounds: int = 2, **env: str) -> dict:
    """The whole benchmark on a copy of `data_dir`: a lone asker, then `rounds` rounds of the crowd (a CLI ingest
    publishing a new generation during the first), with the server's memory after each round."""
    mix = requests_mix()
    with tempfile.TemporaryDirectory() as folder:
        served = serve(copy_index(data_dir, Path(folder) / "data"), **env)
        try:
            alone_client = connect(served.url, 1)
            ask_concurrently(alone_client, 3, mix)  # warm-up: the first answers build caches
            rss = [served.rss_mb()]
            lone = ask_concurrently(alone_client, alone, mix)
            crowd = connect(served.url, askers)
            ingest = served.ingest(plan_file(Path(folder)))
            runs = []
            for number in range(rounds):
                runs.append(ask_concurrently(crowd, answers_each, mix, first=number * answers_each))
                if number == 0:
                    ingest_code = ingest.wait()
                rss.append(served.rss_mb())
        finally:
            served.stop()
    many = Run(*(sum((getattr(run, name) for run in runs), []) for name in ("latencies_ms", "engine_ms", "errors")))
    return {
        "askers": askers, "one_asker": lone.summary(), "many_askers": many.summary(),
        "p95_ratio_to_one_asker": round(many.summary()["p95_ms"] / max(lone.summary()["p95_ms"], 1e-9), 2),
        "ingest_during_load_exit_code": ingest_code, "errors_sample": many.errors[:5],
        "rss_mb": {"after_warm_up": rss[0], "after_each_round": rss[1:],
                   "last_to_first_round_ratio": round(rss[-1] / rss[1], 3),
                   "last_to_second_round_ratio": round(rss[-1] / rss[min(2, len(rss) - 1)], 3)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--askers", type=int, default=100)
    parser.add_argument("--answers", type=int, default=1000, help="answers in all, shared among the askers")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the crowd (memory is read after each; an "
                                                              "ingest runs during the first)")
    parser.add_argument("--alone", type=int, default=30, help="answers the lone asker gives, for the baseline")
    args = parser.parse_args()
    settings = load_settings()
    answers_each = max(1, args.answers // args.askers // args.rounds)
    print(json.dumps(measure(settings.data_dir, args.askers, answers_each, args.alone, args.rounds),
                     indent=2))


if __name__ == "__main__":
    main()
