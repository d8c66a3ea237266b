#!/usr/bin/env python3
"""The web UI's cost to the monitor (docs/web-ui.md, "Numbers").

Runs `beatmon run` on a paced recording three ways: no browser, 10 live-stream clients on
loopback (curl reading /api/stream, as a browser's EventSource does), and 1 stalled client (a
socket that sends the request and never reads). For each: the monitor's CPU (user + sys, from
/proc at exit via wait4), its peak and final resident memory, whether its event log (minus wall
times) and annotation files equal the no-browser run's, and the clients the server dropped.

Usage: web_clients.py [BEATMON] [RECORD] [SPEED] [REPEATS]
  default: .build/debug/beatmon ../shared/data/mitdb/100 60 2
"""
import json, os, shutil, socket, subprocess, sys, tempfile, threading, time, urllib.request

os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
beatmon = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/beatmon"
record = sys.argv[2] if len(sys.argv) > 2 else "../shared/data/mitdb/100"
speed = sys.argv[3] if len(sys.argv) > 3 else "60"
repeats = int(sys.argv[4]) if len(sys.argv) > 4 else 2
port = 18480


def events_without_times(path):
    lines = []
    for line in open(path):
        entry = json.loads(line)
        entry.pop("time", None)
        if entry["event"] not in ("start", "stop"):   # their messages carry wall-clock figures
            lines.append(json.dumps(entry, sort_keys=True))
    return lines


def monitor_cpu(mode):
    """One run: the monitor's own CPU and peak memory (wait4 on it alone, so the clients' CPU is
    not counted), its outputs, and what the server says of its clients while it runs."""
    folder = tempfile.mkdtemp(prefix="web-clients-")
    command = [beatmon, "run", "--source", "file:%s?speed=%s" % (record, speed), "--events", folder + "/events.jsonl",
               "--annotations", folder + "/annotations", "--http", "127.0.0.1:%d" % port]
    process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
    status_url = "http://127.0.0.1:%d/api/status" % port
    for _ in range(200):
        try:
            urllib.request.urlopen(status_url, timeout=1).read()
            break
        except OSError:
            time.sleep(0.05)
    clients, stalled = [], []
    if mode == "10 clients":
        clients = [subprocess.Popen(["curl", "-sN", "http://127.0.0.1:%d/api/stream" % port], stdout=subprocess.DEVNULL)
                   for _ in range(10)]
    if mode == "1 stalled client":
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.connect(("127.0.0.1", port))
        s.sendall(b"GET /api/stream HTTP/1.1\r\nHost: localhost\r\n\r\n")
        stalled.append(s)
    peak, dropped, connected = 0, 0, 0
    result = {}

    def watch():
        nonlocal peak, dropped, connected
        while "done" not in result:
            try:
                with open("/proc/%d/status" % process.pid) as file:
                    for line in file:
                        if line.startswith("VmRSS:"):
                            peak = max(peak, int(line.split()[1]))
                status = json.loads(urllib.request.urlopen(status_url, timeout=1).read())
                dropped, connected = status["droppedClients"], max(connected, status["clients"])
            except (OSError, ValueError):
                pass
            time.sleep(0.25)

    watcher = threading.Thread(target=watch)
    watcher.start()
    _, code, usage = os.wait4(process.pid, 0)
    result["done"] = True
    watcher.join()
    for client in clients:
        client.kill()
        client.wait()
    for s in stalled:
        s.close()
    return {"folder": folder, "cpu": usage.ru_utime + usage.ru_stime, "maxrss_kib": usage.ru_maxrss, "peak_kib": peak,
            "dropped": dropped, "connected": connected, "exit": code >> 8}


def same_outputs(a, b):
    if events_without_times(a + "/events.jsonl") != events_without_times(b + "/events.jsonl"):
        return False
    # Annotation file names carry the wall-clock start time: compare their contents in order.
    contents = lambda folder: [open(os.path.join(folder, "annotations", n), "rb").read()
                               for n in sorted(os.listdir(folder + "/annotations")) if n.endswith(".beatmon")]
    return contents(a) == contents(b)


print("beatmon %s, %s at speed %s, %d runs each" % (beatmon, record, speed, repeats))
baseline = None
for mode in ["no client", "10 clients", "1 stalled client"] * repeats:
    outcome = monitor_cpu(mode)
    if baseline is None:
        baseline = outcome["folder"]
    same = same_outputs(baseline, outcome["folder"])
    print("%-17s cpu %6.2f s  max RSS %6.1f MiB  clients seen %2d  dropped %d  outputs equal to first no-client run: %s"
          % (mode, outcome["cpu"], outcome["maxrss_kib"] / 1024, outcome["connected"], outcome["dropped"], same))
    if outcome["folder"] != baseline:
        shutil.rmtree(outcome["folder"], ignore_errors=True)
