// Runs gapscope web harness jobs in standalone headless Chromium, so their
// timings can be set against the same jobs run in the embedded QtWebEngine.
//
//   node tests/bench/web/chromium_runs.mjs JOBS_DIR OUT_JSON [--web-root DIR] [--timeout S]
//
// JOBS_DIR: *.json files, each the exact text gapscopeHarness.runJob accepts; a
// job with "fidelity_rounds": k also gets fidelityCheck(job, k). The page is
// served over HTTP with the headers ui/browser/harness_server.cpp sends, so it
// is cross-origin isolated (5 us timer, SharedArrayBuffer, threaded wasm)
// exactly as in QtWebEngine; a file:// page would not be. Each job gets a new
// browser context, hence a fresh renderer: no JIT, heap or tf.js state carries
// over from one job to the next.
// Exit: 0 when it ran (even if jobs failed), 2 on bad usage, 1 when chromium or
// the server cannot start.
import {createRequire} from 'node:module';
import {createServer} from 'node:http';
import {existsSync, readdirSync, readFileSync, realpathSync, statSync, writeFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import path from 'node:path';

const USAGE = 'usage: node tests/bench/web/chromium_runs.mjs JOBS_DIR OUT_JSON [--web-root DIR] [--timeout S]';
// Debian's chromium; GAPSCOPE_CHROMIUM overrides it, as in tests/web/browser.mjs.
const CHROMIUM = process.env.GAPSCOPE_CHROMIUM || '/usr/bin/chromium';
// The flags the Qt side sets (ui/browser/browser_environment.cpp): a headless
// page counts as a background tab and would have its timers throttled.
const BENCHMARK_FLAGS = ['--disable-background-timer-throttling', '--disable-renderer-backgrounding',
                         '--disable-backgrounding-occluded-windows', '--ignore-gpu-blocklist'];

function fail(code, message) {
  console.error(message);
  process.exit(code);
}

// ---- arguments ----
const here = path.dirname(fileURLToPath(import.meta.url));
const positional = [];
let webRoot = path.resolve(here, '../../../resources/web');
let timeoutS = 600;
{
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; ++i) {
    if (args[i] === '--web-root' || args[i] === '--timeout') {
      if (i + 1 >= args.length) fail(2, `${args[i]} needs a value\n${USAGE}`);
      const value = args[++i];
      if (args[i - 1] === '--web-root') webRoot = path.resolve(value);
      else if (!(Number(value) > 0)) fail(2, `--timeout needs a number of seconds > 0, got ${value}\n${USAGE}`);
      else timeoutS = Number(value);
    } else if (args[i].startsWith('--')) {
      fail(2, `unknown option ${args[i]}\n${USAGE}`);
    } else {
      positional.push(args[i]);
    }
  }
}
if (positional.length !== 2) fail(2, USAGE);
const [jobsDir, outJson] = positional;
if (!existsSync(jobsDir) || !statSync(jobsDir).isDirectory()) fail(2, `not a directory: ${jobsDir}\n${USAGE}`);
const jobFiles = readdirSync(jobsDir).filter((f) => f.endsWith('.json')).sort();
if (jobFiles.length === 0) fail(2, `no *.json job files in ${jobsDir}`);
if (!existsSync(path.join(webRoot, 'harness/index.html'))) fail(2, `no harness/index.html under web root ${webRoot}`);

// ---- the HTTP server (mirrors ui/browser/harness_server.cpp) ----
const CONTENT_TYPES = {'.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
                       '.wasm': 'application/wasm', '.json': 'application/json',
                       '.md': 'text/plain; charset=utf-8', '.css': 'text/css'};
const ISOLATION_HEADERS = {'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp',
                           'Cross-Origin-Resource-Policy': 'same-origin', 'Cache-Control': 'no-store'};
const rootReal = realpathSync(webRoot);

function reply(res, status, type, body) {
  res.writeHead(status, {'Content-Type': type, 'Content-Length': body.length, ...ISOLATION_HEADERS});
  res.end(body);
}

// The file a request path names, or null. Real paths, so neither ".." (also
// percent-encoded) nor a symlink can leave the root.
function fileFor(urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  try {
    const real = realpathSync(path.join(rootReal, decoded));
    return real.startsWith(rootReal + path.sep) && statSync(real).isFile() ? real : null;
  } catch {
    return null;
  }
}

