#!/usr/bin/env bash
# The ward, with real parts (docs/ward.md): four monitors in four network namespaces, each
# `beatmon run` replaying a different recording paced, sending over syslog/TLS (RFC 5425, octet
# counting, client certificates) to a real rsyslog (imtcp + gtls) in a fifth namespace. Mid-run the
# collector is restarted, and later one bed's network link is cut for a while (a partition). Passes when, for every
# bed, each event of its local JSON event log (every AF onset and offset among them) arrived at
# rsyslog exactly once, under that bed's host name, and nothing was dropped.
#
# Needs root, ip (iproute2), unshare (util-linux), openssl, rsyslogd with the gtls driver
# (Debian: rsyslog rsyslog-gnutls), python3, and the built binary (BEATMON, default
# .build/debug/beatmon). Usage: Tests/Ward/ward-test.sh [RESULTS_FILE]
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BEATMON=${BEATMON:-$ROOT/.build/debug/beatmon}
DATA=${DATA:-$ROOT/../shared/data}
RESULTS=${1:-}
# Four different recordings with AF onsets and offsets, each paced to last about 90 s of wall
# time: RECORD:SPEED (a multiple of real time).
RECORDS=(${WARD_RECORDS:-mitdb/201:20 mitdb/221:20 mitdb/202:20 cpsc2021/data_92_19:4})
LIMIT=${WARD_LIMIT_SECONDS:-240}

for tool in ip unshare openssl rsyslogd python3; do
    command -v "$tool" >/dev/null || { echo "ward-test: SKIP: $tool is not installed"; exit 0; }
done
[ "$(id -u)" = 0 ] || { echo "ward-test: SKIP: needs root for network namespaces"; exit 0; }
[ -d "$DATA/mitdb" ] && [ -d "$DATA/cpsc2021" ] || { echo "ward-test: SKIP: ../shared/data is absent"; exit 0; }
[ -x "$BEATMON" ] || { echo "ward-test: FAIL: $BEATMON is not built"; exit 1; }
GTLS=$(find /usr/lib -name lmnsd_gtls.so 2>/dev/null | head -n 1)
[ -n "$GTLS" ] || { echo "ward-test: SKIP: rsyslog's gtls driver (rsyslog-gnutls) is not installed"; exit 0; }

