// The weights of a TF.js layers-format model.json (as core/io/tfjs_layers_format.cpp
// writes it): weightsManifest lists groups of {name, shape, dtype}; the bytes of
// all shards, concatenated in manifest order, are the job's weights_base64.
// Weights are matched by name, never by position (NOTES.md: the manifest may
// order them differently from the layers). Optimizer state ("group":
// "optimizer") is skipped, as the C++ reader does.
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});

  function elementCount(shape) {
    let n = 1;
    for (const d of shape) n *= d;
    return n;
  }

  // -> {specs: the manifest's weight entries in order (for tf.io.fromMemory),
  //     byName: Map name -> {shape, values: Float32Array view into buffer}}
  function readWeights(modelJson, buffer) {
    if (!modelJson || typeof modelJson !== 'object') throw new Error('model_json must be a TF.js model.json object');
    if (!modelJson.modelTopology) throw new Error('model_json has no modelTopology');
    const manifest = modelJson.weightsManifest;
    if (!Array.isArray(manifest)) throw new Error('model_json.weightsManifest must be an array');
    const specs = [];
    const byName = new Map();
    let offset = 0;
    manifest.forEach((group, g) => {
      if (!group || !Array.isArray(group.weights)) throw new Error(`model_json.weightsManifest[${g}].weights must be an array`);
      group.weights.forEach((w, i) => {
        const path = `model_json.weightsManifest[${g}].weights[${i}]`;
        if (!w || typeof w.name !== 'string' || !Array.isArray(w.shape)) throw new Error(`${path} needs a name and a shape`);
        if (w.dtype !== 'float32') throw new Error(`${path}: weight '${w.name}' has dtype ${w.dtype}; only float32 weights are supported`);
        if (w.quantization) throw new Error(`${path}: quantized weights ('${w.name}') are not supported`);
        const count = elementCount(w.shape);
        if (offset + count * 4 > buffer.byteLength)
          throw new Error(`weights_base64 holds ${buffer.byteLength} bytes, but the manifest needs more (weight '${w.name}' ends at byte ${offset + count * 4})`);
        specs.push(w);
        if (w.group !== 'optimizer') {
          if (byName.has(w.name)) throw new Error(`${path}: weight name '${w.name}' is listed twice`);
          byName.set(w.name, {shape: w.shape.slice(), values: new Float32Array(buffer, offset, count)});
        }
        offset += count * 4;
      });
    });
    if (offset !== buffer.byteLength)
      throw new Error(`weights_base64 holds ${buffer.byteLength} bytes but the manifest lists ${offset} bytes of weights`);
    return {specs, byName};
  }

  // The kernel [inputs, units] and bias [units] of dense layer `layer`, checked.
  function denseWeights(weights, layer) {
    const kernel = weights.byName.get(`${layer.name}/kernel`);
    if (!kernel) throw new Error(`model_json has no weight '${layer.name}/kernel' for dense layer '${layer.name}'`);
    if (kernel.shape.length !== 2 || kernel.shape[0] !== layer.inputs || kernel.shape[1] !== layer.units)
      throw new Error(`weight '${layer.name}/kernel' has shape [${kernel.shape}], expected [${layer.inputs},${layer.units}]`);
    let bias = null;
    if (layer.useBias) {
      bias = weights.byName.get(`${layer.name}/bias`);
      if (!bias) throw new Error(`model_json has no weight '${layer.name}/bias' for dense layer '${layer.name}'`);
      if (bias.shape.length !== 1 || bias.shape[0] !== layer.units)
        throw new Error(`weight '${layer.name}/bias' has shape [${bias.shape}], expected [${layer.units}]`);
    }
    return {kernel: kernel.values, bias: bias ? bias.values : null};
  }

  // Weight `<layer>/<weightName>` of shape `shape`, checked: its Float32Array
  // (row-major, TF.js's layout: conv2d kernel [kh, kw, in, filters], ...).
  function layerWeight(weights, layer, weightName, shape) {
    const name = `${layer.name}/${weightName}`;
    const w = weights.byName.get(name);
    if (!w) throw new Error(`model_json has no weight '${name}' for ${layer.type} layer '${layer.name}'`);
    if (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i]))
      throw new Error(`weight '${name}' has shape [${w.shape}], expected [${shape}]`);
    return w.values;
  }

  parts.weights = {readWeights, denseWeights, layerWeight, elementCount};
  if (typeof module !== 'undefined' && module.exports) module.exports = parts.weights;
})(typeof window !== 'undefined' ? window : globalThis);
