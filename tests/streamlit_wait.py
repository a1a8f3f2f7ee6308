"""Waiting in the browser tests until Streamlit has finished the runs a click asked for.

A fixed "quiet for a second" after every click cost the browser modules most of their time (a
test of the Edit page settles ~20 times). ``INIT_SCRIPT`` (added to a browser context before
its first page) counts, in the page, the messages the page sends over the websocket (each
BackMsg but the heartbeat; a click's is a ``rerun_script``) and the runs that start (the ``stApp``
element's ``data-test-script-state`` turning ``running``, the attribute Streamlit's own
end-to-end tests read). ``settle`` returns after a short quiet spell only when every message
sent since the last settle has been followed by a run of its own and no run is going; otherwise
(a request not yet answered, two requests merged into one run, a page without the script) it
waits for the long quiet spell the tests always waited for. It never fails by itself: the
tests' own ``wait_for_selector``/``expect`` calls say what must appear.

A fixed second after a settle (``settle(1.0)``) cost the browser modules minutes more; what it
waited for is waited for as a condition instead: :func:`drawn` (every graph frame has drawn:
graph/render.py marks its body ``data-ready``), :func:`painted` (the browser has laid out and painted a change).
"""

from __future__ import annotations

import time

INIT_SCRIPT = """(() => {
  if (window.__kgRuns) return;
  const kg = (window.__kgRuns = {sent: 0, started: 0, markSent: 0, markStarted: 0});
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    let first;
    try {
      if (data instanceof ArrayBuffer) first = new Uint8Array(data)[0];
      else if (ArrayBuffer.isView(data)) first = new Uint8Array(data.buffer, data.byteOffset, 1)[0];
    } catch (e) {}
    // every BackMsg but the heartbeat (field 17, a bool: first byte 0x88) counts as a request:
    // a rerun (0x5A) is answered by a run; an upload's file_urls_request is not, so it keeps
    // the slow wait, as does anything not readable
    if (first !== 0x88) kg.sent++;
    return send.apply(this, arguments);
  };
  let last = null;
  const step = (state) => {
    if (state !== last) {
      if (state === 'running') kg.started++;
      last = state;
    }
  };
  const attr = 'data-test-script-state';
  new MutationObserver((records) => {
    for (const r of records)  // each change's old value: a run between two polls still counts
      if (r.type === 'attributes' && r.attributeName === attr) step(r.oldValue);
    const app = document.querySelector('[data-testid="stApp"]');
    step(app ? app.getAttribute(attr) : null);
  }).observe(document, {subtree: true, childList: true, attributes: true,
                        attributeFilter: [attr], attributeOldValue: true});
})();"""

STATE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const state = app ? app.getAttribute('data-test-script-state') : null;
  const busy = ['running', 'rerunRequested', 'stopRequested'].includes(state)
    || !!document.querySelector('[data-testid="stStatusWidget"]')
    || !!document.querySelector('[data-testid="stSkeleton"]')
    || !!document.querySelector('[data-testid="stSpinner"]')
    || !!document.querySelector('[data-stale="true"]')
    || !!document.querySelector('[data-testid="stFileChipIconSpinner"]');  // a file uploading
  const kg = window.__kgRuns;
  const answered = !!kg && kg.started - kg.markStarted >= kg.sent - kg.markSent;
  return {busy, answered};
}"""

MARK = """() => { const kg = window.__kgRuns;
  if (kg) { kg.markSent = kg.sent; kg.markStarted = kg.started; } }"""

POLL = 0.1
QUIET_ANSWERED = 0.6  # every request has had its run: only a run's own st.rerun can follow (margin for a busy CI machine)
QUIET_UNKNOWN = 1.0  # as long as the tests always waited when they could not tell


def settle(page, extra: float = 0.0, timeout: float = 90) -> None:
    """Wait until the app in ``page`` has no run going and none pending, then ``extra`` s."""
    page.wait_for_selector('[data-testid="stSidebarNav"]', timeout=120_000)
    quiet_since = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = time.monotonic()
        s = page.evaluate(STATE)
        if s["busy"]:
            quiet_since = None
        else:
            quiet_since = now if quiet_since is None else quiet_since
            if now - quiet_since >= (QUIET_ANSWERED if s["answered"] else QUIET_UNKNOWN):
                break
        time.sleep(POLL)
    page.evaluate(MARK)
    if extra:
        time.sleep(extra)


DRAWN = """() => document.readyState === 'complete'
  && (!document.getElementById('graph') || (!!document.body && document.body.dataset.ready === '1'))"""

FRAMES = "() => document.querySelectorAll('iframe').length"


def drawn(page, timeout: float = 60) -> None:
    """Wait until every frame on the page has loaded, and each that draws a graph has drawn it
    (graph/render.py's ``data-ready``). Never fails by itself, as :func:`settle`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        frames = page.frames[1:]
        pending = page.evaluate(FRAMES) > len(frames)  # an iframe not attached yet
        for f in frames:
            try:
                pending = pending or not f.evaluate(DRAWN)
            except Exception:  # a frame coming or going with a rerun: look again
                pending = True
        if not pending:
            return
        time.sleep(POLL)


def painted(page) -> None:
    """Until the browser has laid out and painted what changed (two animation frames)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
