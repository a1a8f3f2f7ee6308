"""Screenshots of every page of the app in Norwegian Bokmål into docs/screenshots/.

    python3 tools/screenshots.py            # starts its own app on a free port, empty temp store
    python3 tools/screenshots.py --url http://127.0.0.1:8501   # an app that already runs

Uses headless Chromium (/usr/bin/chromium or $KG_CHROMIUM) through Playwright; nothing is
fetched from the network. Each view is opened by its link (the same query parameters a user
can share), so the pictures show what those links show.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
sys.path.insert(0, str(ROOT / "tests"))
from servers import AppServer  # noqa: E402 - the one way the tests start the app

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]

# (file name, link, height cap in pixels)
VIEWS = [
    ("01-oversikt", "/", 2200),
    ("02-avhengigheter", "/dependencies?project=A4&direction=up&depth=1", 1700),
    ("03-konsekvenser", "/impact?scenario=slip&project=A2&weeks=8", 2000),
    ("04-styring", "/governance?view=project&project=A4", 1800),
    ("04b-styring-organisasjonskart", "/governance?view=chart", 1500),
    ("05-ikt", "/ict?system=gerica", 2400),
    ("06-baerekraft", "/sdg?view=down&target=11", 1900),
    ("06b-baerekraft-dekning", "/sdg?view=coverage", 1500),
    ("06c-kpi", "/kpis?view=kpis&kpi=K1", 1700),
    ("06d-budsjett", "/kpis?view=budget", 2000),
    ("06e-risiko", "/kpis?view=risks", 1500),
    ("06f-historikk", "/history?project=A4", 1800),
    ("07-sporringer", "/query?query=dependencies", 1500),
    ("08-data", "/data", 1600),
]


def settle(page, timeout: float = 120) -> None:
    """Until Streamlit has finished its run (no running indicator for a second)."""
    page.wait_for_selector('[data-testid="stSidebarNav"]')
    quiet, end = 0, time.time() + timeout
    while quiet < 4 and time.time() < end:
        busy = page.evaluate("""() => !!document.querySelector('[data-testid="stStatusWidget"]')
            || !!document.querySelector('[data-testid="stSkeleton"]') || !!document.querySelector('[data-stale="true"]')""")
        quiet = 0 if busy else quiet + 1
        time.sleep(0.25)
    time.sleep(1.5)  # graph iframes draw after the run


def shoot(url: str) -> list[Path]:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    done = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="nb-NO")
        ctx.route(
            "**/*",
            lambda r: (
                r.continue_()
                if r.request.url.startswith((url, "data:", "blob:", "about:"))
                else r.abort()
            ),
        )
        page = ctx.new_page()
        page.set_default_timeout(120_000)
        for name, link, cap in VIEWS:
            page.goto(url + link)
            settle(page)
            if link.startswith("/query"):
                page.get_by_role("button", name="Kjør").click()
                settle(page)
            height = page.evaluate("""() => { const el = document.querySelector('[data-testid="stMainBlockContainer"]');
                return el ? el.scrollHeight + 120 : document.body.scrollHeight; }""")
            page.set_viewport_size({"width": 1440, "height": max(1000, min(cap, int(height)))})
            time.sleep(1.0)
            # a page that failed is not a picture of the product: stop and say which
            failed = page.locator('[data-testid="stException"]')
            if failed.count():
                raise SystemExit(f"{link}: the page shows an error: {failed.first.inner_text()}")
            path = OUT / f"{name}.png"
            page.screenshot(path=str(path))
            page.set_viewport_size({"width": 1440, "height": 1000})
            done.append(path)
            print(path.relative_to(ROOT))
        browser.close()
    return done


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", help="an app that already runs (else one is started)")
    args = ap.parse_args()
    if args.url:
        shoot(args.url.rstrip("/"))
        return
    with tempfile.TemporaryDirectory() as tmp:
        app = AppServer(Path(tmp) / "streamlit.log", env={"KG_STORE": str(Path(tmp) / "store")})
        try:
            shoot(app.url)
        finally:
            app.stop()


if __name__ == "__main__":
    main()
