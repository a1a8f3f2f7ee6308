"""End to end in real headless Chromium (Playwright, sync API) against ``streamlit run app.py``.

The server runs as a subprocess on 127.0.0.1 with an empty temporary ``KG_STORE``, so the first
page view also builds the bundled graph. The test opens every page through the sidebar, checks
that the dependency graph is drawn (a non-empty vis canvas inside the component iframe), runs a
what-if, runs a query and downloads its CSV, loads the XSS dataset (tests/xss) and proves that
nothing in it ran. It fails on any JavaScript console error and on any request to a host other
than 127.0.0.1/localhost. Screenshots go to test-artifacts/screenshots/ (the ones in
docs/screenshots/ are made by tools/screenshots.py).

Needs /usr/bin/chromium (no ``playwright install``); skipped when it is missing.
"""

from __future__ import annotations

import socket
import time
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
import streamlit_wait
from servers import CHROMIUM, AppServer

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "screenshots"
# Chromium's flags and the one browser of the run: tests/conftest.py (chromium, browser).
LOCAL = {"127.0.0.1", "localhost"}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM}")
sync_api = pytest.importorskip("playwright.sync_api")

# The sidebar's page names in Norwegian (the browser's locale is nb-NO).
PAGES = [
    "Oversikt",
    "Avhengigheter",
    "Konsekvenser",
    "Styring",
    "IKT-portefølje",
    "Bærekraftsmål",
    "Spørringer",
    "Data",
]

CANVAS_PIXELS = """() => {
  const c = document.querySelector('#graph canvas');
  if (!c || !c.width || !c.height) return null;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let n = 0;
  for (let i = 3; i < d.length; i += 4) if (d[i] !== 0) n++;
  return {width: c.width, height: c.height, painted: n};
}"""


class Server(AppServer):
    """The app on ``store`` (KG_STORE), in Norwegian."""

    def __init__(self, store: Path, log: Path):
        super().__init__(log, env={"KG_STORE": str(store)}, start_seconds=90)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("browser")
    srv = Server(tmp / "store", tmp / "streamlit.log")
    yield srv
    srv.stop()
    assert srv.proc.poll() is not None


