// Opens resources/web/harness/index.html from file:// in headless Debian
// chromium through playwright-core (resources/web devDependency), or says why
// it cannot. --allow-file-access-from-files matches QtWebEngine's default
// (LocalContentCanAccessFileUrls): the wasm backend reads its .wasm binaries
// from file:// with it. Also: harnessPage, the page for a describe block of
// tests; and the harness scripts loaded into node, for tests that need no page.
import {before, after, test} from 'node:test';
import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import {existsSync} from 'node:fs';
import {fileURLToPath, pathToFileURL} from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const webRoot = path.resolve(here, '../../resources/web');
export const harnessUrl = pathToFileURL(path.join(webRoot, 'harness/index.html')).href;
// require() as resources/web's own code: its node_modules.
export const webRequire = createRequire(path.join(webRoot, 'package.json'));

const CHROMIUM_CANDIDATES = [process.env.GAPSCOPE_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser']
    .filter(Boolean);

// -> {chromium, executablePath} or {skip: reason}; with GAPSCOPE_REQUIRE_BROWSER=1
// (ctest sets it) a missing browser is an error, never a silent skip.
export function findBrowser() {
  const found = locateBrowser();
  if (found.skip && process.env.GAPSCOPE_REQUIRE_BROWSER === '1') throw new Error(found.skip);
  return found;
}

function locateBrowser() {
  const executablePath = CHROMIUM_CANDIDATES.find((p) => existsSync(p));
  if (!executablePath) return {skip: 'no chromium (apt-get install chromium, or set GAPSCOPE_CHROMIUM)'};
  if (!existsSync(path.join(webRoot, 'node_modules/@tensorflow/tfjs/dist/tf.min.js')))
    return {skip: 'resources/web/node_modules is not installed (npm ci in resources/web)'};
  try {
    const {chromium} = webRequire('playwright-core');
    return {chromium, executablePath};
  } catch (e) {
    return {skip: `playwright-core is not installed in resources/web (npm ci there): ${e.message}`};
  }
}

// initScript: a function run in the page before its own scripts (tests use it
// to take features away, e.g. WebGL).
export async function openHarness(found, {extraArgs = [], initScript = null} = {}) {
  const browser = await found.chromium.launch({
    executablePath: found.executablePath, headless: true,
    args: ['--allow-file-access-from-files', '--no-sandbox', ...extraArgs],
  });
  const page = await browser.newPage();
  if (initScript) await page.addInitScript(initScript);
  const consoleLines = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
  await page.goto(harnessUrl);
  await page.waitForFunction(() => window.gapscopeHarness !== undefined, null, {timeout: 30000});
  return {browser, page, consoleLines};
}

// Runs a job in the page: -> {records} or {error: message}
export function runJob(page, jobJson) {
  return page.evaluate(async (text) => {
    try {
      return {records: JSON.parse(await window.gapscopeHarness.runJob(text))};
    } catch (e) {
      return {error: e && e.message ? e.message : String(e)};
    }
  }, jobJson);
}

// For a describe block of tests on the page: registers there a before() that
// runs `prepare` and then opens the page, and an after() that closes its
// browser; both do nothing where its tests are skipped (no browser, or a
// reason from `skipWhy`, asked only where the browser is there).
// -> {found, skip: false or 'skipped: <why>', session(): {browser, page, consoleLines} once open,
//     noErrorsTest(title): registers the block's last test, that the page logged no error (console or pageerror)}
export function harnessPage({skipWhy = () => false, prepare = async () => {}} = {}) {
  const found = findBrowser();
  const skip = found.skip ? `skipped: ${found.skip}` : skipWhy();
  let session = null;
  before(async () => {
    if (skip) return;
    await prepare();
    session = await openHarness(found);
  });
  after(async () => {
    if (session) await session.browser.close();
  });
  const noErrorsTest = (title = 'the page logs no errors') => test(title, {skip}, () => {
    assert.deepEqual(session.consoleLines.filter((l) => /^(error|pageerror)/.test(l)), []);
  });
  return {found, skip, session: () => session, noErrorsTest};
}

// ---------- the harness scripts in node ----------

const NODE_SCRIPTS = ['stats', 'bytes', 'model_spec', 'weights', 'runner_map', 'job', 'capabilities',
                      'framework_common', 'tfjs_layers', 'convnetjs_runner', 'brainjs_runner', 'synaptic_runner'];

// Loads harness/<file>.js for each of `files` into this node process (each
// adds itself to globalThis.gapscopeParts) -> gapscopeParts.
export function loadHarnessParts(files = NODE_SCRIPTS) {
  for (const file of files) webRequire(path.join(webRoot, 'harness', `${file}.js`));
  return globalThis.gapscopeParts;
}

// What a chain-only framework's runner (convnetjs, brainjs, synaptic; loaded
// by loadHarnessParts) says of a spec: its refusal's message, or 'no error'.
export function unsupportedBy(framework, specObject) {
  const parts = globalThis.gapscopeParts;
  const model = parts.modelSpec.readModelSpec(specObject);
  const runner = {convnetjs: parts.convnetjsRunner, brainjs: parts.brainjsRunner, synaptic: parts.synapticRunner}[framework];
  try {
    runner.plan(model, 64);
  } catch (e) {
    return e.message;
  }
  return 'no error';
}