WORK=$(mktemp -d /tmp/beatmon-ward.XXXXXX)
TAG=bw$$                       # unique names: other runs may share the machine
HUB=${TAG}hub
COLLECTOR=${TAG}col
BEDS=(${TAG}b1 ${TAG}b2 ${TAG}b3 ${TAG}b4)
PIDS=()
RSYSLOG_PID=
cleanup() {
    set +e
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
    [ -n "$RSYSLOG_PID" ] && kill "$RSYSLOG_PID" 2>/dev/null
    wait 2>/dev/null
    for ns in "$HUB" "$COLLECTOR" "${BEDS[@]}"; do ip netns del "$ns" 2>/dev/null; done
    [ -n "${KEEP_WARD:-}" ] && echo "ward-test: work folder kept: $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT
log() { echo "ward-test: $(date +%T) $*"; }

# --- network: one hub namespace with a bridge, each host joined to it by a veth pair ---
ip netns add "$HUB"
ip -n "$HUB" link add br0 type bridge
ip -n "$HUB" link set br0 up
join() {   # join NS INDEX ADDRESS
    ip netns add "$1"
    ip link add "${TAG}h$2" type veth peer name "${TAG}n$2"
    ip link set "${TAG}h$2" netns "$HUB"
    ip link set "${TAG}n$2" netns "$1"
    ip -n "$HUB" link set "${TAG}h$2" master br0 up
    ip -n "$1" link set "${TAG}n$2" name eth0
    ip -n "$1" addr add "$3/24" dev eth0
    ip -n "$1" link set eth0 up
    ip -n "$1" link set lo up
}
join "$COLLECTOR" 0 10.77.0.10
for i in 1 2 3 4; do join "${BEDS[$((i - 1))]}" "$i" "10.77.0.1$i"; done

# --- certificates: a ward CA, the collector's, one per bed ---
cd "$WORK"
ossl() { openssl "$@" >/dev/null 2>&1 || { echo "ward-test: FAIL: openssl $1"; exit 1; }; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj "/CN=ward test CA" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
issue() {  # issue NAME CN SAN USAGE
    ossl req -newkey rsa:2048 -nodes -keyout "$1.key" -out "$1.csr" -subj "/CN=$2"
    printf 'subjectAltName=%s\nextendedKeyUsage=%s\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n' "$3" "$4" > "$1.ext"
    ossl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -set_serial "$RANDOM$RANDOM" -days 2 -out "$1.pem" -extfile "$1.ext"
}
issue collector collector.ward.test "DNS:collector.ward.test,IP:10.77.0.10" serverAuth
for i in 1 2 3 4; do issue "bed-$i" "bed-$i.ward.test" "DNS:bed-$i.ward.test" clientAuth; done
chmod 644 ./*.key   # rsyslog and the monitors run as root here; the point is the path, not the mode

# --- the collector: rsyslogd with its own configuration, in the foreground, no systemd ---
mkdir -p rsyslog-work
cat > rsyslog.conf <<CONF
global(workDirectory="$WORK/rsyslog-work"
       defaultNetstreamDriver="gtls"
       defaultNetstreamDriverCAFile="$WORK/ca.pem"
       defaultNetstreamDriverCertFile="$WORK/collector.pem"
       defaultNetstreamDriverKeyFile="$WORK/collector.key")
module(load="imtcp" streamDriver.name="gtls" streamDriver.mode="1"
       streamDriver.authMode="x509/name" permittedPeer=["*.ward.test"])
input(type="imtcp" port="6514")
template(name="ward" type="string" string="%HOSTNAME% %FROMHOST-IP% %msgid% %structured-data%\n")
action(type="omfile" file="$WORK/received.log" template="ward")
CONF
start_collector() {
    ip netns exec "$COLLECTOR" rsyslogd -n -f "$WORK/rsyslog.conf" -i "$WORK/rsyslog.pid" >>"$WORK/rsyslog.out" 2>&1 &
    RSYSLOG_PID=$!
    for _ in $(seq 50); do
        ip netns exec "$COLLECTOR" bash -c 'exec 3<>/dev/tcp/10.77.0.10/6514' 2>/dev/null && return 0
        sleep 0.1
    done
    echo "ward-test: FAIL: rsyslogd did not listen"; cat "$WORK/rsyslog.out"; exit 1
}
stop_collector() { kill -TERM "$RSYSLOG_PID"; wait "$RSYSLOG_PID" 2>/dev/null || true; RSYSLOG_PID=; }
start_collector
log "rsyslogd $(rsyslogd -v | head -n 1 | awk '{print $2}') listening on tls://10.77.0.10:6514"

# --- the monitors: each its own host name (a UTS namespace), its own recording ---
for i in 1 2 3 4; do
    mkdir -p "bed-$i"
    entry=${RECORDS[$((i - 1))]}
    record="$DATA/${entry%%:*}"; speed=${entry##*:}
    ip netns exec "${BEDS[$((i - 1))]}" unshare --uts bash -c "
        hostname bed-$i.ward.test
        exec '$BEATMON' run --source 'file:$record?speed=$speed' --events '$WORK/bed-$i/events.jsonl' \
            --syslog tls://10.77.0.10:6514 --syslog-ca '$WORK/ca.pem' --syslog-server-name collector.ward.test \
            --syslog-cert '$WORK/bed-$i.pem' --syslog-key '$WORK/bed-$i.key' --metrics 127.0.0.1:9464" \
        >"bed-$i/stdout" 2>"bed-$i/stderr" &
    PIDS+=($!)
done
log "4 monitors replaying (record:speed): ${RECORDS[*]}"
# Each monitor's /metrics, scraped from inside its namespace every 2 s while it runs (the last
# scrape is kept: the counters as they stood shortly before the monitor exited).
for i in 1 2 3 4; do
    ip netns exec "${BEDS[$((i - 1))]}" python3 - "bed-$i/metrics" "${PIDS[$((i - 1))]}" <<'PY' &
import os, sys, time, urllib.request
path, pid = sys.argv[1], int(sys.argv[2])
while os.path.exists(f"/proc/{pid}"):
    try:
        text = urllib.request.urlopen("http://127.0.0.1:9464/metrics", timeout=1).read().decode()
        open(path + ".new", "w").write(text)
        os.replace(path + ".new", path)
    except Exception:
        pass
    time.sleep(2)
PY
done

# --- faults, on the wall clock: the collector restarted (all beds), then one bed's link cut ---
STOP_AT=${WARD_RESTART_AT:-20}; DOWN=${WARD_DOWN_SECONDS:-8}
CUT_BED=${WARD_CUT_BED:-2}; CUT_AT=${WARD_CUT_AT:-45}; CUT=${WARD_CUT_SECONDS:-8}
CUT_NS=${BEDS[$((CUT_BED - 1))]}
phase=0
next=$STOP_AT
SECONDS=0
while [ "$SECONDS" -lt "$LIMIT" ]; do
    running=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && running=$((running + 1)); done
    [ "$running" = 0 ] && break
    if [ "$phase" -lt 4 ] && [ "$SECONDS" -ge "$next" ]; then
        # Each step is timed from the one before, so a slow stop never shortens an outage.
        case "$phase" in
        0) stop_collector; DOWN_FROM=$(date -u +%FT%T); log "collector stopped"; next=$((SECONDS + DOWN)) ;;
        1) start_collector; DOWN_TO=$(date -u +%FT%T); log "collector started again"; next=$((CUT_AT > SECONDS ? CUT_AT : SECONDS)) ;;
        2) ip -n "$CUT_NS" link set eth0 down; CUT_FROM=$(date -u +%FT%T); log "bed-$CUT_BED's network cut"; next=$((SECONDS + CUT)) ;;
        3) ip -n "$CUT_NS" link set eth0 up; CUT_TO=$(date -u +%FT%T); log "bed-$CUT_BED's network back" ;;
        esac
        phase=$((phase + 1))
    fi
    sleep 0.5
done
elapsed=$SECONDS
status=0
for i in 1 2 3 4; do
    if wait "${PIDS[$((i - 1))]}"; then :; else echo "ward-test: bed-$i exited with $?"; status=1; fi
done
PIDS=()
sleep 1
stop_collector
log "monitors done after ${elapsed}s"

# --- the verdict ---
python3 - "$WORK" "${DOWN_FROM:-}" "${DOWN_TO:-}" "${CUT_FROM:-}" "${CUT_TO:-}" "$CUT_BED" "$RESULTS" "${RECORDS[@]}" <<'PY' || status=1
import collections, datetime, json, re, sys
work, down_from, down_to, cut_from, cut_to, cut_bed, results, *records = sys.argv[1:]
received = collections.defaultdict(collections.Counter)
for line in open(f"{work}/received.log", encoding="utf-8", errors="replace"):
    host, ip, msgid, sd = line.rstrip("\n").split(" ", 3)
    sample = re.search(r'sample="(\d+)"', sd)
    received[host][(msgid, sample.group(1) if sample else "-")] += 1
ok = True
rows = []
for i, record in enumerate(records, 1):
    host = f"bed-{i}.ward.test"
    raised = collections.Counter()
    during_outage = 0
    at_cut = set()   # events raised within 2 s of the link going down
    for line in open(f"{work}/bed-{i}/events.jsonl"):
        event = json.loads(line)
        key = (event["event"], str(event["alertSample"]) if event.get("alertSample") is not None else "-")
        raised[key] += 1
        t = event["time"][:19]
        if (down_from and down_from <= t <= down_to) or (str(i) == cut_bed and cut_from and cut_from <= t <= cut_to):
            during_outage += 1
        if str(i) == cut_bed and cut_from:
            seconds = (datetime.datetime.fromisoformat(t) - datetime.datetime.fromisoformat(cut_from)).total_seconds()
            if -2 <= seconds <= 1:
                at_cut.add(key)
    got = received.get(host, collections.Counter())
    af = {k: v for k, v in raised.items() if k[0] in ("af-onset", "af-offset", "af-terminated")}
    missing = raised - got
    doubled = {k: v for k, v in got.items() if v > 1}
    # Syslog has no acknowledgement of its own: a message the collector got just as the link went
    # down, whose TCP acknowledgement was lost with the link, is sent again (docs/ward.md,
    # "Limits"). That one duplicate is allowed and reported; every other is a failure.
    doubled_at_cut = {k: v for k, v in doubled.items() if k in at_cut and v == 2}
    doubled = {k: v for k, v in doubled.items() if k not in doubled_at_cut}
    extra = got - raised - collections.Counter({k: 1 for k in doubled_at_cut})
    metrics = open(f"{work}/bed-{i}/metrics").read() if __import__("os").path.exists(f"{work}/bed-{i}/metrics") else ""
    def metric(name):
        m = re.search(rf'^{name}{{sink="[^"]*"}} (\d+)', metrics, re.M)
        return int(m.group(1)) if m else 0
    row = dict(bed=host, record=record, events=sum(raised.values()), af_events=sum(af.values()),
               raised_during_outage=during_outage, missing=sum(missing.values()), doubled=len(doubled),
               doubled_as_the_link_went_down=len(doubled_at_cut), unexpected=sum(extra.values()),
               delivered_metric=metric("beatmon_sink_delivered_total"), retries_metric=metric("beatmon_sink_retries_total"),
               dropped_metric=metric("beatmon_sink_dropped_total"))
    rows.append(row)
    print("ward-test:", json.dumps(row))
    row["passed"] = not (missing or doubled or extra or not af or row["dropped_metric"])
    if not row["passed"]:
        ok = False
        print(f"ward-test: {host}: missing {dict(missing)} doubled {doubled} unexpected {dict(extra)}")
if sum(r["raised_during_outage"] for r in rows) == 0:
    ok = False
    print("ward-test: no event was raised while the collector was down or the network cut: the faults tested nothing")
if results:
    json.dump(dict(collector_down=[down_from, down_to], network_cut=dict(bed=f"bed-{cut_bed}.ward.test", period=[cut_from, cut_to]), beds=rows, passed=ok),
              open(results, "w"), indent=2)
print("ward-test:", "PASS" if ok else "FAIL")
passed = sum(1 for r in rows if r["passed"])
print(f"ward: {passed} passed, {len(rows) - passed} failed")
sys.exit(0 if ok else 1)
PY
[ "$status" = 0 ] || { echo "--- rsyslog"; tail -n 20 "$WORK/rsyslog.out"; for i in 1 2 3 4; do echo "--- bed-$i"; tail -n 15 "$WORK/bed-$i/stderr"; done; }
exit "$status"
