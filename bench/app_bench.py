"""How fast the app's pages are built, and how fast the first graph shows in a browser.

Run from the repository root::

    python3 bench/app_bench.py               # builders, AppTest pages and browser, 5 repeats each
    python3 bench/app_bench.py --repeats 9 --no-browser
    python3 bench/app_bench.py --store /tmp/1m/store --repeats 3 --first-page   # a built store

It builds the bundled graph (data/nye-asker) into a temporary store (or uses ``--store``, a
store ``kg load`` built, e.g. at the 1M preset) and prints:

1. the server-side time of each graph/answers/ builder a page uses (median of the repeats);
2. the server-side time to build each page with streamlit.testing's AppTest (the first run,
   and the median of the reruns), after the warm-up serve.py runs at start (``--script app.py``:
   none, the first run opens the store and reads the networkx view);
3. the time from clicking "Avhengigheter" in headless Chromium until the vis-network graph has
   been drawn (``data-ready`` set inside the component iframe), for a fresh browser context each
   time against one ``streamlit run serve.py`` on 127.0.0.1 (the first against a new server);
4. with ``--first-page``: the first page after start, against a fresh ``streamlit run serve.py``
   (``--script app.py``: the bare app) each repeat: from the server answering its health check
   until the overview has finished its run in the browser (no running indicator), with the
   server's CPU time over that span ("server up in": the start, warm-up included).

With ``--store`` the builders (1., which name nodes of the bundled graph) are skipped. Every
figure is printed with the CPU time it took and the load average at the time: the machine is
shared, and a wall time alone does not say whether it waited for a core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
from servers import CHROMIUM, AppServer  # noqa: E402 - the one way the tests start the app
from servers import CHROMIUM_ARGS as ARGS  # noqa: E402

PAGES = [
    "overview",
    "explorer",
    "impact",
    "governance",
    "ict",
    "sdg",
    "kpis",
    "history",
    "console",
    "data",
]


def load_avg() -> str:
    return "load " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def proc_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def median_ms(fn, repeats: int) -> tuple[float, float]:
    """(first, median of all) in milliseconds."""
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return times[0], statistics.median(times)


def build_store(folder: Path) -> Path:
    from graph.load import load
    from graph.store import open_store

    path = folder / "store"
    store = open_store("embedded", path=path)
    load(store, ROOT / "data" / "nye-asker")
    store.close()
    return path


def bench_builders(path: Path, repeats: int) -> None:
    from graph import answers as V
    from graph.render import to_html
    from graph.store import open_store
    from views import drawing as D

    store = open_store("embedded", path=path, read_only=True)
    first, med = median_ms(lambda: V.graph_for(store, "nb"), repeats)
    print(
        f"  {'graph_for (networkx view, nb labels)':48s} first {first:8.1f}  median {med:8.1f} ms"
    )
    g = V.graph_for(store, "nb")
    a4, a2, gerica = V.find_node(g, "A4"), V.find_node(g, "A2"), V.find_node(g, "gerica")
    goal11 = V.find_node(g, "11", {"SDGGoal"})
    ex = V.explore(g, [a4], "up", 1)
    spec = D.spec_from(g, ex.nodes, ex.links, starts=[a4], level=ex.level)
    cases = {
        "overview: counts + status + milestones": lambda: (
            V.counts(g),
            V.status(store, g, "nb"),
            V.milestones(store, g),
        ),
        "overview: SHACL quality": lambda: V.quality(store),
        "explorer: explore A4 up 1 + links": lambda: V.link_rows(
            g, V.explore(g, [a4], "up", 1).links
        ),
        "explorer: explore A4 both 3, all relations": lambda: V.explore(
            g, [a4], "both", 3, list(V.RELATIONS)
        ),
        "render: graph HTML (A4 up 1)": lambda: to_html(spec),
        "impact: A2 slips 8 weeks": lambda: V.slip(store, g, a2, 8, dt.date(2017, 2, 1)),
        "impact: Gerica switched off": lambda: V.switch_off(store, g, gerica, dt.date(2017, 2, 1)),
        "governance: chain + mandate + matrix": lambda: (
            V.accountability(store, g, a4, "nb"),
            V.mandates(store, g, a4),
            V.raci(g),
        ),
        "governance: chart": lambda: D.governance_spec(g),
        "ict: portfolio, evaluations, phase-out, IKS": lambda: (
            V.phase_out(store, g, V.ict_portfolio(store, g)),
            V.evaluations(store, g),
            V.operators(store, g),
            V.companies(store, g, "nb"),
        ),
        "sdg: trace down 11 + coverage + gaps": lambda: (
            V.trace_down(store, g, goal11, "nb"),
            V.coverage(g),
            V.gaps(store, g, "nb"),
        ),
        "data: export Turtle": lambda: V.export(store, "turtle"),
    }
    for label, fn in cases.items():
        first, med = median_ms(fn, repeats)
        print(f"  {label:48s} first {first:8.1f}  median {med:8.1f} ms")


def bench_apptest(
    path: Path, repeats: int, pages: list[str] | None = None, script: str = "serve.py"
) -> None:
    from streamlit.testing.v1 import AppTest

    os.environ["KG_STORE"] = str(path)
    if script == "serve.py":  # as served: the warm-up serve.py runs before the server answers
        from views import warm

        t, c = time.perf_counter(), time.process_time()
        warm.warm()
        print(
            f"  {'warm-up at start (serve.py, before any visit)':48s} "
            f"{1000 * (time.perf_counter() - t):8.1f} ms  cpu {1000 * (time.process_time() - c):8.1f} ms"
            f"  {load_avg()}"
        )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    t, c = time.perf_counter(), time.process_time()
    at.run()
    print(
        f"  {'first run of app.py (opens the store)':48s} {1000 * (time.perf_counter() - t):8.1f} ms"
        f"  cpu {1000 * (time.process_time() - c):8.1f} ms  {load_avg()}"
    )
    for page in pages or PAGES:
        times, cpus = [], []
        for _ in range(repeats):
            at.switch_page(f"views/{page}.py")
            t, c = time.perf_counter(), time.process_time()
            at.run()
            times.append((time.perf_counter() - t) * 1000)
            cpus.append((time.process_time() - c) * 1000)
            if at.exception:
                raise RuntimeError(f"{page}: {at.exception[0].value}")
        print(
            f"  {page:48s} first {times[0]:8.1f}  median {statistics.median(times):8.1f} ms"
            f"  cpu first {cpus[0]:8.1f} median {statistics.median(cpus):8.1f} ms  {load_avg()}"
        )


def bench_first_page(path: Path, repeats: int, script: str = "serve.py") -> None:
    """A fresh server each repeat: health check answered → overview run finished in Chromium."""
    from playwright.sync_api import sync_playwright

    busy = """() => !!document.querySelector('[data-testid="stStatusWidget"]')
        || !!document.querySelector('[data-testid="stSkeleton"]')
        || !!document.querySelector('[data-testid="stSpinner"]')"""
    times, cpus = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(repeats):
            started = time.perf_counter()
            app = AppServer(
                path.parent / "streamlit-first.log",
                env={"KG_STORE": str(path)},
                start_seconds=600,
                script=script,
            )
            up = time.perf_counter()
            cpu0 = proc_cpu(app.proc.pid)
            try:
                ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="nb-NO")
                page = ctx.new_page()
                page.set_default_timeout(300_000)
                t = time.perf_counter()
                page.goto(app.url + "/")
                page.get_by_text("Siste status per prosjekt").wait_for()
                quiet = 0
                while quiet < 3:  # the run has finished: no running indicator for 3 polls
                    quiet = 0 if page.evaluate(busy) else quiet + 1
                    time.sleep(0.02)
                wall = (time.perf_counter() - t) * 1000 - 40  # the last two quiet polls
                cpu = (proc_cpu(app.proc.pid) - cpu0) * 1000
                ctx.close()
            finally:
                app.stop()
            times.append(wall)
            cpus.append(cpu)
            print(
                f"  {'first page after start (overview)':48s} {wall:8.1f} ms  server cpu {cpu:8.1f} ms"
                f"  (server up in {1000 * (up - started):.0f} ms)  {load_avg()}"
            )
        browser.close()
    print(
        f"  {'median':48s} {statistics.median(times):8.1f} ms  server cpu "
        f"{statistics.median(cpus):8.1f} ms"
    )


def bench_browser(path: Path, repeats: int, script: str = "serve.py") -> None:
    from playwright.sync_api import sync_playwright

    app = AppServer(
        path.parent / "streamlit.log", env={"KG_STORE": str(path)}, start_seconds=600, script=script
    )
    url = app.url
    try:
        times = []
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for _ in range(repeats):
                ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="nb-NO")
                page = ctx.new_page()
                page.set_default_timeout(120_000)
                page.goto(url + "/")
                page.wait_for_selector('[data-testid="stSidebarNav"]')
                page.get_by_text("Siste status per prosjekt").wait_for()
                t = time.perf_counter()
                page.locator('[data-testid="stSidebarNav"] a').filter(
                    has_text="Avhengigheter"
                ).first.click()
                drawn = False
                while not drawn:
                    for f in page.frames:
                        try:
                            drawn = drawn or f.evaluate(
                                "() => !!document.body && document.body.dataset.ready === '1'"
                            )
                        except Exception:
                            pass
                    if not drawn:
                        time.sleep(0.02)
                times.append((time.perf_counter() - t) * 1000)
                ctx.close()
            browser.close()
        print(
            f"  {'click → graph drawn (A4, depends on, depth 1)':48s} first {times[0]:8.1f}  "
            f"median {statistics.median(times):8.1f} ms  (n={len(times)})"
        )
    finally:
        app.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument(
        "--repeats", type=int, default=5, help="repeats per measurement (at least 5 recommended)"
    )
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium measurement")
    ap.add_argument("--store", type=Path, help="a store kg load built (default: build nye Asker)")
    ap.add_argument("--pages", help="comma-separated pages for AppTest (default: all)")
    ap.add_argument(
        "--first-page", action="store_true", help="time the first page after a fresh start"
    )
    ap.add_argument(
        "--script",
        default="serve.py",
        help="what the server runs: serve.py (warmed before the first visitor) or app.py (bare)",
    )
    args = ap.parse_args()
    pages = args.pages.split(",") if args.pages else None
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        t = time.perf_counter()
        if args.store:
            path = args.store.resolve()
            print(f"Store {path}; repeats = {args.repeats}; {load_avg()}")
        else:
            path = build_store(Path(tmp))
            print(
                f"Built data/nye-asker into a temporary store in {time.perf_counter() - t:.1f} s; "
                f"repeats = {args.repeats}."
            )
            print("\n1. graph/answers/ builders (server side)")
            bench_builders(path, args.repeats)
        if args.first_page and Path(CHROMIUM).exists():
            print("\n4. First page after start (fresh server, Chromium)")
            bench_first_page(path, args.repeats, args.script)
        if pages != ["none"]:
            print("\n2. Pages built with AppTest (server side, whole script run)")
            bench_apptest(path, args.repeats, pages, args.script)
        if not args.no_browser:
            if Path(CHROMIUM).exists():
                print("\n3. Browser: time to first rendered graph (headless Chromium)")
                bench_browser(path, args.repeats, args.script)
            else:
                print(f"\n3. Browser: skipped (no Chromium at {CHROMIUM})")


if __name__ == "__main__":
    main()
