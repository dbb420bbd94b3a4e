// Small pieces the three non-TF.js runners (ConvNetJS, brain.js, synaptic)
// share: their capabilities, a JS-heap memory snapshot, and per-row target
// helpers. They all run on the page's one JS thread, in JS numbers.
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});

  function frameworkCapabilities(framework, version, extra) {
    return Object.assign(parts.capabilities.browserCapabilities(),
                         {framework, framework_version: version, threads: '1'}, extra || {});
  }

  // performance.memory (Chromium only, coarse unless --enable-precise-memory-info).
  function heapSnapshot() {
    const bytes = parts.capabilities.jsHeapBytes();
    return bytes === null ? null : {bytes, measure: 'js_heap_bytes'};
  }

  function argmax(values, from, count) {
    let best = 0;
    for (let i = 1; i < count; ++i) if (values[from + i] > values[from + best]) best = i;
    return best;
  }

  // Throws "unsupported by <framework>: ..." unless every row of y is one-hot
  // (categorical) or a class index in [0, classes) (sparse).
  function checkClassTargets(framework, loss, y, rows, targetSize, classes) {
    const unsupported = (reason) => {
      throw new Error(`unsupported by ${framework}: ${reason}`);
    };
    if (loss === 'sparse_categorical_crossentropy') {
      if (targetSize !== 1) unsupported(`sparse_categorical_crossentropy needs 1 target value per row, the data has ${targetSize}`);
      for (let r = 0; r < rows; ++r)
        if (!Number.isInteger(y[r]) || y[r] < 0 || y[r] >= classes)
          unsupported(`row ${r}'s target ${y[r]} is not a class index in [0, ${classes})`);
      return;
    }
    if (targetSize !== classes) unsupported(`the data has ${targetSize} target values per row, the model ${classes} outputs`);
    for (let r = 0; r < rows; ++r) {
      let ones = 0;
      for (let c = 0; c < classes; ++c) {
        const v = y[r * classes + c];
        if (v === 1) ++ones;
        else if (v !== 0) unsupported(`categorical targets must be one-hot (it takes a class index); row ${r} has ${v}`);
      }
      if (ones !== 1) unsupported(`categorical targets must be one-hot (it takes a class index); row ${r} has ${ones} ones`);
    }
  }

  // Where a denseStack entry's activation comes from, for messages: "dense
  // layer 'dense_1'", or "softmax layer 'softmax_1' after dense layer
  // 'dense_1'" where a layer of its own was fused into it.
  function activationSource(stackLayer) {
    const dense = `dense layer '${stackLayer.name}'`;
    return stackLayer.activationFrom ? `${stackLayer.activationFrom} after ${dense}` : dense;
  }

  parts.frameworkCommon = {frameworkCapabilities, heapSnapshot, argmax, checkClassTargets, activationSource};
})(typeof window !== 'undefined' ? window : globalThis);
