#!/usr/bin/env bash
# Performs the Dockerfile's steps without Docker, in throw-away folders, and smoke-tests the result:
# build stage → runtime stage → ingest → health check → one /find through a fake Discord → SIGTERM.
# CI runs it (no Docker engine there). test/ops/recipe.test.ts checks that every RUN line, the runtime
# ENV names and the HEALTHCHECK command of the Dockerfile appear here, so keep the two in step.
#
#   bash scripts/verify-image-recipe.sh         (KEEP_RECIPE_DIR=1 keeps the temp folder for a look)
#
# Differences from a real image build, on purpose:
#   - EMBEDDING_MODEL=none: no network to fetch the model here, so the index is lexical-only.
#   - npm installs prefer the local cache (npm_config_prefer_offline); `npm cache clean --force` is
#     skipped because it would empty the machine's shared cache.
#   - Paths: /app → $RUNTIME, /data/state → $WORK/data/state; the image's `node` user → `nobody`
#     (via setpriv when running as root; otherwise the current user, and the summary says so).
#   - HEALTH_PORT is a free port instead of 8080, which may be taken on a shared machine.
#   - better-sqlite3: in an image build, its install step downloads a prebuilt binary from GitHub; with
#     no network here it would compile SQLite from source (~3 min per install on 2 cores). So the binary
#     the checkout's own `npm ci` produced (or the build stage's) is handed to its installer as a
#     local prebuild: the same install script runs and then finds the binary next door.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/paperbot-recipe.XXXXXX")"
BUILD="$WORK/build"
RUNTIME="$WORK/app"
STATE_DIR="$WORK/data/state"
BOT_PID=""
FAKE_PID=""
T0=$(date +%s%N)
STEP_T0=$T0
STEP_NAME=""
SUMMARY=()

# The Dockerfile's HEALTHCHECK command, verbatim (checked against the Dockerfile below).
HEALTHCHECK_CMD=$(cat <<'EOF'
node -e "fetch('http://127.0.0.1:'+(process.env.HEALTH_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
EOF
)

ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

end_step() {
  if [ -n "$STEP_NAME" ]; then
    SUMMARY+=("$(printf '  %-46s %6.1fs' "$STEP_NAME" "$(awk "BEGIN{print $(ms_since "$STEP_T0")/1000}")")")
  fi
}

step() {
  end_step
  STEP_NAME="$1"
  STEP_T0=$(date +%s%N)
  printf '\n==> %s\n' "$1"
}

fail() {
  printf '\nFAILED: %s\n' "$*" >&2
  for log in "$WORK/fake.log" "$WORK/bot.log"; do
    if [ -s "$log" ]; then
      printf -- '--- last lines of %s ---\n' "${log##*/}" >&2
      tail -n 30 "$log" >&2
    fi
  done
  exit 1
}

# Used where the Dockerfile does something that must not run on this machine.
skip_step() { printf '    (skipped: %s — %s)\n' "$1" "$2"; }