const server = createServer((req, res) => {
  if (req.method !== 'GET') return reply(res, 405, 'text/plain', Buffer.from('only GET\n'));
  const file = fileFor(req.url.split(/[?#]/)[0]);
  if (!file) return reply(res, 404, 'text/plain', Buffer.from('not found\n'));
  const type = CONTENT_TYPES[path.extname(file)] || 'application/octet-stream';
  reply(res, 200, type, readFileSync(file));
});

async function startServer() {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return server.address().port;
}

// ---- statistics for the table (stats.js's interpolated quantile) ----
function median(values) {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const at = (s.length - 1) / 2;
  return s[Math.floor(at)] + (s[Math.ceil(at)] - s[Math.floor(at)]) * (at - Math.floor(at));
}

// ---- one job in a fresh context ----
function withTimeout(promise, seconds, what) {
  let timer;
  const expiry = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${seconds} s`)), seconds * 1000);
  });
  return Promise.race([promise, expiry]).finally(() => clearTimeout(timer));
}

async function runOne(browser, harnessUrl, file) {
  const text = readFileSync(path.join(jobsDir, file), 'utf8');
  const entry = {file, backend: null, config: null, phases: {}, capabilities: {}, fidelity: null, error: null};
  let job;
  try {
    job = JSON.parse(text);
    entry.backend = job.backend ?? null;
    entry.config = job.config ?? null;
  } catch (e) {
    entry.error = `not valid JSON: ${e.message}`;
    return entry;
  }
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    // A crashed renderer never settles evaluate(); say so instead of waiting out the timeout.
    const crashed = new Promise((_, reject) => page.on('crash', () => reject(new Error('renderer crashed'))));
    crashed.catch(() => {});
    const work = (async () => {
      await page.goto(harnessUrl);
      await page.waitForFunction(() => window.gapscopeHarness !== undefined, null, {timeout: 60000});
      // Errors come back as values: a rejected evaluate() would lose the page's message.
      const ran = await page.evaluate(async (t) => {
        try {
          return {records: await window.gapscopeHarness.runJob(t)};
        } catch (e) {
          return {error: e && e.message ? e.message : String(e)};
        }
      }, text);
      if (ran.error) throw new Error(ran.error);
      const measurements = JSON.parse(ran.records).filter((r) => r.kind === 'measurement');
      for (const r of measurements)
        entry.phases[r.phase] = {unit: r.unit, median: r.median, p10: r.p10, p90: r.p90, n: r.n, samples: r.samples};
      const capsFrom = measurements.find((r) => r.phase === 'train') || measurements[0];
      entry.capabilities = capsFrom ? capsFrom.capabilities : {};
      if (job.fidelity_rounds !== undefined) {
        const checked = await page.evaluate(async ([t, rounds]) => {
          try {
            return {value: await window.gapscopeHarness.fidelityCheck(t, rounds)};
          } catch (e) {
            return {error: e && e.message ? e.message : String(e)};
          }
        }, [text, job.fidelity_rounds]);
        if (checked.error) throw new Error(`fidelity: ${checked.error}`);
        entry.fidelity = JSON.parse(checked.value);
      }
    })();
    await withTimeout(Promise.race([work, crashed]), timeoutS, file);
  } catch (e) {
    entry.error = e && e.message ? e.message : String(e);
  } finally {
    await context.close().catch(() => {});
  }
  return entry;
}

// ---- the table ----
function printTable(jobs) {
  const ms = (v) => (Number.isFinite(v) ? v.toFixed(3) : '-').padStart(10);
  const width = Math.max(4, ...jobs.map((j) => j.file.length));
  console.log(`${'file'.padEnd(width)}  ${'backend'.padEnd(10)} ${'train ms'.padStart(10)} ${'infer ms'.padStart(10)}` +
              `   fidelity: ${'harness'.padStart(10)} ${'bare'.padStart(10)}  ratio`);
  for (const j of jobs) {
    const head = `${j.file.padEnd(width)}  ${String(j.backend).padEnd(10)}`;
    if (j.error) {
      console.log(`${head} error: ${j.error}`);
      continue;
    }
    let line = `${head} ${ms(j.phases.train?.median)} ${ms(j.phases.infer?.median)}`;
    if (j.fidelity) {
      const h = median(j.fidelity.harness.flat());
      const b = median(j.fidelity.bare.flat());
      line += `             ${ms(h)} ${ms(b)}  ${(h / b).toFixed(3)}`;
    }
    console.log(line);
  }
}

// ---- main ----
let port;
try {
  port = await startServer();
} catch (e) {
  fail(1, `cannot serve ${webRoot} on 127.0.0.1: ${e.message}`);
}
let browser;
try {
  // playwright-core is a devDependency of resources/web (tests/web/browser.mjs loads it the same way).
  const require = createRequire(path.join(path.resolve(here, '../../../resources/web'), 'package.json'));
  const {chromium} = require('playwright-core');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (apt-get install chromium)`);
  // Playwright adds --enable-unsafe-swiftshader by default; QtWebEngine does
  // not, and a WebGL job must not silently land on SwiftShader here only.
  browser = await chromium.launch({executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', ...BENCHMARK_FLAGS],
                                   ignoreDefaultArgs: ['--enable-unsafe-swiftshader']});
} catch (e) {
  server.close();
  fail(1, `cannot start chromium: ${e.message}`);
}

const harnessUrl = `http://127.0.0.1:${port}/harness/index.html`;
console.error(`serving ${rootReal} at http://127.0.0.1:${port}/ to chromium ${browser.version()}`);
const out = {browser: browser.version(), user_agent: null, jobs: []};
try {
  {
    // The user agent of a page like the jobs' (headless chromium says "HeadlessChrome").
    const page = await browser.newPage();
    out.user_agent = await page.evaluate(() => navigator.userAgent);
    await page.close();
  }
  for (const file of jobFiles) {
    const started = Date.now();
    const entry = await runOne(browser, harnessUrl, file);
    console.error(`${file}: ${entry.error ? `error: ${entry.error}` : 'done'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    out.jobs.push(entry);
  }
} finally {
  await browser.close();
  server.close();
}
writeFileSync(outJson, JSON.stringify(out, null, 2) + '\n');
console.log(`${out.browser}, ${jobFiles.length} jobs, web root ${webRoot}`);
printTable(out.jobs);
