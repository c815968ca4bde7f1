"""A small HTTP load generator: a few threads, one connection each, bounded in count and time.

It runs in its own process (see benchmarks.http) and imports nothing from Django.
"""

import http.client
import statistics
import threading
import time
from dataclasses import dataclass, field

TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    expect: int = 200


@dataclass(frozen=True)
class Run:
    clients: int
    latencies: list[float]
    seconds: float
    errors: int
    first_error: str
    # Every answer, the warm-up's included: what the server's CPU time was spent on.
    answered: int

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile_ms(self, percent: int) -> float:
        if len(self.latencies) < 2:
            return self.latencies[0] * 1000 if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[percent - 1] * 1000


def drive(
    port: int,
    request: Request,
    clients: int,
    warmup: float,
    duration: float,
    max_requests: int,
) -> Run:
    """Send `request` from `clients` threads: `warmup` seconds unrecorded, then up to
    `duration` seconds or `max_requests` recorded requests, whichever ends first."""
    start = time.perf_counter()
    recording_from = start + warmup
    stop_at = recording_from + duration
    latencies: list[float] = []
    errors: list[str] = []
    answered = 0
    lock = threading.Lock()

    def client() -> None:
        nonlocal answered
        # http.client reconnects by itself when the server closes (gunicorn's sync
        # workers answer every request with Connection: close).
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_SECONDS)
        try:
            while True:
                sent = time.perf_counter()
                if sent >= stop_at:
                    return
                try:
                    connection.request(
                        request.method, request.path, body=request.body, headers=request.headers
                    )
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException) as error:
                    connection.close()
                    status, reason = 0, repr(error)
                else:
                    reason = f"HTTP {status}"
                done = time.perf_counter()
                with lock:
                    answered += 1
                if sent < recording_from:
                    continue
                with lock:
                    if status != request.expect:
                        errors.append(reason)
                    elif len(latencies) < max_requests:
                        latencies.append(done - sent)
                    if len(latencies) >= max_requests:
                        return
        finally:
            connection.close()

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - recording_from
    return Run(clients, latencies, seconds, len(errors), errors[0] if errors else "", answered)
