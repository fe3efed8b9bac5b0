"""HTTP load generators for the server benchmarks: paced clients on one asyncio loop, and wrk for saturation.

Why paced: "50 concurrent clients" of an API such as the credit check are 50 agencies' systems, each sending a
request, reading the answer and going on with its own work before the next one. A closed loop (every client
re-sends the instant it has an answer) measures something else: how long the queue grows when the server is
saturated. By Little's law its mean latency is clients ÷ throughput, so on a small machine even a trivial
endpoint cannot answer 50 closed-loop clients in 20 ms. Both are reported, each beside the same server's
``/healthz``.

Think times are exponentially distributed (each client a Poisson source): fixed think times synchronise the
clients into bursts after the first slow answer and measure the burst, not the server. Latency is measured per
request from the moment it is sent (including a new TCP connection when the server closed the previous one,
as gunicorn's sync workers do after every response) to the last byte of the body.
"""

from __future__ import annotations

import asyncio
import random
import re
import shutil
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

#: (client number, that client's random source) → the raw request to send
MakeRequest = Callable[[int, random.Random], bytes]


@dataclass
class Result:
    """Latencies in seconds of the requests started inside the measured window."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    failures: int = 0
    seconds: float = 0.0

    @property
    def errors(self) -> int:
        return self.failures + sum(n for status, n in self.statuses.items() if status != 200)

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def ms(self, q: float) -> float:
        s = sorted(self.latencies)
        return s[min(int(len(s) * q), len(s) - 1)] * 1e3 if s else float("nan")

    @property
    def mean_ms(self) -> float:
        return statistics.mean(self.latencies) * 1e3 if self.latencies else float("nan")


def get(path: str, headers: dict[str, str] | None = None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: 127.0.0.1", *(f"{k}: {v}" for k, v in (headers or {}).items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Status and whether the connection may be reused; the body is read and dropped."""
    head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
    status = int(head[0].split()[1])
    headers = {k.strip().lower(): v.strip().lower() for k, v in (x.split(":", 1) for x in head[1:] if ":" in x)}
    keep = headers.get("connection") != "close"
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding") == "chunked":
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    else:
        await reader.read()
        keep = False
    return status, keep


async def _client(number: int, seed: int, port: int, make: MakeRequest, think: float, start: float, until: float,
                  result: Result) -> None:
    rnd = random.Random(seed)
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    while True:
        if think:
            await asyncio.sleep(rnd.expovariate(1 / think))
        sent = time.perf_counter()
        if sent >= until:
            break
        request = make(number, rnd)
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            status, keep = await asyncio.wait_for(_read_response(reader), 30)  # type: ignore[arg-type]
        except (TimeoutError, OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError):
            if sent >= start:
                result.failures += 1
            writer, keep = None, False
            continue
        if sent >= start:
            result.latencies.append(time.perf_counter() - sent)
            result.statuses[status] += 1
        if not keep:
            writer.close()
            writer = reader = None
    if writer is not None:
        writer.close()


def paced(port: int, make: MakeRequest, *, clients: int, think: float, seconds: float, warmup: float = 3.0,
          seed: int = 0) -> Result:
    """``clients`` clients, each waiting an exponential think time of mean ``think`` s before every request, for
    ``warmup`` + ``seconds`` s; only requests sent in the last ``seconds`` s are counted."""

    async def run() -> Result:
        result = Result(seconds=seconds)
        now = time.perf_counter()
        start, until = now + warmup, now + warmup + seconds
        await asyncio.gather(*(_client(i, seed * 1000 + i, port, make, think, start, until, result)
                               for i in range(clients)))
        return result

    return asyncio.run(run())


_UNIT = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNIT[unit]


@dataclass
class WrkResult:
    rate: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def wrk(port: int, path: str, *, connections: int, seconds: int, lua: str = "") -> WrkResult:
    """Closed loop: ``connections`` connections re-sending the moment they have an answer (saturation)."""
    with tempfile.TemporaryDirectory() as tmp:
        args = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
        if lua:
            script = Path(tmp) / "load.lua"
            script.write_text(lua)
            args += ["-s", str(script)]
        out = subprocess.run([*args, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True,
                             check=True).stdout
    dist = dict(re.findall(r"^\s+(\d+)%\s+(\S+)$", out, re.M))
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    # a read error is how wrk counts the server closing a connection after its response (gunicorn sync), not a
    # failed request; connect/write errors and timeouts are failures
    failed = sum(int(socket.group(i)) for i in (1, 3, 4)) if socket else 0
    return WrkResult(rate=float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
                     p50_ms=_ms(dist["50"]), p99_ms=_ms(dist["99"]), requests=requests,
                     errors=(int(bad.group(1)) if bad else 0) + failed)


def rotating_lua(paths: list[str], headers: list[dict[str, str]]) -> str:
    """A wrk script sending ``paths`` round robin, each request with the next of ``headers`` (one token each)."""

    def table(items: list[str]) -> str:
        return "{" + ",".join(f'"{x}"' for x in items) + "}"

    header_rows = "{" + ",".join("{" + ",".join(f'["{k}"]="{v}"' for k, v in h.items()) + "}" for h in headers) + "}"
    return (f"local paths = {table(paths)}\nlocal headers = {header_rows}\nlocal i = 0\n"
            "local n = 0\nsetup = function(thread) thread:set('offset', n * 7919); n = n + 1 end\n"
            "request = function()\n  i = i + 1\n  local k = i + (offset or 0)\n"
            "  return wrk.format('GET', paths[k % #paths + 1], headers[k % #headers + 1])\nend\n")