# Running and not a zombie (an exited child stays a zombie until waited for, and kill -0 still succeeds).
alive() { [ -n "$1" ] && [ -r "/proc/$1/status" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

stop_pid() { # pid: SIGTERM, then SIGKILL after 5 s
  local pid="$1"
  alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do alive "$pid" || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
}

cleanup() {
  stop_pid "$BOT_PID"
  stop_pid "$FAKE_PID"
  if [ "${KEEP_RECIPE_DIR:-0}" = 1 ]; then
    echo "kept $WORK"
  else
    local t0; t0=$(date +%s%N)
    rm -rf "$WORK" # two node_modules trees: this takes a while on a busy disk
    echo "removed the temp folder in $(ms_since "$t0") ms"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits up to $1 seconds for the command in the remaining arguments to succeed.
wait_until() {
  local deadline=$(($(date +%s) + $1))
  shift
  until "$@"; do
    [ "$(date +%s)" -lt "$deadline" ] || return 1
    sleep 0.25
  done
}

# The image's non-root user: `nobody` here (there is no `node` user outside the node image).
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
  APP_USER=nobody
  AS_APP_USER=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
  USER_NOTE="bot ran as nobody (uid $(id -u nobody)), like the image's USER node"
else
  APP_USER="$(id -un)"
  AS_APP_USER=()
  USER_NOTE="NOT checked: not root or no setpriv, so the bot ran as $APP_USER"
fi

export npm_config_prefer_offline=true npm_config_update_notifier=false
unset NODE_ENV

# Packs an installed better-sqlite3 binary the way its GitHub release assets are packed, where
# prebuild-install looks for a local prebuild (npm_config_better_sqlite3_local_prebuilds).
PREBUILDS="$WORK/prebuilds"
seed_sqlite_prebuild() { # node_modules folder holding a built better-sqlite3
  local pkg="$1/better-sqlite3" want have name
  want="$(node -p "require('$REPO/package-lock.json').packages['node_modules/better-sqlite3'].version")"
  have="$(node -p "try { require('$pkg/package.json').version } catch { '' }")"
  [ "$have" = "$want" ] && [ -f "$pkg/build/Release/better_sqlite3.node" ] || return 1
  name="better-sqlite3-v$want-node-v$(node -p process.versions.modules)-$(node -p 'process.platform + "-" + process.arch').tar.gz"
  mkdir -p "$PREBUILDS"
  tar -czf "$PREBUILDS/$name" -C "$pkg" build/Release/better_sqlite3.node
  export npm_config_better_sqlite3_local_prebuilds="$PREBUILDS"
  echo "better-sqlite3 $want: local prebuild from ${pkg#"$WORK/"}"
}

echo "paperbot image recipe check in $WORK"
[ -f "$REPO/Dockerfile" ] || fail "no Dockerfile in $REPO"
grep -qF -- "$HEALTHCHECK_CMD" "$REPO/Dockerfile" || fail "the Dockerfile's HEALTHCHECK command differs from HEALTHCHECK_CMD in this script"

# ---- build stage -------------------------------------------------------------------------------
step "build: npm ci"
mkdir -p "$BUILD"
cd "$BUILD"
export ONNXRUNTIME_NODE_INSTALL=skip
cp "$REPO/package.json" "$REPO/package-lock.json" ./
seed_sqlite_prebuild "$REPO/node_modules" || echo "better-sqlite3: no matching binary in the checkout, compiling from source"
# Dockerfile: RUN npm ci --no-audit --no-fund
npm ci --no-audit --no-fund
[ -n "${npm_config_better_sqlite3_local_prebuilds:-}" ] || seed_sqlite_prebuild "$BUILD/node_modules" || true

step "build: npm run build"
cp "$REPO/tsconfig.json" "$REPO/tsconfig.build.json" ./
cp -R "$REPO/src" ./src
cp -R "$REPO/commands" ./commands
cp -R "$REPO/scripts" ./scripts
# Dockerfile: RUN npm run build
npm run build
[ -f dist/src/index.js ] && [ -f dist/src/cli/main.js ] || fail "npm run build did not produce dist/src/index.js and dist/src/cli/main.js"
[ -f dist/src/store/kernels/dots.wasm ] && [ -f dist/src/engine/SOURCE_FINGERPRINT ] || fail "npm run build did not copy the SIMD kernel or stamp the engine fingerprint into dist/"

# ---- runtime stage -----------------------------------------------------------------------------
step "runtime: npm ci --omit=dev"
mkdir -p "$RUNTIME"
chmod 755 "$WORK"
cd "$RUNTIME"
export NODE_ENV=production \
  ONNXRUNTIME_NODE_INSTALL=skip \
  EMBEDDING_MODEL=none \
  PAPERS_PATH="$RUNTIME/data/papers.txt" \
  INDEX_DIR="$RUNTIME/data/index" \
  MODEL_CACHE_DIR="$RUNTIME/data/models" \
  STATE_PATH="$STATE_DIR/paperbot.sqlite" \
  HEALTH_PORT="$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")"
cp "$REPO/package.json" "$REPO/package-lock.json" ./
# Dockerfile: RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
npm ci --omit=dev --no-audit --no-fund
skip_step "npm cache clean --force" "would empty this machine's shared npm cache"
for dev in typescript vitest; do
  [ ! -e "node_modules/$dev" ] || fail "node_modules/$dev is in the production install: --omit=dev did not omit it"
done

step "runtime: copy dist and the collection, ingest"
cp -R "$BUILD/dist" ./dist
mkdir -p data
cp "$REPO/data/papers.txt" ./data/papers.txt
# Dockerfile: COPY data/vocab ./data/vocab
cp -R "$REPO/data/vocab" ./data/vocab
# Dockerfile: RUN node dist/src/cli/main.js ingest --require-model
node dist/src/cli/main.js ingest --require-model
[ -d data/index ] || fail "ingest did not create data/index"
# Dockerfile: RUN mkdir -p /data/state && chown -R node:node /data/state /app/data
mkdir -p "$STATE_DIR" && chown -R "$APP_USER" "$STATE_DIR" "$RUNTIME/data"
if [ ${#AS_APP_USER[@]} -gt 0 ] && "${AS_APP_USER[@]}" touch dist/.write-probe 2>/dev/null; then
  fail "the app user can write to dist/: the code should be read-only to it"
fi

# ---- run: fake Discord, register commands, bot -------------------------------------------------
step "run: start the fake Discord"
(cd "$REPO" && exec node --import tsx test/fake-discord/standalone.ts --timeout-ms 30000) >"$WORK/fake.json" 2>"$WORK/fake.log" &
FAKE_PID=$!
wait_until 60 test -s "$WORK/fake.json" || fail "the standalone fake Discord printed nothing within 60 s"
fake_field() { node -e 'process.stdout.write(String(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8").split("\n")[0])[process.argv[2]]))' "$WORK/fake.json" "$1"; }
export DISCORD_API_BASE DISCORD_APP_ID DISCORD_GUILD_ID
DISCORD_API_BASE="$(fake_field apiBase)"
DISCORD_APP_ID="$(fake_field appId)"
DISCORD_GUILD_ID="$(fake_field guildId)"
CONTROL_URL="$(fake_field controlUrl)"
export DISCORD_TOKEN="recipe-check.not-a-real-token.0000000000"
echo "fake Discord at $DISCORD_API_BASE (control: $CONTROL_URL)"

step "run: deploy-commands against the fake"
"${AS_APP_USER[@]}" node dist/scripts/deploy-commands.js

step "run: start the bot, wait for the HEALTHCHECK"
"${AS_APP_USER[@]}" node dist/src/index.js >"$WORK/bot.log" 2>&1 &
BOT_PID=$!
bot_healthy() {
  alive "$BOT_PID" || fail "the bot exited before becoming healthy"
  sh -c "$HEALTHCHECK_CMD"
}
wait_until 90 bot_healthy || fail "GET /healthz was not 200 within 90 s"
echo "healthy: $(node -e "fetch('http://127.0.0.1:$HEALTH_PORT/healthz').then(r=>r.text()).then(console.log)")"

step "run: /find through the fake Discord"
node --input-type=module - "$CONTROL_URL" <<'EOF' || fail "/find check failed"
const [control] = process.argv.slice(2);
const res = await fetch(`${control}/slash`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ name: 'find', options: { query: 'diffusion models for video generation' }, timeoutMs: 30000 }),
  signal: AbortSignal.timeout(40000),
});
const out = await res.json();
if (res.status !== 200) throw new Error(`control API answered ${res.status}: ${out.error}`);
const embeds = out.reply?.embeds ?? [];
if (embeds.length === 0) throw new Error(`the /find reply has no embeds: ${JSON.stringify(out.reply).slice(0, 500)}`);
const parse = out.lastBody?.allowed_mentions?.parse;
if (!Array.isArray(parse) || parse.length !== 0) {
  throw new Error(`the /find reply's allowed_mentions is ${JSON.stringify(out.lastBody?.allowed_mentions)}, want {"parse":[]}`);
}
console.log(`/find replied: ${embeds.length} embed(s), first "${embeds[0].title ?? embeds[0].description?.slice(0, 60)}", allowed_mentions ${JSON.stringify(out.lastBody.allowed_mentions)}`);
EOF

step "run: SIGTERM the bot"
stop_t0=$(date +%s%N)
kill -TERM "$BOT_PID"
# Watchdog: a bot that ignores SIGTERM is killed after 10 s and then fails the check below.
(sleep 10; kill -KILL "$BOT_PID" 2>/dev/null) &
watchdog=$!
bot_rc=0
wait "$BOT_PID" || bot_rc=$?
stop_ms=$(ms_since "$stop_t0")
kill "$watchdog" 2>/dev/null || true
wait "$watchdog" 2>/dev/null || true
BOT_PID=""
[ "$stop_ms" -lt 10000 ] || fail "the bot was still running 10 s after SIGTERM (killed; exit code $bot_rc)"
[ "$bot_rc" = 0 ] || fail "the bot exited with code $bot_rc after SIGTERM (want 0)"
echo "bot exited 0, ${stop_ms} ms after SIGTERM"
[ -f "$STATE_PATH" ] || fail "no state database at $STATE_PATH after the run"
state_owner="$(stat -c %U "$STATE_PATH")"
[ "$state_owner" = "$APP_USER" ] || fail "the state database is owned by $state_owner, want $APP_USER"

stop_pid "$FAKE_PID"
FAKE_PID=""
end_step

printf '\n==> image recipe OK in %.1fs\n' "$(awk "BEGIN{print $(ms_since "$T0")/1000}")"
printf '%s\n' "${SUMMARY[@]}"
echo "  notes: EMBEDDING_MODEL=none (no network for the model); $USER_NOTE; bot stopped in ${stop_ms} ms"
