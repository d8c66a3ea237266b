#!/usr/bin/env python3
"""Drives headless Chromium over the DevTools protocol on a pipe (--remote-debugging-pipe), with
nothing but the standard library: the web UI's browser tests (Tests/MonitorWebTests).

  cdp.py CHROMIUM live URL SHOT.png            the live page: moving traces, the AF banner, acknowledge
  cdp.py CHROMIUM review URL SHOT.png NAME     review: relabel a beat V by click and key, save as NAME

Prints one JSON object with what it saw; the Swift test asserts on it.
"""
import base64, json, os, subprocess, sys, tempfile, time


class Chromium:
    def __init__(self, executable, width=1280, height=900):
        self.profile = tempfile.mkdtemp(prefix="beatmon-cdp-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def pipes():  # Chromium reads commands on fd 3 and answers on fd 4.
            # Copied out of the way first: the pipes may be 3 and 4 themselves, and dup2 onto the
            # same number would leave them close-on-exec.
            reading, writing = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(reading, 3)
            os.dup2(writing, 4)

        self.process = subprocess.Popen(
            [executable, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--remote-debugging-pipe",
             "--no-first-run", "--user-data-dir=" + self.profile, "--window-size=%d,%d" % (width, height), "about:blank"],
            preexec_fn=pipes, close_fds=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.next_id, self.pending = 0, b""
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.call("Page.enable", session=True)
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=True)

    def call(self, method, params=None, session=False, timeout=30):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while time.time() < deadline:
            while b"\0" not in self.pending:
                chunk = os.read(self.from_chrome, 1 << 16)
                if not chunk:
                    raise RuntimeError("chromium closed its pipe")
                self.pending += chunk
            line, self.pending = self.pending.split(b"\0", 1)
            answer = json.loads(line)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise RuntimeError("%s: %s" % (method, answer["error"]))
                return answer.get("result", {})
        raise RuntimeError(method + " timed out")

    def evaluate(self, expression):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True},
                           session=True)
        if "exceptionDetails" in result:
            raise RuntimeError("JS: %s" % result["exceptionDetails"])
        return result["result"].get("value")

    def wait_for(self, expression, timeout):
        deadline = time.time() + timeout
        while time.time() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.2)
        return None

    def click(self, x, y):
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1},
                      session=True)

    def key(self, letter):
        self.call("Input.dispatchKeyEvent", {"type": "keyDown", "key": letter, "text": letter,
                                             "code": "Key" + letter.upper(), "windowsVirtualKeyCode": ord(letter.upper())},
                  session=True)
        self.call("Input.dispatchKeyEvent", {"type": "keyUp", "key": letter, "code": "Key" + letter.upper(),
                                             "windowsVirtualKeyCode": ord(letter.upper())}, session=True)

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png"}, session=True)["data"]
        with open(path, "wb") as file:
            file.write(base64.b64decode(data))

    def close(self):
        self.process.kill()
        self.process.wait()


CANVAS_SUMMARY = """(() => {
  const c = document.getElementById('%s'), d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let hash = 0, dark = 0;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i] < 90 && d[i + 1] < 90 && d[i + 2] < 90) { dark++; hash = (hash * 31 + i) | 0; }
  }
  return {dark, hash};
})()"""


def centre(browser, selector):
    box = browser.evaluate("(() => { const r = document.querySelector(%s).getBoundingClientRect();"
                           " return [r.left + r.width / 2, r.top + r.height / 2]; })()" % json.dumps(selector))
    return box


def live(browser, url, shot):
    browser.call("Page.navigate", {"url": url}, session=True)
    seen = {"tracesArrived": bool(browser.wait_for("window.beatmonLive && window.beatmonLive.samples > 0", 60))}
    time.sleep(1.0)
    first = browser.evaluate(CANVAS_SUMMARY % "traces")
    display1 = browser.evaluate("window.beatmonLive.display")
    time.sleep(1.0)
    second = browser.evaluate(CANVAS_SUMMARY % "traces")
    display2 = browser.evaluate("window.beatmonLive.display")
    seen.update(darkPixels=second["dark"], canvasChanged=first["hash"] != second["hash"],
                displayAdvanced=display2 - display1)
    banner = browser.wait_for("window.beatmonLive.banner.includes('AF-ONSET') && window.beatmonLive.banner", 90)
    seen["banner"] = banner or browser.evaluate("window.beatmonLive.banner")
    seen["bannerVisible"] = browser.evaluate("getComputedStyle(document.getElementById('banner')).display !== 'none'")
    seen["statusRhythm"] = browser.evaluate("document.getElementById('rhythm').textContent")
    browser.screenshot(shot)
    if banner:
        x, y = centre(browser, "#banner button")
        browser.click(x, y)
        seen["acknowledged"] = bool(browser.wait_for("window.beatmonLive.banner.includes('(acknowledged)')", 10))
    return seen


def review(browser, url, shot, annotator):
    browser.call("Page.navigate", {"url": url}, session=True)
    seen = {"ready": bool(browser.wait_for("window.beatmonReview && window.beatmonReview.ready", 30))}
    beats = browser.evaluate("window.beatmonReview.visibleBeats()")
    normal = [b for b in beats if b["code"] == "N"]
    seen["visibleBeats"] = len(beats)
    if len(normal) < 3:
        return seen
    beat = normal[2]
    browser.click(beat["x"], beat["y"])
    browser.key("V")
    seen["relabelled"] = browser.evaluate("window.beatmonReview.visibleBeats().find(b => b.index === %d).code" % beat["index"])
    seen["sample"] = beat["sample"]
    x, y = centre(browser, "#save-name")
    browser.click(x, y)
    browser.evaluate("document.getElementById('save-name').select()")
    browser.call("Input.insertText", {"text": annotator}, session=True)
    x, y = centre(browser, "#save")
    browser.click(x, y)
    seen["saved"] = browser.wait_for("window.beatmonReview.saved", 15)
    seen["message"] = browser.evaluate("document.getElementById('message').textContent")
    browser.screenshot(shot)
    return seen


def main():
    executable, scenario, url, shot = sys.argv[1:5]
    browser = Chromium(executable)
    try:
        seen = live(browser, url, shot) if scenario == "live" else review(browser, url, shot, sys.argv[5])
    finally:
        browser.close()
    print(json.dumps(seen))


if __name__ == "__main__":
    main()
