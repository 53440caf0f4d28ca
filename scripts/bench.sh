#!/usr/bin/env bash
# Large-archive benchmark for mdmigrate (issue 6, "Prove it").
#
# 1. Builds deterministic archives from fixtures/36kr (each post copied into
#    numbered folders, with a paragraph naming its copy number appended so no
#    two files are byte-identical): BENCH_SIZES posts each (default
#    "10000 100000"). Archives are cached under $BENCH_DIR and reused.
# 2. Builds mdmigrate (release) and runs, under /usr/bin/time -v,
#        mdmigrate migrate SRC --out DIR --jobs N -q      for N in $BENCH_JOBS
#    If `migrate` does not exist yet (a usage error), falls back to one
#    `mdmigrate convert -q FILE > /dev/null` process per file through xargs
#    -P N, and says so: that measures process start-up too.
# 3. Extracts the HTML bodies of the first $BENCH_BODIES posts and compares,
#    in process and single-threaded on the same bodies: mdmigrate
#    (convert_html), mdmigrate's parse alone (html5ever + depth guard), the
#    htmd crate, and html5ever+rcdom parse alone (benches/htmd-bench); then
#    pandoc -f html -t gfm (if installed) on the first $PANDOC_FILES bodies.
#
# MB = 10^6 bytes of input. Environment:
#   BENCH_SIZES="1000 10000"  archive sizes in posts      (default "10000 100000")
#   BENCH_JOBS="1 2"          --jobs values                (default "1 2")
#   BENCH_BODIES=2000         bodies for the library comparison
#   BENCH_REPS=3              passes over those bodies per library
#   PANDOC_FILES=200          bodies given to pandoc (one process each)
#   BENCH_DIR=/tmp/mdmigrate-bench   work directory (archives, outputs)
#   CARGO_TARGET_DIR          as for cargo
#   MDMIGRATE_BIN=path        use this mdmigrate binary instead of building one
#   BENCH_EXPORT_MB=200       size of the generated WordPress export (section 8;
#                             0 skips it)
#   BENCH_ONLY=export         run only section 8 (the export)
#   BENCH_CALLGRIND=1         also count instructions per input byte for each
#                             library (valgrind; one pass = 2 passes - 1 pass,
#                             so loading the files is not counted). Counts
#                             do not depend on what else the machine runs.
#   BENCH_REPORT_POSTS=10000  archive size for the reports section (0: skip)
#   BENCH_IMAGES=1000         images for the download section (0: skip)
#   BENCH_SHARDS=4            shards for the shard-equality section (0: skip)
#   BENCH_FILES_RUNS=5        runs of each tool in the files-to-files section
#   BENCH_FILES_DIR=/dev/shm  where that section reads and writes (default:
#                             BENCH_DIR; a tmpfs leaves the disk out)
#
# Issue 14 sections, printed at the end with the rest:
# 4. Reports: migrate --jobs 1 of BENCH_REPORT_POSTS posts with and without
#    --report r.json --report r.html (peak RSS of each, sizes), and the time
#    headless Chromium needs to load and --dump-dom the page.
# 5. Downloads, loopback only (python3 server answering after 50 ms):
#    BENCH_IMAGES images at --image-concurrency 8, rate against 8 / 50 ms;
#    then a dead original host (port refused; and one that accepts and never
#    answers, --image-timeout 2) with a good mirror, against mirror-only.
# 6. Shards: BENCH_SHARDS `migrate --shard K/N` processes under GNU
#    parallel into one --out, compared with one process (diff -r; the
#    journal as sorted lines).
# 7. migrate --jobs 1 (verification on) on the extracted bodies against
#    htmd converting the same files to files (htmd-bench --files-to): both
#    timed as whole processes, BENCH_FILES_RUNS runs each, alternating.
# 8. Generates a WordPress export (WXR) of $BENCH_EXPORT_MB MB from the
#    fixtures' bodies (classic-editor posts: autop, captions, shortcodes,
#    attachments for featured images) and prints the wall time and peak RSS
#    of `migrate export.xml --out DIR --target hugo --jobs 2`: the reader
#    streams, so peak memory must not grow with the file.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIZES=${BENCH_SIZES:-"10000 100000"}
JOBS=${BENCH_JOBS:-"1 2"}
BODIES=${BENCH_BODIES:-2000}
REPS=${BENCH_REPS:-3}
PANDOC_FILES=${PANDOC_FILES:-200}
FILES_RUNS=${BENCH_FILES_RUNS:-5}
WORK=${BENCH_DIR:-${TMPDIR:-/tmp}/mdmigrate-bench}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
mkdir -p "$WORK"

