#!/usr/bin/env bash
# Web figures: time to first byte and full load of the dashboard, with the demo and with 10,000
# commitments, against a baseline in the same run (the API's JSON of the same commitments, read
# with the same token); the page weight (HTML + CSS + JS). Bounded: one server per record,
# N requests each (default 20), medians printed.
#
#   cargo build --release -p coalition && tools/web/figures.sh [target/release/coalition]
set -euo pipefail
C="${1:-target/release/coalition}"
N="${N:-20}"
BULK="${BULK:-10000}"
work="$(mktemp -d)"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# Serves DATA (a data directory) on a free port; sets URL.
serve() {
    local data="$1"
    COALITION_DATA_DIR="$data" COALITION_TRUST_DIR="$work/trust-$(basename "$data")" RUST_LOG=warn \
        "$C" serve --addr 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.err" &
    server=$!
    for _ in $(seq 100); do grep -q '^ready' "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
    URL="$(sed -n 's/^listening on //p' "$work/serve.out")"
}

stop() { kill "$server"; wait "$server" 2>/dev/null || true; server=""; }

# Signs in with TOKEN; the cookie jar is $work/jar.
sign_in() {
    rm -f "$work/jar"
    local csrf
    csrf="$(curl -s -c "$work/jar" "$URL/sign-in" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)"
    curl -s -b "$work/jar" -c "$work/jar" -o /dev/null --data-urlencode "csrf=$csrf" \
        --data-urlencode "token=$1" --data-urlencode "back=" "$URL/sign-in"
}

# Prints "ttfb_median total_median bytes" for N GETs of PATH (extra curl args after it).
measure() {
    local path="$1"; shift
    local lines
    lines="$(for _ in $(seq "$N"); do
        curl -s -o /dev/null -w '%{time_starttransfer} %{time_total} %{size_download}\n' "$@" "$URL$path"
    done)"
    printf '%s %s %s\n' \
        "$(cut -d' ' -f1 <<<"$lines" | median)" \
        "$(cut -d' ' -f2 <<<"$lines" | median)" \
        "$(cut -d' ' -f3 <<<"$lines" | tail -1)"
}

report() {
    local name="$1" coalition="$2" token="$3"
    sign_in "$token"
    read -r d_ttfb d_total d_bytes < <(measure "/c/$coalition" -b "$work/jar")
    read -r a_ttfb a_total a_bytes < <(measure "/api/coalitions/$coalition/commitments?limit=1000" -H "Authorization: Bearer $token")
    echo "$name: dashboard ttfb ${d_ttfb}s full ${d_total}s ${d_bytes} B; baseline API commitments ttfb ${a_ttfb}s full ${a_total}s ${a_bytes} B; ratio ttfb $(awk "BEGIN {printf \"%.2f\", $d_ttfb / $a_ttfb}")"
    if [ "$name" = demo ]; then
        css="$(curl -s "$URL/static/style.css" | wc -c)"
        js="$(curl -s "$URL/static/live.js" | wc -c)"
        echo "page weight (dashboard, demo): HTML $d_bytes B + CSS $css B + JS $js B = $((d_bytes + css + js)) B"
    fi
}

# 1. The demo.
"$C" --data-dir "$work/demo" demo >/dev/null
demo_token="$("$C" --data-dir "$work/demo" token issue paris-2026 macron | grep -o 'coalition_[A-Za-z0-9_-]*' | head -1)"
serve "$work/demo"
report demo paris-2026 "$demo_token"
stop

# 2. The Paris scenario with BULK more commitments (unilateral pledges, spread over the
#    members and the categories).
scenario="$work/bulk.toml"
sed 's/^id = "paris-2026"$/id = "bulk"/' scenarios/paris-2026.toml >"$scenario"
awk -v n="$BULK" 'BEGIN {
    split("FRA GBR DEU ITA POL ESP DNK NLD SWE CAN", g, " ");
    split("military-capabilities intelligence logistical-support diplomatic-initiatives sanctions financial training consultation", k, " ");
    for (i = 1; i <= n; i++) {
        printf "\n[[commitments]]\nid = \"bulk-%05d\"\nguarantor = \"%s\"\ncategory = \"%s\"\n", i, g[(i % 10) + 1], k[(i % 8) + 1];
        printf "what = \"pledge %d\"\ntrigger = { kind = \"armed-attack\", aggressor = \"RUS\" }\n", i;
        printf "discretion = \"as-deemed-necessary\"\nresponses = [{ kind = \"consult\", within = \"24h\", clock = \"attack\" }]\n";
        printf "from = \"2026-01-01\"\nuntil = \"2035-12-31\"\n";
    }
}' >>"$scenario"
start=$(date +%s)
"$C" --data-dir "$work/bulk" import "$scenario" >/dev/null
echo "import of $BULK extra commitments: $(( $(date +%s) - start ))s"
bulk_token="$("$C" --data-dir "$work/bulk" token issue bulk macron | grep -o 'coalition_[A-Za-z0-9_-]*' | head -1)"
serve "$work/bulk"
report "$BULK commitments" bulk "$bulk_token"
stop
