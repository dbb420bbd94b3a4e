// The browser backends this page runs, the harness's one list of them: each
// backend id (as core/measure/backend_catalog.cpp spells it) with the runner
// part that runs it (the parts.<runner> its *_runner.js sets) and the engine
// that computes inside the framework (TF.js's backend name; 'js' for plain
// JavaScript). job.js accepts these ids and main.js dispatches through them;
// tests/core/measure/backend_catalog_test.cpp checks them against the catalog.
// Names only: the runners are looked up when asked for, so this file loads first.
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});

  const RUNNERS = {
    'tfjs-cpu': {runner: 'tfjsRunner', engine: 'cpu'},
    'tfjs-wasm': {runner: 'tfjsRunner', engine: 'wasm'},
    'tfjs-webgl': {runner: 'tfjsRunner', engine: 'webgl'},
    convnetjs: {runner: 'convnetjsRunner', engine: 'js'},
    brainjs: {runner: 'brainjsRunner', engine: 'js'},
    synaptic: {runner: 'synapticRunner', engine: 'js'},
  };

  parts.runnerMap = {
    backends: Object.keys(RUNNERS),
    // {runner, engine}, or undefined for an id the page does not run.
    entry: (backendId) => RUNNERS[backendId],
    runnerOf: (backendId) => RUNNERS[backendId] && parts[RUNNERS[backendId].runner],
  };
})(typeof window !== 'undefined' ? window : globalThis);
