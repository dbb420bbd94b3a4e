// window.gapscopeHarness: the page's API for the Qt bridge (QWebChannel or
// QWebEnginePage::runJavaScript), JSON in and out.
//
//   capabilities(backendId) -> Promise<object>
//       {backend, available: "true"|"false", reason?, ...capabilities}; every
//       value a string. For TF.js backends this activates the backend (the
//       only way to know it works).
//   runJob(jobJson: string) -> Promise<string>
//       JSON array of records (gapscope.measurement/1 measurement records, a
//       memory record, and the optional predictions / loss_curve records).
//       Rejects with an Error whose message says what went wrong; a model a
//       framework cannot express gives "unsupported by <framework>: <reason>".
//   fidelityCheck(jobJson, rounds) -> Promise<string>: the train phase against
//       a bare loop of the same calls, alternated (fidelity.js).
//   version: the harness version string.
// For callers that cannot await a promise (runJavaScript returns at once):
//   start(jobJson) / startCapabilities(backendId) / startFidelityCheck(jobJson)
//       -> ticket (number); the fidelity job may say "fidelity_rounds".
//   result(ticket) -> JSON string {"state": "running"} |
//       {"state": "done", "value": <records array | capabilities object>} |
//       {"state": "failed", "error": "<message>"}; a settled result is
//       forgotten once read as done/failed.
//   onSettled: set it to a function(ticket, resultJson) (e.g. a QWebChannel
//       object's method) to be told instead of polling.
//   onProgress: set it to a function(ticket, eventJson) to be told how a
//       started job goes ({"kind":"progress","phase","step","steps","ms","loss"?}).
// Jobs run one after another, never at once (DESIGN.md: backends never share
// the machine), in the order they were submitted.
(function (root) {
  'use strict';
  const parts = root.gapscopeParts;
  const VERSION = '0.1.0';
  const FRAMEWORK_VERSIONS = {convnetjs: '0.3.0', brainjs: '1.6.1', synaptic: '1.1.4'};
  const runnerOf = parts.runnerMap.runnerOf;

  let queue = Promise.resolve();
  function serially(fn) {
    const run = queue.then(fn);
    queue = run.catch(() => {});
    return run;
  }

  function showStatus(text) {
    const element = typeof document !== 'undefined' && document.getElementById('status');
    if (element) element.textContent = text;
  }

  function messageOf(e) {
    return e && e.message ? e.message : String(e);
  }

  async function backendCapabilities(backendId) {
    if (!runnerOf(backendId))
      throw new Error(`unknown backend ${JSON.stringify(backendId)}; known: ${parts.runnerMap.backends.join(', ')}`);
    const out = {backend: backendId};
    try {
      if (runnerOf(backendId) === parts.tfjsRunner) {
        Object.assign(out, await parts.tfjsRunner.capabilities(backendId));
      } else {
        await parts.scriptLoader.loadFramework(backendId);
        Object.assign(out, parts.frameworkCommon.frameworkCapabilities(backendId, FRAMEWORK_VERSIONS[backendId]));
      }
      out.available = 'true';
    } catch (e) {
      out.available = 'false';
      out.reason = messageOf(e);
    }
    return out;
  }

  function capabilities(backendId) {
    return serially(() => backendCapabilities(backendId));
  }

  // onProgress(event) is told as the job goes (protocol.js progressReporter).
  function runJob(jobJson, onProgress) {
    return serially(async () => {
      const job = await parts.job.fetchJob(jobJson);
      if (onProgress) job.onProgress = onProgress;
      showStatus(`running ${job.backend} (${job.model.name || 'model'}, run ${job.runId})`);
      try {
        const adapter = await runnerOf(job.backend).createAdapter(job);
        const records = await parts.protocol.runProtocol(job, adapter);
        showStatus(`done: ${job.backend}, ${records.length} records`);
        return JSON.stringify(records);
      } catch (e) {
        showStatus(`failed: ${job.backend}: ${messageOf(e)}`);
        throw e;
      }
    });
  }

  // The harness's train phase against a bare loop of the same calls
  // (fidelity.js); JSON {backend, rounds, harness, bare, capabilities}.
  function fidelityCheck(jobJson, rounds) {
    return serially(async () => {
      const job = await parts.job.fetchJob(jobJson);
      const count = rounds === undefined ? 5 : rounds;
      if (!Number.isInteger(count) || count < 1) throw new Error(`fidelity rounds must be an integer >= 1, got ${rounds}`);
      const adapter = await runnerOf(job.backend).createAdapter(job);
      return JSON.stringify(await parts.fidelity.fidelityCheck(job, adapter, count));
    });
  }

  // ---- tickets, for callers that cannot await ----
  let nextTicket = 1;
  const outcomes = new Map();

  function track(promise, encode) {
    const ticket = nextTicket++;
    outcomes.set(ticket, {state: 'running'});
    promise.then((value) => settle(ticket, {state: 'done', value: encode(value)}),
                 (e) => settle(ticket, {state: 'failed', error: messageOf(e)}));
    return ticket;
  }

  function settle(ticket, outcome) {
    outcomes.set(ticket, outcome);
    if (typeof harness.onSettled === 'function') {
      try {
        harness.onSettled(ticket, JSON.stringify(outcome));
      } catch (e) {
        console.error('gapscopeHarness.onSettled threw:', e);
      }
    }
  }

  function progress(ticket, event) {
    if (typeof harness.onProgress !== 'function') return;
    try {
      harness.onProgress(ticket, JSON.stringify(event));
    } catch (e) {
      console.error('gapscopeHarness.onProgress threw:', e);
    }
  }

  function result(ticket) {
    const outcome = outcomes.get(ticket);
    if (!outcome) return JSON.stringify({state: 'failed', error: `no job with ticket ${ticket} (or its result was already read)`});
    if (outcome.state !== 'running') outcomes.delete(ticket);
    return JSON.stringify(outcome);
  }

  const harness = {
    version: VERSION,
    backends: parts.runnerMap.backends,
    capabilities,
    runJob,
    start: (jobJson) => {
      const ticket = nextTicket;  // the one track() is about to hand out
      return track(runJob(jobJson, (event) => progress(ticket, event)), (text) => JSON.parse(text));
    },
    startCapabilities: (backendId) => track(capabilities(backendId), (caps) => caps),
    fidelityCheck,
    startFidelityCheck: (jobJson) => track(fidelityCheck(jobJson, JSON.parse(jobJson).fidelity_rounds),
                                           (text) => JSON.parse(text)),
    result,
    onSettled: null,
    onProgress: null,
  };
  root.gapscopeHarness = harness;
  const ready = () => showStatus(`gapscope harness ${VERSION} ready`);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
})(window);
