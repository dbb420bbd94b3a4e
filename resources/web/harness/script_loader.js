// Loads each framework's browser build from resources/web/node_modules the
// first time a job needs it (classic <script> tags, which work from file://;
// ES module imports do not). Nothing here is remote: every path is relative to
// harness/index.html.
//
// Which file of each package, and why:
//   @tensorflow/tfjs      dist/tf.min.js (the package's "unpkg"/"jsdelivr" file:
//                         what a page gets from a CDN; UMD, global `tf`)
//   tfjs-backend-wasm     dist/tf-backend-wasm.min.js (UMD, adds `tf.wasm`), and
//                         its .wasm binaries beside it (found via setWasmPaths)
//   convnetjs             build/convnet.js (the package's main file; defines the
//                         global `convnetjs`)
//   brain.js              browser.min.js (the package's browserify build, global `brain`)
//   synaptic              dist/synaptic.js (UMD, global `synaptic`; synaptic.min.js
//                         is the same file)
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});

  const MODULES = '../node_modules/';
  const SCRIPTS = {
    tfjs: {src: MODULES + '@tensorflow/tfjs/dist/tf.min.js', global: () => root.tf},
    'tfjs-wasm': {src: MODULES + '@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js',
                  global: () => root.tf && root.tf.wasm, needs: ['tfjs']},
    convnetjs: {src: MODULES + 'convnetjs/build/convnet.js', global: () => root.convnetjs},
    brainjs: {src: MODULES + 'brain.js/browser.min.js', global: () => root.brain},
    synaptic: {src: MODULES + 'synaptic/dist/synaptic.js', global: () => root.synaptic},
  };
  const WASM_DIRECTORY = MODULES + '@tensorflow/tfjs-backend-wasm/dist/';

  const pending = {};

  function addScript(src) {
    return new Promise((resolve, reject) => {
      const element = document.createElement('script');
      element.src = src;
      element.async = false;
      element.onload = () => resolve();
      element.onerror = () => reject(new Error(
          `cannot load ${new URL(src, document.baseURI).href} (is resources/web/node_modules installed? run npm ci there)`));
      document.head.appendChild(element);
    });
  }

  // Resolves to the framework's global once its script (and those it needs) ran.
  function loadFramework(name) {
    const entry = SCRIPTS[name];
    if (!entry) return Promise.reject(new Error(`no script known for framework '${name}'`));
    if (entry.global()) return Promise.resolve(entry.global());
    if (!pending[name]) {
      pending[name] = Promise.all((entry.needs || []).map(loadFramework))
          .then(() => addScript(entry.src))
          .then(() => {
            if (!entry.global()) throw new Error(`${entry.src} loaded but did not define the ${name} global`);
            return entry.global();
          })
          .catch((e) => {
            delete pending[name];
            throw e;
          });
    }
    return pending[name];
  }

  // The URL of the directory holding the tfjs-backend-wasm binaries, absolute,
  // with a trailing slash (setWasmPaths wants a prefix).
  function wasmDirectory() {
    return new URL(WASM_DIRECTORY, document.baseURI).href;
  }

  parts.scriptLoader = {loadFramework, wasmDirectory, SCRIPTS};
})(typeof window !== 'undefined' ? window : globalThis);
