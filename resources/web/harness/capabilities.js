// What the browser itself offers, measured rather than assumed: user agent,
// cores, the resolution of performance.now() (Chromium coarsens it to 100 us on
// pages that are not cross-origin isolated, 5 us on isolated ones: samples
// finer than that are quantised), WebAssembly SIMD and threads, and the WebGL
// context a page can get (version, renderer string via
// WEBGL_debug_renderer_info, max texture size).
//
// Every value is a string: records carry capabilities as a string -> string map
// (core/ops/ops_backend.h's Capabilities), whatever backend produced them.
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});

  // Smallest step performance.now() makes, in ms (min over a few tries).
  function timerResolutionMs() {
    let best = Infinity;
    for (let k = 0; k < 20; ++k) {
      const t0 = performance.now();
      let t1 = t0;
      while (t1 === t0) t1 = performance.now();
      best = Math.min(best, t1 - t0);
    }
    return best;
  }

  // A minimal module with one v128 instruction validates only where SIMD exists.
  function wasmSimdSupported() {
    if (typeof WebAssembly !== 'object') return false;
    const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0,
                                  65, 0, 253, 15, 253, 98, 11]);
    return WebAssembly.validate(bytes);
  }

  // The WebGL context this page can create (probe canvas, released at once).
  function webglInfo() {
    const info = {webgl: 'none'};
    if (typeof document === 'undefined') return info;
    const canvas = document.createElement('canvas');
    let gl = null;
    let version = 'none';
    try {
      gl = canvas.getContext('webgl2');
      if (gl) version = '2';
      else {
        gl = canvas.getContext('webgl') || canvas.getContext('experimental-webgl');
        if (gl) version = '1';
      }
    } catch (e) {
      info.webgl_error = String(e && e.message || e);
    }
    if (!gl) return info;
    info.webgl = version;
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    info.webgl_renderer = String(debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
    info.webgl_vendor = String(debug ? gl.getParameter(debug.UNMASKED_VENDOR_WEBGL) : gl.getParameter(gl.VENDOR));
    info.webgl_max_texture_size = String(gl.getParameter(gl.MAX_TEXTURE_SIZE));
    const lose = gl.getExtension('WEBGL_lose_context');
    if (lose) lose.loseContext();
    return info;
  }

  function jsHeapBytes() {
    const memory = root.performance && performance.memory;
    return memory && typeof memory.usedJSHeapSize === 'number' ? memory.usedJSHeapSize : null;
  }

  let cachedBrowser = null;

  function browserCapabilities() {
    if (!cachedBrowser) {
      const nav = root.navigator || {};
      cachedBrowser = {
        user_agent: String(nav.userAgent || ''),
        hardware_concurrency: String(nav.hardwareConcurrency || ''),
        timer_resolution_ms: String(timerResolutionMs()),
        cross_origin_isolated: String(Boolean(root.crossOriginIsolated)),
        shared_array_buffer: String(typeof SharedArrayBuffer !== 'undefined'),
        browser_wasm_simd: String(wasmSimdSupported()),
      };
    }
    return Object.assign({}, cachedBrowser);
  }

  // Values of an object as strings (null/undefined dropped).
  function stringValues(object) {
    const out = {};
    for (const [key, value] of Object.entries(object))
      if (value !== null && value !== undefined) out[key] = typeof value === 'string' ? value : String(value);
    return out;
  }

  parts.capabilities = {browserCapabilities, webglInfo, timerResolutionMs, jsHeapBytes, stringValues};
})(typeof window !== 'undefined' ? window : globalThis);
