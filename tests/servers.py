"""Helpers for tests that start real servers (Chroma, llama.cpp, the web app) on loopback."""

from __future__ import annotations

import socket
import subprocess


def free_port() -> int:
    """A loopback port free right now (bound and released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stop(process: subprocess.Popen, timeout: float = 15) -> None:
    """Ask the server to stop; kill it if it has not within `timeout` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