class Session:
    """One browser tab on the app that records console errors and every request's host."""

    def __init__(self, browser, server: Server, locale: str = "nb-NO"):
        self.ctx = browser.new_context(
            viewport={"width": 1440, "height": 1000}, locale=locale, accept_downloads=True
        )
        self.errors: list[str] = []
        self.foreign: list[str] = []
        self.ctx.route("**/*", self._route)
        self.ctx.add_init_script(streamlit_wait.INIT_SCRIPT)
        self.page = self.ctx.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e}"))
        self.page.set_default_timeout(90_000)
        self.page.goto(server.url + "/")
        self.settle()

    def _route(self, route) -> None:
        url = route.request.url
        host = urlparse(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host in LOCAL:
            route.continue_()
        else:
            self.foreign.append(url)
            route.abort()

    def settle(self, extra: float = 0.0, timeout: float = 90) -> None:
        """Wait until Streamlit has finished the runs asked for (tests/streamlit_wait.py)."""
        streamlit_wait.settle(self.page, extra, timeout)

    def open(self, name: str) -> None:
        self.page.locator('[data-testid="stSidebarNav"] a').filter(has_text=name).first.click()
        self.page.wait_for_function(
            "(t) => [...document.querySelectorAll('h1')].some(h => h.textContent.length > 0)",
            arg=name,
        )
        self.settle()

    def graph_frame(self, timeout: float = 60):
        """The iframe that holds a drawn vis network (its canvas painted)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            for f in self.page.frames:
                try:
                    if f.evaluate("() => document.body && document.body.dataset.ready === '1'"):
                        return f
                except Exception:  # frames come and go while Streamlit reruns
                    pass
            time.sleep(0.2)
        raise AssertionError("no drawn graph within the time limit")

    def screenshot(self, name: str, cap: int = 2400) -> Path:
        """The whole page (the window is made as tall as the content, up to ``cap`` pixels)."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page = self.page
        height = page.evaluate("""() => {
            const el = document.querySelector('[data-testid="stMainBlockContainer"]');
            return el ? el.scrollHeight + 120 : document.body.scrollHeight; }""")
        page.set_viewport_size({"width": 1440, "height": max(1000, min(cap, int(height)))})
        streamlit_wait.painted(page)  # laid out at the new height, then drawn
        streamlit_wait.drawn(page)
        page.screenshot(path=str(path))
        page.set_viewport_size({"width": 1440, "height": 1000})
        return path

    def xss_ran(self) -> list[str]:
        hit = []
        for f in self.page.frames:
            try:
                if f.evaluate("() => typeof window.__xss !== 'undefined'"):
                    hit.append(f.url)
            except Exception:
                pass
        return hit

    def close(self) -> None:
        self.ctx.close()


def xss_zip(tmp: Path) -> Path:
    path = tmp / "xss.zip"
    with zipfile.ZipFile(path, "w") as z:
        for f in sorted((ROOT / "tests" / "xss").iterdir()):
            z.write(f, f"xss/{f.name}")
    return path


def test_every_page_graph_whatif_query_download(server, browser, tmp_path):
    s = Session(browser, server)
    try:
        page = s.page
        page.get_by_text("Siste status per prosjekt").wait_for()
        s.settle()
        assert page.locator("h1").first.inner_text() == "Oversikt"
        s.screenshot("01-oversikt")

        # Dependencies: A4 by default; the vis canvas in the component iframe is drawn and not empty.
        s.open("Avhengigheter")
        frame = s.graph_frame()
        pixels = frame.evaluate(CANVAS_PIXELS)
        assert (
            pixels and pixels["width"] > 200 and pixels["height"] > 200 and pixels["painted"] > 1000
        ), pixels
        labels = frame.evaluate(
            "() => window.kgNetwork.body.data.nodes.get().map(n => n.label).join('|')"
        )
        for code in ("Prosjekt A2", "Prosjekt A1", "Prosjekt A3", "Prosjekt A5", "Prosjekt A6"):
            assert code in labels
        s.screenshot("02-avhengigheter", cap=1500)

        # What-if: A2 slips 8 weeks → the programme launch on 1.1.2020 moves to 26.2.2020.
        s.open("Konsekvenser")
        page.get_by_role("button", name="Eksempel: A2 blir 8 uker forsinket").click()
        s.settle()
        alert = page.locator('[data-testid="stAlertContentError"]').first.inner_text()
        assert "Nye Asker kommune lanseres" in alert and "2020-02-26" in alert
        s.graph_frame()
        s.screenshot("03-konsekvenser", cap=1900)

        s.open("Styring")
        assert page.get_by_text("Lars Bjerke", exact=False).count() >= 1
        s.graph_frame()
        s.screenshot("04-styring", cap=1400)

        s.open("IKT-portefølje")
        assert page.get_by_text("er valgt for «Pleie og omsorg»", exact=False).count() == 1
        s.screenshot("05-ikt")

        s.open("Bærekraftsmål")
        s.graph_frame()
        s.screenshot("06-baerekraft")

        # Query console: run the named query and download its CSV.
        s.open("Spørringer")
        page.get_by_role("button", name="Kjør").click()
        s.settle()
        assert page.get_by_text("Resultat: Hva prosjektet avhenger av").count() == 1
        with page.expect_download() as info:
            page.get_by_role("button", name="Last ned CSV").click()
        csv_path = tmp_path / "result.csv"
        info.value.save_as(csv_path)
        text = csv_path.read_text(encoding="utf-8-sig")  # Excel's CSV: BOM, ";", nb headings
        assert text.startswith("Node;Kode;Navn;Dybde") and "A2" in text
        s.screenshot("07-sporringer")

        s.open("Data")
        s.screenshot("08-data")

        assert not s.errors, s.errors
        assert not s.foreign, s.foreign
    finally:
        s.close()


def test_xss_dataset_runs_nothing(server, browser, tmp_path):
    s = Session(browser, server)
    try:
        page = s.page
        s.open("Data")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
            str(xss_zip(tmp_path))
        )
        page.get_by_text("Lastet xss.zip", exact=False).wait_for()
        s.settle()
        assert not s.xss_ran()
        for name in PAGES:
            s.open(name)
            if name in ("Avhengigheter", "Konsekvenser", "Styring", "Bærekraftsmål"):
                frame = s.graph_frame()
                labels = frame.evaluate(
                    "() => window.kgNetwork.body.data.nodes.get().map(n => n.label).join('|')"
                )
                # shown literally as text on the canvas (escaped once, in the JSON, not as &lt;)
                assert (
                    "<script>window.__xss=1</script>" in labels
                    or "<img" in labels
                    or "<a" in labels
                )
                assert "&lt;" not in labels
                frame.hover("#graph")  # tooltips are text; hovering must not run anything either
            if name == "Spørringer":
                page.get_by_role("button", name="Kjør").click()
                s.settle()
            time.sleep(0.5)
            assert not s.xss_ran(), f"script ran on {name}"
            s.screenshot(f"xss-{name}")
        assert not s.errors, s.errors
        assert not s.foreign, s.foreign
    finally:
        s.close()


def test_english_locale_and_switch(server, browser):
    s = Session(browser, server, locale="en-US")
    try:
        page = s.page
        assert page.locator("h1").first.inner_text() == "Overview"
        page.get_by_text("Norsk bokmål").click()
        s.settle()
        assert page.locator("h1").first.inner_text() == "Oversikt"
        assert not s.errors, s.errors
        assert not s.foreign, s.foreign
    finally:
        s.close()


def test_server_is_local_only(server):
    with pytest.raises(OSError):
        addr = [
            a for a in socket.gethostbyname_ex(socket.gethostname())[2] if not a.startswith("127.")
        ]
        if not addr:
            raise OSError("no non-loopback address to try")
        with socket.create_connection((addr[0], server.port), timeout=2):
            pass
