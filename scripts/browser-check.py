#!/usr/bin/env python3
"""Opens HTML reports in headless Chromium and fails on anything a reader would not want.

For each file: loads it over the DevTools protocol (--remote-debugging-pipe, stdlib only), and fails on
a console message of level error or warning, an uncaught exception, a browser log entry of level error
(CSP violations land there), any network request other than the file itself or a data: URL, or a blank
page (too little body text, or a single-colour screenshot). It saves a full-page PNG at desktop width,
one at phone width (each also cut to its first two screens, `-top.png`), each chart alone (`-chart-N.png`), and a PDF printed with the
report's print CSS.

    browser-check.py OUT_DIR [--expect-text TEXT] REPORT.html [[--expect-text TEXT] REPORT.html ...]

`--expect-text TEXT` makes the next report fail unless TEXT is in its visible text (the hostile-name
fixture's names must show as the text they are).

Writes OUT_DIR/<name>-desktop.png, <name>-phone.png and <name>.pdf, where <name> is the report's path
with "/" replaced by "-". Exits 1 when a report fails, 2 when the browser cannot be driven.
"""
import base64
import json
import os
import queue
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zlib

TIMEOUT = 30  # seconds for any one protocol answer or page load
DESKTOP = (1280, 900)
PHONE = (390, 844)


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """One headless Chromium process driven through fds 3 (commands in) and 4 (messages out)."""

    def __init__(self, binary, profile, log):
        to_browser_r, self.to_browser_w = os.pipe()
        self.from_browser_r, from_browser_w = os.pipe()

        def wire():
            # close_fds stays off: Python would close 3 and 4 after this runs. Move both ends above 4 first, so dup2 onto 3 and 4 cannot clobber one another.
            a, b = os.dup(to_browser_r), os.dup(from_browser_w)
            while a <= 4:
                a = os.dup(a)
            while b <= 4:
                b = os.dup(b)
            os.dup2(a, 3)
            os.dup2(b, 4)

        args = [
            binary, "--headless", "--remote-debugging-pipe", "--no-first-run", "--no-default-browser-check",
            "--disable-gpu", "--disable-extensions", "--disable-background-networking", "--disable-sync",
            "--disable-component-update", "--disable-default-apps", "--metrics-recording-only", "--mute-audio",
            "--hide-scrollbars", "--user-data-dir=" + profile, "about:blank",
        ]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to start as root with its sandbox (CI containers)
        self.process = subprocess.Popen(args, preexec_fn=wire, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=log, close_fds=False)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.messages = queue.Queue()
        self.events = []
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        buffer = b""
        while True:
            chunk = os.read(self.from_browser_r, 1 << 20)
            if not chunk:
                self.messages.put(None)
                return
            buffer += chunk
            while b"\0" in buffer:
                message, buffer = buffer.split(b"\0", 1)
                self.messages.put(json.loads(message))

    def call(self, method, params=None, session=None):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_browser_w, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self._next(deadline, method)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, event, session):
        deadline = time.monotonic() + TIMEOUT
        for seen in self.events:
            if seen.get("method") == event and seen.get("sessionId") == session:
                return
        while True:
            reply = self._next(deadline, event)
            self.events.append(reply)
            if reply.get("method") == event and reply.get("sessionId") == session:
                return

    def _next(self, deadline, waiting_for):
        try:
            reply = self.messages.get(timeout=max(0.1, deadline - time.monotonic()))
        except queue.Empty:
            raise RuntimeError(f"no answer from the browser within {TIMEOUT} s (waiting for {waiting_for})")
        if reply is None:
            raise RuntimeError(f"the browser exited (waiting for {waiting_for})")
        return reply

    def close(self):
        try:
            self.call("Browser.close")
        except RuntimeError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def png_colours(data, limit=16):
    """The number of distinct pixel colours of an 8-bit, non-interlaced PNG (Chromium's), up to `limit`."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    channels = {2: 3, 6: 4, 0: 1, 4: 2}.get(colour_type)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour_type}, interlace {interlace})")
    raw = zlib.decompress(idat)
    stride = width * channels
    previous = bytearray(stride)
    colours = set()
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            upper_left = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 255
            elif kind == 2:
                line[x] = (line[x] + up) & 255
            elif kind == 3:
                line[x] = (line[x] + ((left + up) >> 1)) & 255
            elif kind == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else upper_left)
                line[x] = (line[x] + predictor) & 255
        if len(colours) < limit and y % 7 == 0:
            for x in range(0, stride, channels * 5):
                colours.add(bytes(line[x:x + channels]))
        previous = line
    return len(colours)


def check(browser, path, out_dir, name, expect_text=None):
    """Opens one report; returns the list of problems found (empty when it passes)."""
    problems = []
    url = "file://" + os.path.abspath(path)
    target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
    for domain in ("Runtime", "Log", "Network", "Page"):
        browser.call(domain + ".enable", session=session)
    start = len(browser.events)

    def page_events():
        return [e for e in browser.events[start:] if e.get("sessionId") == session]

    def shoot(width, height, mobile, suffix):
        browser.call("Emulation.setDeviceMetricsOverride",
                     {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}, session=session)
        browser.call("Page.navigate", {"url": url}, session=session)
        browser.wait_for("Page.loadEventFired", session)
        browser.events = [e for e in browser.events if e.get("method") != "Page.loadEventFired"
                          or e.get("sessionId") != session]
        size = browser.call("Page.getLayoutMetrics", session=session)["cssContentSize"]
        shot = browser.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(size["height"], 16000), "scale": 1},
        }, session=session)
        png = base64.b64decode(shot["data"])
        with open(os.path.join(out_dir, f"{name}-{suffix}.png"), "wb") as f:
            f.write(png)
        # The first screens only, for documentation.
        top = browser.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(size["height"], height * 2), "scale": 1},
        }, session=session)
        with open(os.path.join(out_dir, f"{name}-{suffix}-top.png"), "wb") as f:
            f.write(base64.b64decode(top["data"]))
        # The blank check decodes a small copy: pure-Python PNG decoding of the full page would take seconds.
        thumb = browser.call("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(size["height"], 16000), "scale": 0.1},
        }, session=session)
        if png_colours(base64.b64decode(thumb["data"])) < 3:
            problems.append(f"the {suffix} screenshot is blank (fewer than 3 colours)")
        overflow = browser.call("Runtime.evaluate", {
            "expression": "document.documentElement.scrollWidth - document.documentElement.clientWidth",
            "returnByValue": True}, session=session)["result"].get("value", 0)
        if overflow > 0:
            problems.append(f"at {suffix} width the page scrolls sideways by {overflow} px (wide tables belong in .scroll)")

    shoot(*DESKTOP, False, "desktop")
    facts = browser.call("Runtime.evaluate", {
        "expression": "JSON.stringify({text: document.body ? document.body.innerText.trim().length : 0,"
                      " svgs: document.querySelectorAll('svg').length,"
                      " untitled: [...document.querySelectorAll('svg')].filter(s => !s.querySelector('title')).length,"
                      " scripts: document.querySelectorAll('script').length})",
        "returnByValue": True}, session=session)["result"]["value"]
    facts = json.loads(facts)
    if expect_text is not None:
        shown = browser.call("Runtime.evaluate", {"expression": "document.body.innerText.includes(" + json.dumps(expect_text) + ")",
                                                  "returnByValue": True}, session=session)["result"].get("value")
        if not shown:
            problems.append(f"the text {expect_text!r} is not shown")
    if facts["text"] < 200:
        problems.append(f"the page is blank ({facts['text']} characters of text)")
    if facts["scripts"]:
        problems.append(f"{facts['scripts']} <script> elements in the page")
    if facts["untitled"]:
        problems.append(f"{facts['untitled']} of {facts['svgs']} charts have no <title>")
    # Each chart on its own, for documentation.
    boxes = json.loads(browser.call("Runtime.evaluate", {
        "expression": "JSON.stringify([...document.querySelectorAll('figure.chart-figure')].map(f => {"
                      " const r = f.getBoundingClientRect(); return [r.x + scrollX, r.y + scrollY, r.width, r.height]; }))",
        "returnByValue": True}, session=session)["result"]["value"])
    for i, (x, y, w, h) in enumerate(boxes):
        if w > 0 and h > 0:
            shot = browser.call("Page.captureScreenshot", {
                "format": "png", "captureBeyondViewport": True,
                "clip": {"x": x - 8, "y": y - 8, "width": w + 16, "height": h + 16, "scale": 1}}, session=session)
            with open(os.path.join(out_dir, f"{name}-chart-{i + 1}.png"), "wb") as f:
                f.write(base64.b64decode(shot["data"]))
    shoot(*PHONE, True, "phone")
    browser.call("Emulation.clearDeviceMetricsOverride", session=session)
    pdf = browser.call("Page.printToPDF", {"printBackground": True, "preferCSSPageSize": True}, session=session)
    data = base64.b64decode(pdf["data"])
    with open(os.path.join(out_dir, f"{name}.pdf"), "wb") as f:
        f.write(data)
    if not data.startswith(b"%PDF") or len(data) < 2000:
        problems.append("the PDF is empty")

    for event in page_events():
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
            problems.append(f"console {params['type']}: {text}")
        elif method == "Runtime.exceptionThrown":
            problems.append("exception: " + params.get("exceptionDetails", {}).get("text", ""))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            problems.append("browser log error: " + params["entry"].get("text", ""))
        elif method == "Network.requestWillBeSent":
            requested = params.get("request", {}).get("url", "")
            if requested != url and not requested.startswith("data:"):
                problems.append("request to " + requested)
    browser.call("Target.closeTarget", {"targetId": target})
    return facts, sorted(set(problems))


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[-4], file=sys.stderr)
        return 2
    out_dir, reports, expected = sys.argv[1], [], {}
    args = iter(sys.argv[2:])
    for arg in args:
        if arg == "--expect-text":
            text = next(args, None)
            path = next(args, None)
            if text is None or path is None:
                print("browser-check: --expect-text needs a text and a report", file=sys.stderr)
                return 2
            expected[path] = text
            reports.append(path)
        else:
            reports.append(arg)
    binary = chromium_binary()
    if binary is None:
        print("browser-check: no chromium on PATH", file=sys.stderr)
        return 2
    os.makedirs(out_dir, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="unitcost-chromium-")
    failed = 0
    started = time.monotonic()
    log = open(os.path.join(out_dir, "chromium.log"), "w")
    browser = Browser(binary, profile, log)
    try:
        for path in reports:
            name = os.path.splitext(os.path.normpath(path))[0].replace(os.sep, "-").lstrip(".-")
            facts, problems = check(browser, path, out_dir, name, expected.get(path))
            if problems:
                failed += 1
                print(f"browser-check: FAIL {path}")
                for p in problems:
                    print(f"  - {p}")
            else:
                print(f"browser-check: ok   {path} ({facts['text']} characters, {facts['svgs']} charts; "
                      f"{name}-desktop.png, {name}-phone.png, {name}.pdf)")
    except RuntimeError as error:
        print(f"browser-check: {error}", file=sys.stderr)
        return 2
    finally:
        browser.close()
        log.close()
        shutil.rmtree(profile, ignore_errors=True)
    print(f"browser-check: {len(reports) - failed} of {len(reports)} reports passed in {time.monotonic() - started:.1f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