say() { printf '%s\n' "$*" >&2; }

# ------------------------------------------------------------------ tools
if [ ! -x /usr/bin/time ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        say "installing GNU time (apt package 'time')"
        apt-get install -y time >/dev/null
    else
        say "error: /usr/bin/time missing; install the 'time' package"; exit 2
    fi
fi
command -v python3 >/dev/null || { say "error: python3 is needed to build the archive"; exit 2; }

if [ -n "${MDMIGRATE_BIN:-}" ]; then
    BIN=$MDMIGRATE_BIN
else
    say "building mdmigrate (release)"
    cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin mdmigrate
    BIN="$TARGET/release/mdmigrate"
fi
# Fields from a /usr/bin/time -v report.
tv() { sed -n "s/^[[:space:]]*$2: //p" "$1" | awk 'NR == 1'; }

# ------------------------------------------------------------------ export
EXPORT_MB=${BENCH_EXPORT_MB:-200}
make_export() {  # make_export MB FILE
    python3 - "$ROOT/fixtures/36kr" "$1" "$2" <<'PY'
import os, sys, html
src, mb, dest = sys.argv[1], int(sys.argv[2]), sys.argv[3]
bodies = []
for d in sorted(os.listdir(src)):
    p = os.path.join(src, d, "input.md")
    if os.path.isfile(p):
        # 36kr posts start with a blank line before their front matter.
        text = open(p, encoding="utf-8").read().lstrip()
        if text.startswith("---"):
            text = text.split("---", 2)[2]
        bodies.append(text.strip().replace("]]>", "]]]]><![CDATA[>"))
classic = "First line\nsecond line.\n\n[caption id=\"attachment_{a}\" width=\"300\"]<img src=\"https://img.test/{a}.jpg\" /> Caption {a}[/caption]\n\n<pre>code\n\nblock</pre>\n<!--more-->\n"
limit = mb * 1024 * 1024
with open(dest + ".tmp", "w", encoding="utf-8") as out:
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n<wp:wxr_version>1.2</wp:wxr_version>\n')
    n = 0
    while out.tell() < limit:
        n += 1
        a = 10_000_000 + n
        body = classic.format(a=a) + bodies[n % len(bodies)]
        out.write(f"""<item><title>Post {n} &amp; co</title><link>https://old.test/{n}/</link><dc:creator><![CDATA[author{n % 7}]]></dc:creator>
<content:encoded><![CDATA[{body}]]></content:encoded><wp:post_id>{n}</wp:post_id><wp:post_date_gmt>2020-01-01 00:00:00</wp:post_date_gmt>
<wp:post_name>post-{n}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<category domain="category" nicename="news"><![CDATA[News]]></category><category domain="post_tag" nicename="t{n % 50}"><![CDATA[t{n % 50}]]></category>
<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>{a}</wp:meta_value></wp:postmeta></item>
<item><title>att {a}</title><wp:post_id>{a}</wp:post_id><wp:post_parent>{n}</wp:post_parent><wp:post_type>attachment</wp:post_type><wp:attachment_url>https://img.test/{a}.jpg</wp:attachment_url></item>
""")
    out.write("</channel>\n</rss>\n")
os.replace(dest + ".tmp", dest)
print(n)
PY
}
bench_export() {
    local file="$WORK/export-${EXPORT_MB}mb.xml" out="$WORK/out-export" tf="$WORK/time-export.txt" posts
    if [ ! -f "$file" ]; then
        say "generating a ${EXPORT_MB} MB WordPress export"
        posts=$(make_export "$EXPORT_MB" "$file")
    else
        posts=$(grep -c '<wp:post_type>post</wp:post_type>' "$file")
    fi
    rm -rf "$out"
    local rc=0
    /usr/bin/time -v -o "$tf" "$BIN" migrate "$file" --out "$out" --target hugo --jobs 2 -q || rc=$?
    echo
    echo "WordPress export: $(du -m "$file" | cut -f1) MB, $posts posts (exit $rc)"
    echo "  wall $(tv "$tf" "Elapsed (wall clock) time (h:mm:ss or m:ss)"), peak RSS $(( $(tv "$tf" "Maximum resident set size (kbytes)") / 1024 )) MB"
    rm -rf "$out"
}
if [ "${BENCH_ONLY:-}" = export ]; then
    bench_export
    exit 0
fi

say "building benches/htmd-bench (release)"
CARGO_TARGET_DIR="$TARGET/htmd-bench" cargo build --release --quiet \
    --manifest-path "$ROOT/benches/htmd-bench/Cargo.toml"
HTMD_BENCH="$TARGET/htmd-bench/release/htmd-bench"
MD_BENCH="$TARGET/htmd-bench/release/mdmigrate-bench"

# ------------------------------------------------------------------ archives
# make_archive N DIR: N posts, DIR/NNN/post-NNNNNN.md (1000 per folder).
make_archive() {
    python3 - "$ROOT/fixtures/36kr" "$1" "$2" <<'PY'
import os, sys
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
posts = []
for d in sorted(os.listdir(src)):
    p = os.path.join(src, d, "input.md")
    if os.path.isfile(p):
        posts.append(open(p, "rb").read())
assert posts, "no fixtures/36kr/*/input.md"
for i in range(n):
    text = posts[i % len(posts)]
    if not text.endswith(b"\n"):
        text += b"\n"
    # Deterministic variation: the copy number and a word that cycles.
    word = ["alpha", "beta", "gamma", "delta", "epsilon"][i % 5]
    text += b"<p>archive copy %d (%s)</p>\n" % (i, word.encode())
    folder = os.path.join(out, "%03d" % (i // 1000))
    if i % 1000 == 0:
        os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "post-%06d.md" % i), "wb") as f:
        f.write(text)
PY
}

# Cache key: the fixtures and this script.
STAMP=$( (cat "$ROOT"/fixtures/36kr/*/input.md; sed -n '/^make_archive()/,/^}/p' "$0") | sha256sum | cut -c1-16)
archive() {  # archive N -> prints the directory
    local dir="$WORK/archive-$1"
    if [ "$(cat "$dir/.stamp" 2>/dev/null)" != "$STAMP" ]; then
        say "generating $1-post archive in $dir"
        rm -rf "$dir"; mkdir -p "$dir/src"
        make_archive "$1" "$dir/src"
        echo "$STAMP" > "$dir/.stamp"
    fi
    echo "$dir/src"
}

# ------------------------------------------------------------------ measuring

ROWS=()
row() { ROWS+=("$(printf '%-8s %-22s %4s %9s %9s %9s %10s %8s %9s' "$@")"); }
HEADER=$(printf '%-8s %-22s %4s %9s %9s %9s %10s %8s %9s' posts mode jobs "input MB" seconds "MB/s" "posts/s" "CPU s" "RSS MB")

FALLBACK=""
run_migrate() {  # run_migrate N SRC JOBS
    local n=$1 src=$2 j=$3 out="$WORK/out-$1-j$3" tf="$WORK/time.txt" ef="$WORK/stderr.txt"
    local mode=migrate rc=0 t0 t1
    rm -rf "$out"
    t0=$(date +%s.%N)
    if [ -z "$FALLBACK" ]; then
        /usr/bin/time -v -o "$tf" "$BIN" migrate "$src" --out "$out" --jobs "$j" -q 2> "$ef" || rc=$?
        if [ "$rc" = 2 ] && grep -qiE "unrecognized subcommand|unexpected argument|^usage:" "$ef"; then
            FALLBACK=1
            say "NOTE: 'mdmigrate migrate' is not available ($(awk 'NR == 1' "$ef"))"
            say "NOTE: falling back to one 'mdmigrate convert -q FILE > /dev/null' process per file (xargs -P N)"
        fi
    fi
    if [ -n "$FALLBACK" ]; then
        mode="convert-per-file*"
        rc=0
        t0=$(date +%s.%N)
        /usr/bin/time -v -o "$tf" sh -c \
            'find "$1" -name "*.md" -print0 | xargs -0 -n 1 -P "$2" "$3" convert -q > /dev/null' \
            sh "$src" "$j" "$BIN" 2> "$ef" || rc=$?
    fi
    t1=$(date +%s.%N)
    if [ "$rc" != 0 ]; then
        say "warning: $mode --jobs $j exited $rc: $(awk 'NR <= 3' "$ef")"
        mode="$mode(rc=$rc)"
    fi
    local bytes secs user sys rss
    bytes=$(find "$src" -name '*.md' -printf '%s\n' | awk '{s+=$1} END {print s}')
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
    user=$(tv "$tf" "User time (seconds)"); sys=$(tv "$tf" "System time (seconds)")
    rss=$(tv "$tf" "Maximum resident set size (kbytes)")
    row "$n" "$mode" "$j" \
        "$(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1e6}')" \
        "$(awk -v s="$secs" 'BEGIN{printf "%.2f", s}')" \
        "$(awk -v b="$bytes" -v s="$secs" 'BEGIN{printf "%.1f", b/1e6/s}')" \
        "$(awk -v n="$n" -v s="$secs" 'BEGIN{printf "%.0f", n/s}')" \
        "$(awk -v u="$user" -v y="$sys" 'BEGIN{printf "%.2f", u+y}')" \
        "$(awk -v r="$rss" 'BEGIN{printf "%.1f", r/1024}')"
    if [ "$mode" = migrate ]; then
        say "  $n posts --jobs $j: $(find "$out" -type f -name '*.md' | wc -l) Markdown files written"
    fi
}

SMALLEST=""
for n in $SIZES; do
    src=$(archive "$n")
    [ -z "$SMALLEST" ] && SMALLEST=$src
    for j in $JOBS; do
        say "running $n posts, --jobs $j"
        run_migrate "$n" "$src" "$j"
    done
done

# ------------------------------------------------------------------ libraries
BODY_DIR="$WORK/bodies"
say "extracting the HTML bodies of the first $BODIES posts into $BODY_DIR"
rm -rf "$BODY_DIR"; mkdir -p "$BODY_DIR"
python3 - "$SMALLEST" "$BODIES" "$BODY_DIR" <<'PY'
import os, sys
src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
files = sorted(os.path.join(r, f) for r, _, fs in os.walk(src) for f in fs if f.endswith(".md"))[:n]
for i, p in enumerate(files):
    lines = open(p, "rb").read().split(b"\n")
    # Skip leading blank lines and the '---' ... '---' block.
    k = 0
    while k < len(lines) and not lines[k].strip():
        k += 1
    if k < len(lines) and lines[k].rstrip() == b"---":
        k += 1
        while k < len(lines) and lines[k].rstrip() != b"---":
            k += 1
        k += 1
    open(os.path.join(out, "%06d.html" % i), "wb").write(b"\n".join(lines[k:]))
PY
nbodies=$(ls "$BODY_DIR" | wc -l)
body_mb=$(cat "$BODY_DIR"/*.html | wc -c | awk '{printf "%.2f", $1/1e6}')

field() { sed -n "s/.*$1=\([^ ]*\).*/\1/p"; }
LIB=()
lib() {  # lib LABEL CMD...
    local label=$1; shift
    local line; line=$("$@")
    local mbs secs
    mbs=$(echo "$line" | field mb_per_s); secs=$(echo "$line" | field seconds)
    LIB+=("$(printf '%-34s %9s %9s' "$label" "$secs" "$mbs")")
    LAST_MBS=$mbs
}
say "library comparison: $nbodies bodies ($body_mb MB) x $REPS passes, single-threaded"
lib "mdmigrate convert_html" "$MD_BENCH" "$BODY_DIR" "$REPS"; md_mbs=$LAST_MBS
lib "mdmigrate html::parse (parse only)" "$MD_BENCH" "$BODY_DIR" "$REPS" --parse-only; mdp_mbs=$LAST_MBS
lib "htmd 0.5 convert" "$HTMD_BENCH" "$BODY_DIR" "$REPS"; htmd_mbs=$LAST_MBS
lib "html5ever 0.38 + rcdom parse only" "$HTMD_BENCH" "$BODY_DIR" "$REPS" --parse-only; h5_mbs=$LAST_MBS
lib "html5ever 0.38 tokenizer only" "$HTMD_BENCH" "$BODY_DIR" "$REPS" --tokenize-only

# Instructions per input byte for one pass, with valgrind.
IR=()
ir_pass() {  # ir_pass CMD... -> instructions of one pass over the bodies
    local one two
    one=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 1 2>&1 >/dev/null | sed -n 's/.*I[[:space:]]*refs:[[:space:]]*//p' | tr -d ,)
    two=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2 2>&1 >/dev/null | sed -n 's/.*I[[:space:]]*refs:[[:space:]]*//p' | tr -d ,)
    echo $((two - one))
}
if [ "${BENCH_CALLGRIND:-0}" = 1 ] && command -v valgrind >/dev/null; then
    body_bytes=$(cat "$BODY_DIR"/*.html | wc -c)
    say "counting instructions (valgrind), one pass each"
    for spec in "mdmigrate convert_html|$MD_BENCH|" \
                "mdmigrate html::parse|$MD_BENCH|--parse-only" \
                "htmd 0.5 convert|$HTMD_BENCH|" \
                "html5ever 0.38 + rcdom parse|$HTMD_BENCH|--parse-only" \
                "html5ever 0.38 tokenizer only|$HTMD_BENCH|--tokenize-only"; do
        IFS='|' read -r label bin flag <<< "$spec"
        n=$(ir_pass "$bin" "$BODY_DIR" $flag)
        IR+=("$(printf '%-34s %14s %9s' "$label" "$n" "$(awk -v n="$n" -v b="$body_bytes" 'BEGIN{printf "%.1f", n/b}')")")
    done
fi

PANDOC_LINE="pandoc: not installed"
pandoc_mbs=""
if command -v pandoc >/dev/null; then
    say "pandoc: $PANDOC_FILES bodies, one process each"
    files=$(ls "$BODY_DIR"/*.html | awk -v n="$PANDOC_FILES" 'NR <= n')
    pbytes=$(cat $files | wc -c)
    t0=$(date +%s.%N)
    for f in $files; do pandoc -f html -t gfm "$f" > /dev/null; done
    t1=$(date +%s.%N)
    psecs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')
    pandoc_mbs=$(awk -v b="$pbytes" -v s="$psecs" 'BEGIN{printf "%.2f", b/1e6/s}')
    LIB+=("$(printf '%-34s %9.2f %9s' "pandoc $(pandoc --version | awk 'NR == 1 {print $2}') (process per file)" "$psecs" "$pandoc_mbs")")
    PANDOC_LINE="pandoc: $(echo "$files" | wc -l) files, $(awk -v b="$pbytes" 'BEGIN{printf "%.2f", b/1e6}') MB"
fi

# ------------------------------------------------------------------ issue 14
rss_mb() { awk -v r="$(tv "$1" "Maximum resident set size (kbytes)")" 'BEGIN{printf "%.1f", r/1024}'; }
wall() {  # wall CMD... -> seconds, the command's output discarded
    local t0 t1; t0=$(date +%s.%N); "$@" > /dev/null 2>&1 || true; t1=$(date +%s.%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}'
}

REPORT=()
REPORT_POSTS=${BENCH_REPORT_POSTS:-10000}
if [ "$REPORT_POSTS" -gt 0 ]; then
    src=$(archive "$REPORT_POSTS")
    say "reports: $REPORT_POSTS posts with and without --report"
    rm -rf "$WORK/rep-out" "$WORK/rep-out2"
    /usr/bin/time -v -o "$WORK/rep0.txt" "$BIN" migrate "$src" --out "$WORK/rep-out" --jobs 1 -q > /dev/null 2>&1 || true
    t0=$(date +%s.%N)
    /usr/bin/time -v -o "$WORK/rep1.txt" "$BIN" migrate "$src" --out "$WORK/rep-out2" --jobs 1 -q \
        --report "$WORK/r.json" --report "$WORK/r.html" > /dev/null 2>&1 || true
    t1=$(date +%s.%N)
    r0=$(rss_mb "$WORK/rep0.txt"); r1=$(rss_mb "$WORK/rep1.txt")
    REPORT+=("peak RSS without reports: $r0 MB; with both: $r1 MB ($(awk -v a="$r1" -v b="$r0" 'BEGIN{printf "%.2f", a/b}')x; target <= 1.5x)")
    REPORT+=("run with reports: $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}') s; ledger $(du -m "$WORK/r.json" | cut -f1) MB; page $(awk -v b="$(wc -c < "$WORK/r.html")" 'BEGIN{printf "%.2f", b/1e6}') MB (target <= 5 MB)")
    CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
    if [ -n "$CHROMIUM" ]; then
        secs=$(wall timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
            --disable-background-networking --user-data-dir="$WORK/chromium-profile" \
            --dump-dom "file://$WORK/r.html")
        REPORT+=("headless Chromium loads and dumps the page in $secs s (target < 3 s; includes browser start)")
    else
        REPORT+=("chromium not installed: page load not measured")
    fi
fi

DOWNLOAD=()
IMAGES=${BENCH_IMAGES:-1000}
if [ "$IMAGES" -gt 0 ]; then
    say "downloads: $IMAGES images from a loopback server answering after 50 ms"
    rm -f "$WORK/servers.txt"
    python3 - "$WORK/servers.txt" <<'PY' &
import http.server, socket, socketserver, sys, threading, time
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR" + b"\x00" * 64
class Slow(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without this, Nagle's
    # algorithm and the client's delayed ACK add ~40 ms to every response.
    disable_nagle_algorithm = True
    def do_GET(self):
        time.sleep(0.05)
        body = PNG + self.path.encode()
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
    def log_message(self, *a):
        pass
class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 256
slow = Server(("127.0.0.1", 0), Slow)
silent = socket.socket(); silent.bind(("127.0.0.1", 0)); silent.listen(512)
closed = socket.socket(); closed.bind(("127.0.0.1", 0)); closed_port = closed.getsockname()[1]; closed.close()
held = []
def hold():
    deadline = time.time() + 900   # bounded: the bench is over long before
    silent.settimeout(1)
    while time.time() < deadline:
        try:
            held.append(silent.accept()[0])
        except OSError:
            pass
threading.Thread(target=hold, daemon=True).start()
open(sys.argv[1], "w").write("%d %d %d\n" % (slow.server_address[1], silent.getsockname()[1], closed_port))
threading.Thread(target=slow.serve_forever, daemon=True).start()
time.sleep(900)
PY
    SERVER_PID=$!
    for _ in $(seq 50); do [ -s "$WORK/servers.txt" ] && break; sleep 0.1; done
    read -r SLOW SILENT CLOSED < "$WORK/servers.txt"
    img_archive() {  # img_archive DIR HOST: IMAGES images, 10 per post
        rm -rf "$1"; mkdir -p "$1"
        python3 - "$1" "$2" "$IMAGES" <<'PY'
import os, sys
out, host, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
for p in range((n + 9) // 10):
    imgs = "".join('<img src="http://%s/i/%d.png" alt="i">' % (host, i) for i in range(p * 10, min(n, p * 10 + 10)))
    open(os.path.join(out, "p%05d.md" % p), "w").write("---\ntitle: p%d\n---\n<p>%s</p>\n" % (p, imgs))
PY
    }
    dl() {  # dl NAME HOST EXTRA... -> seconds (and how many images were stored)
        img_archive "$WORK/dl-src" "$2"
        rm -rf "$WORK/dl-out"
        local name=$1 secs stored; shift 2
        secs=$(wall "$BIN" migrate "$WORK/dl-src" --out "$WORK/dl-out" -q --images download \
            --image-concurrency 8 --image-retries 0 \
            --resolve "img.test:$SLOW:127.0.0.1" --resolve "mirror.test:$SLOW:127.0.0.1" \
            --resolve "dead.test:$CLOSED:127.0.0.1" --resolve "silent.test:$SILENT:127.0.0.1" "$@")
        stored=$(grep -c '"status":"ok"' "$WORK/dl-out/images/manifest.jsonl" 2> /dev/null || true)
        [ "${stored:-0}" = "$IMAGES" ] || say "warning: $name stored ${stored:-0} of $IMAGES images"
        echo "$secs"
    }
    secs=$(dl direct "img.test:$SLOW")
    rate=$(awk -v n="$IMAGES" -v s="$secs" 'BEGIN{printf "%.0f", n/s}')
    DOWNLOAD+=("$IMAGES images, concurrency 8, server latency 50 ms: $secs s = $rate images/s ($(awk -v r="$rate" 'BEGIN{printf "%.0f", r/160*100}')% of 8/50 ms = 160/s; target >= 90%; includes conversion and process start)")
    MIRROR="http://mirror.test:$SLOW/m/{path}"
    base=$(dl mirror-only "mirror.test:$SLOW")
    refused=$(dl refused "dead.test:$CLOSED" --image-mirror "$MIRROR")
    silent=$(dl silent "silent.test:$SILENT" --image-mirror "$MIRROR" --image-timeout 2)
    DOWNLOAD+=("mirror only: $base s; dead original (refused) + mirror: $refused s; original accepts and never answers (--image-timeout 2) + mirror: $silent s (target: at most one timeout over mirror-only)")
    kill "$SERVER_PID" 2> /dev/null || true
fi

SHARD=()
SHARDS=${BENCH_SHARDS:-4}
if [ "$SHARDS" -gt 0 ] && command -v parallel > /dev/null; then
    say "shards: $SHARDS shards under GNU parallel against one process ($SMALLEST)"
    rm -rf "$WORK/sh-one" "$WORK/sh-many"
    one=$(wall "$BIN" migrate "$SMALLEST" --out "$WORK/sh-one" --jobs 1 -q)
    many=$(wall parallel --will-cite -j "$SHARDS" "$BIN" migrate "$SMALLEST" --out "$WORK/sh-many" --jobs 1 -q --shard "{}/$SHARDS" ::: $(seq 0 $((SHARDS - 1))))
    J=.mdmigrate-journal.jsonl
    if diff -r -q -x "$J" "$WORK/sh-one" "$WORK/sh-many" > /dev/null \
        && cmp -s <(sort "$WORK/sh-one/$J") <(sort "$WORK/sh-many/$J"); then
        verdict="equal (every file byte for byte; the journal as sorted lines)"
    else
        verdict="DIFFERENT"
    fi
    SHARD+=("one process: $one s; $SHARDS shards: $many s; trees $verdict")
elif [ "$SHARDS" -gt 0 ]; then
    SHARD+=("GNU parallel not installed: shards not measured")
fi

# The files-to-files runs read and write under FILES_DIR (default: the work
# directory); BENCH_FILES_DIR=/dev/shm takes the disk out of the figures.
FILES_DIR=${BENCH_FILES_DIR:-$WORK}
mkdir -p "$FILES_DIR"
if [ "$FILES_DIR" != "$WORK" ]; then
    rm -rf "$FILES_DIR/bodies"; cp -r "$BODY_DIR" "$FILES_DIR/bodies"
fi
FILES_BODIES=$FILES_DIR/bodies
[ "$FILES_DIR" = "$WORK" ] && FILES_BODIES=$BODY_DIR
FILES_FS=$(stat -f -c %T "$FILES_DIR")
say "migrate --jobs 1 against htmd files to files on $FILES_BODIES ($FILES_FS; $FILES_RUNS runs each, alternating)"
# Both are timed the same way, as whole processes (start-up included), into
# a fresh folder each run; the best run of each is compared (the least
# disturbed by other work on the machine), and the median is shown too.
proc_secs() {  # proc_secs OUT CMD... -> "wall cpu" of one run into a fresh OUT
    local out=$1 t0 t1; shift
    rm -rf "$out"
    t0=$(date +%s%N)
    /usr/bin/time -f "%U %S" -o "$WORK/files-time.txt" "$@" > /dev/null 2>&1 || true
    t1=$(date +%s%N)
    awk -v ns=$((t1 - t0)) '{printf "%.3f %.2f\n", ns / 1e9, $1 + $2}' "$WORK/files-time.txt"
}
MD_RUNS=(); HTMD_RUNS=()
for _ in $(seq "$FILES_RUNS"); do
    MD_RUNS+=("$(proc_secs "$FILES_DIR/files-md" "$BIN" migrate "$FILES_BODIES" --out "$FILES_DIR/files-md" --jobs 1 -q)")
    HTMD_RUNS+=("$(proc_secs "$FILES_DIR/files-htmd" "$HTMD_BENCH" "$FILES_BODIES" --files-to="$FILES_DIR/files-htmd")")
done
rm -rf "$FILES_DIR/files-md" "$FILES_DIR/files-htmd"
[ "$FILES_DIR" != "$WORK" ] && rm -rf "$FILES_DIR/bodies"
best() { printf '%s\n' "$@" | sort -n -k"$COL" | awk -v c="$COL" 'NR == 1 {print $c}'; }
median() { printf '%s\n' "$@" | sort -n -k"$COL" | awk -v c="$COL" '{v[NR] = $c} END {print v[int((NR + 1) / 2)]}'; }
COL=1; md_files=$(best "${MD_RUNS[@]}"); htmd_files=$(best "${HTMD_RUNS[@]}")
md_med=$(median "${MD_RUNS[@]}"); htmd_med=$(median "${HTMD_RUNS[@]}")
COL=2; md_cpu=$(best "${MD_RUNS[@]}"); htmd_cpu=$(best "${HTMD_RUNS[@]}")
speed() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "n/a" }'; }
FILES=("migrate --jobs 1 (verification on): best $md_files s, median $md_med s, CPU $md_cpu s"
       "htmd files to files:                best $htmd_files s, median $htmd_med s, CPU $htmd_cpu s"
       "mdmigrate speed / htmd = $(speed "$htmd_files" "$md_files") best wall, $(speed "$htmd_med" "$md_med") median wall, $(speed "$htmd_cpu" "$md_cpu") CPU (target >= 0.5)")

# ------------------------------------------------------------------ report
echo
echo "mdmigrate benchmark — $(date -u +%Y-%m-%dT%H:%MZ), nproc=$(nproc), $(uname -m), $(rustc --version)"
echo "cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | awk 'NR == 1')"
echo
echo "Archive migration (MB = 10^6 input bytes; CPU = user+sys; RSS = peak resident set)"
echo "$HEADER"
printf '%s\n' "${ROWS[@]}"
if [ -n "$FALLBACK" ]; then
    echo "* 'mdmigrate migrate' is not available in this build: rows marked * ran one"
    echo "  'mdmigrate convert -q FILE > /dev/null' process per file via xargs -P jobs;"
    echo "  they include process start-up and are not the migrate command's numbers."
fi
echo
echo "Library vs library on the same bodies: $nbodies bodies, $body_mb MB, $REPS passes, single-threaded, in process"
printf '%-34s %9s %9s\n' tool seconds "MB/s"
printf '%s\n' "${LIB[@]}"
echo "$PANDOC_LINE"
if [ ${#IR[@]} -gt 0 ]; then
    echo
    echo "Instructions for one pass over the same bodies (valgrind; lower is faster)"
    printf '%-34s %14s %9s\n' tool instructions "per byte"
    printf '%s\n' "${IR[@]}"
fi
[ "$EXPORT_MB" -gt 0 ] && bench_export
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "n/a" }'; }
echo
echo "ratios (MB/s):"
echo "  mdmigrate / htmd                       = $(ratio "$md_mbs" "$htmd_mbs")"
echo "  mdmigrate / mdmigrate parse-only       = $(ratio "$md_mbs" "$mdp_mbs")"
echo "  mdmigrate / html5ever+rcdom parse-only = $(ratio "$md_mbs" "$h5_mbs")"
[ -n "$pandoc_mbs" ] && echo "  mdmigrate / pandoc (process per file)  = $(ratio "$md_mbs" "$pandoc_mbs")"
echo
echo "Reports ($REPORT_POSTS posts, --jobs 1):"
printf '  %s\n' "${REPORT[@]}"
echo "Downloads (loopback):"
printf '  %s\n' "${DOWNLOAD[@]}"
echo "Shards:"
printf '  %s\n' "${SHARD[@]}"
echo "Files to files ($nbodies bodies, under $FILES_DIR: $FILES_FS):"
printf '  %s\n' "${FILES[@]}"
exit 0
