"""Web-page capture (网页取证) in headless Chromium: screenshot, HTML, response headers, capture time.

Debian's ``chromium`` is driven by Playwright (never a downloaded browser).
The capture runs in a fresh profile with background networking off, so the
page is fetched exactly once, as the record shows.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from dataclasses import dataclass

from django.conf import settings

from zhibao.core.errors import InvalidInput

_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@dataclass
class Capture:
    url: str
    final_url: str
    status: int
    captured_at: dt.datetime
    screenshot_png: bytes
    html: bytes
    headers_json: bytes


def capture(url: str, *, timeout_ms: int | None = None) -> Capture:
    """Open ``url`` and record it; a URL that cannot be loaded raises InvalidInput with the reason."""
    if not url.startswith(("http://", "https://")):
        raise InvalidInput({"source_url": ["只支持 http:// 或 https:// 网址"]})
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or "/usr/bin/chromium"
    timeout = timeout_ms or settings.ZHIBAO_CAPTURE_TIMEOUT_MS
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=executable, args=_ARGS, headless=True)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                response = page.goto(url, wait_until="load", timeout=timeout)
                if response is None:
                    raise InvalidInput({"source_url": ["网页没有返回内容"]})
                captured_at = dt.datetime.now(dt.UTC)
                shot = page.screenshot(full_page=True, type="png")
                html = page.content().encode("utf-8")
                headers = {"status": response.status, "url": response.url, "headers": response.all_headers(),
                           "captured_at": captured_at.isoformat(), "requested_url": url}
                return Capture(url, response.url, response.status, captured_at, shot, html,
                               json.dumps(headers, ensure_ascii=False, indent=2).encode("utf-8"))
            finally:
                browser.close()
    except PlaywrightError as exc:
        reason = str(exc).splitlines()[0][:200]
        raise InvalidInput({"source_url": [f"网页无法打开：{reason}"]}) from exc
