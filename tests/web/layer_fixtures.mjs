// Fixtures for CNN, RNN and graph jobs: model.json files written by TF.js 4.22
// itself (in this node process, from resources/web/node_modules: tf.sequential,
// or tf.model for gapscope.model/2 graphs, with the spec's layer names, saved
// through tf.io.withSaveHandler), with
// deterministic weight values put in their place; image, sequence and id
// data; and a plain-JS reference forward pass with TF.js's equations (float64
// on the float32 weights), which pins the weight layouts (conv2d kernel
// [kh, kw, in, filters], depthwise_conv2d depthwise_kernel [kh, kw, C, M] with
// output channel c * M + m, separable_conv2d that depthwise pass (no bias) then
// pointwise_kernel [1, 1, C*M, filters] and bias [filters], rnn kernel [F, G*u],
// recurrent_kernel [u, G*u], bias
// [G*u]), the gate orders (lstm i, f, c, o; gru z, r, h with the reset applied
// before the recurrent matmul) and the padding arithmetic (same: the odd pixel
// at the bottom/right; average pooling counts only real pixels; zero_padding2d
// and cropping2d sides [[top, bottom], [left, right]]; global pooling over
// height and width; a dilated kernel's span (k - 1) * d + 1, same padding on
// it), Keras's relu (max_value, negative_slope, threshold) and leaky_relu,
// nearest upsampling (pixel (y, x) from (floor(y / sh), floor(x / sw))), layer
// and batch normalization with or without gamma and beta, and the merges
// (add, average, multiply, maximum, concatenate) of a gapscope.model/2 graph.
// A relu's negative_slope and threshold go into the model.json's ReLU config
// as Keras writes them (TF.js's ReLU has neither). Also the spec builders the
// layer tests share, and their node-side checks (TF.js in node, loading the
// model as the harness does, against the plain-JS pass; the spec errors of a
// convolution's window fields). Last, layerPage: those fixtures run as jobs
// on the harness page, for a describe block of chromium tests.
import {test} from 'node:test';
import assert from 'node:assert/strict';
import {createRequire} from 'node:module';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {harnessPage, loadHarnessParts, runJob, unsupportedBy, webRoot} from './browser.mjs';
import {makeJob, makeRandom, maxViolation} from './fixtures.mjs';

let tfjs = null;

// -> the @tensorflow/tfjs module, or null with resources/web/node_modules missing.
export function nodeTfjs() {
  if (tfjs) return tfjs;
  if (!existsSync(path.join(webRoot, 'node_modules/@tensorflow/tfjs/package.json'))) return null;
  const require = createRequire(path.join(webRoot, 'package.json'));
  tfjs = require('@tensorflow/tfjs');
  return tfjs;
}

// For {skip}: why a test that needs TF.js in node is skipped, or false.
export const noNodeTfjs = () => (nodeTfjs() ? false : 'skipped: no @tensorflow/tfjs for node (npm ci in resources/web)');

// A gapscope.model/1 spec (a chain on an input of `inputShape`).
export const chain = (name, inputShape, layers, loss = 'categorical_crossentropy', optimizer = {type: 'sgd', learning_rate: 0.1}) =>
  ({format: 'gapscope.model/1', name, input: {shape: inputShape}, layers, loss, optimizer});
// A gapscope.model/2 spec (a graph); `input` is the input object ({shape, name?}).
export const graph = (name, input, layers, loss = 'categorical_crossentropy', optimizer = {type: 'sgd', learning_rate: 0.1}) =>
  ({format: 'gapscope.model/2', name, input, layers, loss, optimizer});

const product = (shape) => shape.reduce((a, b) => a * b, 1);

// Layer names as the spec gives them (`<type>_<n>` counted per type).
export function layerNames(spec) {
  const counts = {};
  return spec.layers.map((layer) => {
    counts[layer.type] = (counts[layer.type] || 0) + 1;
    return layer.name || `${layer.type}_${counts[layer.type]}`;
  });
}

// A spec's padding/cropping (n, [h, w], [[top, bottom], [left, right]] or
// [top, bottom, left, right]; `fallback` where left out) in TF.js's
// [[top, bottom], [left, right]] form, as ZeroPadding2D/Cropping2D write it.
export function kerasSides(value, fallback) {
  if (value === undefined || value === null) value = fallback;
  if (typeof value === 'number') return [[value, value], [value, value]];
  if (value.length === 4) return [[value[0], value[1]], [value[2], value[3]]];
  if (typeof value[0] === 'number') return [[value[0], value[0]], [value[1], value[1]]];
  return [value[0].slice(), value[1].slice()];
}

// A size field (n or [h, w]) as [h, w].
const pair = (value) => (typeof value === 'number' ? [value, value] : value.slice());

// TF.js's constructor identifiers are camelCase ('hardSigmoid'); model.json
// holds them snake_case.
const camel = (name) => (name || 'linear').replace(/_([a-z])/g, (_, c) => c.toUpperCase());

// The TF.js layer for one spec layer (what the C++ exporter writes as
// model.json, TF.js's own class names and config fields).
function tfLayer(tf, layer, name, inputShape) {
  const c = {name};
  if (inputShape) c.inputShape = inputShape;
  const bias = layer.use_bias !== false;
  switch (layer.type) {
    case 'dense': return tf.layers.dense({...c, units: layer.units, activation: camel(layer.activation), useBias: bias});
    case 'activation': return tf.layers.activation({...c, activation: camel(layer.activation)});
    // negative_slope and threshold: written into its config afterwards (exportWithTfjs), as Keras's ReLU has them
    case 'relu': return tf.layers.reLU({...c, maxValue: layer.max_value ?? null});
    case 'leaky_relu': return tf.layers.leakyReLU({...c, alpha: layer.alpha ?? 0.3});
    // TF.js's Softmax layer defaults to axis 1 (Keras: -1): the exporter writes it
    case 'softmax': return tf.layers.softmax({...c, axis: layer.axis ?? -1});
    case 'global_average_pooling2d': return tf.layers.globalAveragePooling2d(c);
    case 'global_max_pooling2d': return tf.layers.globalMaxPooling2d(c);
    case 'up_sampling2d': return tf.layers.upSampling2d({...c, size: pair(layer.size ?? 2), interpolation: 'nearest'});
    case 'zero_padding2d': return tf.layers.zeroPadding2d({...c, padding: kerasSides(layer.padding, 1)});
    case 'cropping2d': return tf.layers.cropping2D({...c, cropping: kerasSides(layer.cropping, 0)});
    case 'dropout': return tf.layers.dropout({...c, rate: layer.rate});
    case 'conv2d':
      return tf.layers.conv2d({...c, filters: layer.filters, kernelSize: layer.kernel_size, strides: layer.strides || [1, 1],
                               padding: layer.padding || 'valid', dilationRate: pair(layer.dilation_rate ?? 1),
                               activation: camel(layer.activation), useBias: bias});
    case 'depthwise_conv2d':
      return tf.layers.depthwiseConv2d({...c, kernelSize: layer.kernel_size, strides: layer.strides || [1, 1],
                                        padding: layer.padding || 'valid', depthMultiplier: layer.depth_multiplier ?? 1,
                                        activation: camel(layer.activation), useBias: bias});
    case 'separable_conv2d':
      return tf.layers.separableConv2d({...c, filters: layer.filters, kernelSize: layer.kernel_size,
                                        strides: layer.strides || [1, 1], padding: layer.padding || 'valid',
                                        depthMultiplier: layer.depth_multiplier ?? 1, activation: camel(layer.activation),
                                        useBias: bias});
    case 'max_pooling2d':
    case 'average_pooling2d': {
      const make = layer.type === 'max_pooling2d' ? tf.layers.maxPooling2d : tf.layers.averagePooling2d;
      return make({...c, poolSize: layer.pool_size, strides: layer.strides || layer.pool_size, padding: layer.padding || 'valid'});
    }
    case 'flatten': return tf.layers.flatten(c);
    case 'reshape': return tf.layers.reshape({...c, targetShape: layer.target_shape});
    case 'batch_normalization':
      return tf.layers.batchNormalization({...c, momentum: layer.momentum ?? 0.99, epsilon: layer.epsilon ?? 1e-3,
                                           center: layer.center !== false, scale: layer.scale !== false});
    case 'layer_normalization':
      return tf.layers.layerNormalization({...c, axis: layer.axis ?? -1, epsilon: layer.epsilon ?? 1e-3,
                                           center: layer.center !== false, scale: layer.scale !== false});
    case 'embedding': return tf.layers.embedding({...c, inputDim: layer.input_dim, outputDim: layer.output_dim});
    case 'simple_rnn':
      return tf.layers.simpleRNN({...c, units: layer.units, activation: camel(layer.activation || 'tanh'), useBias: bias,
                                  returnSequences: layer.return_sequences === true});
    case 'lstm':
    case 'gru': {
      const make = layer.type === 'lstm' ? tf.layers.lstm : tf.layers.gru;
      const config = {...c, units: layer.units, activation: camel(layer.activation || 'tanh'),
                      recurrentActivation: camel(layer.recurrent_activation || 'hard_sigmoid'), useBias: bias,
                      returnSequences: layer.return_sequences === true};
      if (layer.type === 'lstm') config.unitForgetBias = layer.unit_forget_bias !== false;
      return make(config);
    }
    case 'add': return tf.layers.add(c);
    case 'multiply': return tf.layers.multiply(c);
    case 'average': return tf.layers.average(c);
    case 'maximum': return tf.layers.maximum(c);
    case 'concatenate': return tf.layers.concatenate({...c, axis: layer.axis ?? -1});
    default: throw new Error(`no TF.js layer for ${layer.type}`);
  }
}

// A gapscope.model/2 spec as a TF.js functional model (tf.model on tf.input,
// named as the spec names the input): each layer applied to its inputs (the
// previous listed layer where `inputs` is left out), built from the output
// (the last layer) back, so layers may be listed in any order.
function functionalModel(tf, spec, names) {
  const inputName = spec.input.name || 'input';
  const tensors = new Map([[inputName, tf.input({shape: spec.input.shape, name: inputName})]]);
  const indexOf = new Map(names.map((name, i) => [name, i]));
  const building = new Set();
  const build = (name) => {
    if (tensors.has(name)) return tensors.get(name);
    const i = indexOf.get(name);
    if (i === undefined || building.has(name)) throw new Error(`fixture graph: cannot build '${name}'`);
    building.add(name);
    const layer = spec.layers[i];
    const inputs = (layer.inputs || [i === 0 ? inputName : names[i - 1]]).map(build);
    const tensor = tfLayer(tf, layer, name).apply(inputs.length === 1 ? inputs[0] : inputs);
    tensors.set(name, tensor);
    return tensor;
  };
  const output = build(names[names.length - 1]);
  return tf.model({name: spec.name, inputs: tensors.get(inputName), outputs: output});
}

// Deterministic values for one weight, by its kind (glorot-like ranges for
// kernels, small biases, gamma near 1, positive variances).
function weightValues(weight, random) {
  const kind = weight.name.slice(weight.name.lastIndexOf('/') + 1);
  const n = product(weight.shape);
  const uniform = (low, high) => Float32Array.from({length: n}, () => low + (high - low) * random());
  const s = weight.shape;
  switch (kind) {
    case 'kernel':
    case 'depthwise_kernel':
    case 'pointwise_kernel':
    case 'recurrent_kernel': {
      const receptive = s.length === 4 ? s[0] * s[1] : 1;
      const limit = Math.sqrt(6 / (receptive * (s[s.length - 2] + s[s.length - 1])));
      return uniform(-limit, limit);
    }
    case 'embeddings': return uniform(-1, 1);
    case 'gamma': return uniform(0.8, 1.2);
    case 'moving_mean': return uniform(-0.2, 0.2);
    case 'moving_variance': return uniform(0.5, 1.5);
    default: return uniform(-0.1, 0.1);  // bias, beta
  }
}

// Runs fn with TF.js's "running in Node.js" banner kept off the console.
async function quietly(fn) {
  const warn = console.warn;
  console.warn = (...args) => {
    if (!/looks like you are running TensorFlow.js in Node.js/.test(String(args[0]))) warn.apply(console, args);
  };
  try {
    return await fn();
  } finally {
    console.warn = warn;
  }
}

// spec: a gapscope.model/1 spec (any layer types; tf.sequential), or a
// gapscope.model/2 one (a functional model: class_name "Model", layers with
// inbound_nodes). -> {modelJson, weights: [{name, shape, values}] in manifest
// order (trainable first, as TF.js writes it), bytes} — the form
// fixtures.exportModel returns.
export async function exportWithTfjs(spec, seed = 1) {
  const tf = nodeTfjs();
  const names = layerNames(spec);
  let artifacts;
  await quietly(async () => {
    let model;
    if (spec.format === 'gapscope.model/2') {
      model = functionalModel(tf, spec, names);
    } else {
      model = tf.sequential({name: spec.name});
      spec.layers.forEach((layer, i) => model.add(tfLayer(tf, layer, names[i], i === 0 ? spec.input.shape : undefined)));
    }
    await model.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
    }));
    model.dispose();
  });
  // TF.js 4.22's SeparableConv2D does not write depth_multiplier (its
  // getConfig leaves it out; loading then takes 1 and the depthwise kernel's
  // shape differs); the C++ exporter writes it, and so do these fixtures.
  // A relu's negative_slope and threshold (which TF.js's ReLU has not) go
  // into its config as Keras's ReLU writes them, where the spec gives them.
  const byName = new Map(spec.layers.map((layer, i) => [names[i], layer]));
  for (const entry of artifacts.modelTopology.config.layers) {
    if (entry.class_name === 'SeparableConv2D') entry.config.depth_multiplier = byName.get(entry.config.name).depth_multiplier ?? 1;
    const layer = byName.get(entry.config.name);
    if (entry.class_name === 'ReLU')
      for (const key of ['negative_slope', 'threshold']) if (layer[key] !== undefined) entry.config[key] = layer[key];
  }
  const random = makeRandom(seed);
  const weights = artifacts.weightSpecs.map((w) => ({name: w.name, shape: w.shape.slice(), values: weightValues(w, random)}));
  const all = new Float32Array(weights.reduce((n, w) => n + w.values.length, 0));
  let at = 0;
  for (const w of weights) {
    all.set(w.values, at);
    at += w.values.length;
  }
  const modelJson = {
    modelTopology: artifacts.modelTopology, format: 'layers-model', generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
    convertedBy: null,
    weightsManifest: [{paths: ['group1-shard1of1.bin'],
                       weights: weights.map((w) => ({name: w.name, shape: w.shape, dtype: 'float32'}))}],
  };
  return {modelJson, weights, bytes: new Uint8Array(all.buffer)};
}

// ---------- data ----------

// rows x inputs: 'uniform' [0, scale), 'grid' (multiples of scale / 4 in
// [-2 scale, 2 scale]), 'onehot' steps (input [T, V]), or 'ids' in [0,
// vocabulary) (input [T]); targets per row: `predictions` x `classes`
// one-hot, or `predictions` class indices ('sparse').
export function makeLayerData({rows, inputShape, input = 'uniform', vocabulary, predictions = 1, classes,
                               targets = 'onehot', seed = 11, scale = 1}) {
  const random = makeRandom(seed);
  const inputs = product(inputShape);
  let x;
  if (input === 'ids') {
    x = Float32Array.from({length: rows * inputs}, () => Math.floor(random() * vocabulary));
  } else if (input === 'grid') {  // multiples of scale / 4 in [-2 scale, 2 scale]: exact kinks (0, 0.5, 1.5, ...)
    x = Float32Array.from({length: rows * inputs}, () => scale * (Math.floor(random() * 17) - 8) / 4);
  } else if (input === 'onehot') {
    const width = inputShape[inputShape.length - 1];
    x = new Float32Array(rows * inputs);
    for (let step = 0; step < rows * inputs / width; ++step) x[step * width + Math.floor(random() * width)] = 1;
  } else {
    x = Float32Array.from({length: rows * inputs}, () => scale * random());
  }
  let y;
  if (targets === 'sparse') {
    y = Float32Array.from({length: rows * predictions}, () => Math.floor(random() * classes));
  } else {
    y = new Float32Array(rows * predictions * classes);
    for (let p = 0; p < rows * predictions; ++p) y[p * classes + Math.floor(random() * classes)] = 1;
  }
  return {x, y, rows};
}

// ---------- reference forward pass ----------

const hardSigmoid = (a) => Math.min(1, Math.max(0, 0.2 * a + 0.5));
const ELEMENTWISE = {
  linear: (a) => a,
  relu: (a) => Math.max(0, a),
  sigmoid: (a) => 1 / (1 + Math.exp(-a)),
  tanh: Math.tanh,
  hard_sigmoid: hardSigmoid,
};

// activation over the last axis of `values` (softmax per position).
function activate(name, values, width) {
  if (name !== 'softmax') return values.map(ELEMENTWISE[name || 'linear']);
  const out = new Array(values.length);
  for (let p = 0; p < values.length; p += width) {
    let m = -Infinity;
    for (let j = 0; j < width; ++j) m = Math.max(m, values[p + j]);
    let s = 0;
    for (let j = 0; j < width; ++j) s += (out[p + j] = Math.exp(values[p + j] - m));
    for (let j = 0; j < width; ++j) out[p + j] /= s;
  }
  return out;
}

// TF.js's window geometry on one axis: output size and the padding before.
function windowAxis(size, window, stride, padding) {
  if (padding !== 'same') return {out: Math.floor((size - window) / stride) + 1, before: 0};
  const out = Math.ceil(size / stride);
  return {out, before: Math.floor(Math.max((out - 1) * stride + window - size, 0) / 2)};
}

// A dilated kernel (dilation_rate [dh, dw]) reads every dh-th row and dw-th
// column: its window spans (k - 1) * d + 1 pixels, and 'same' pads for that.
function conv2d(v, [H, W, C], K, b, layer) {
  const [kh, kw] = pair(layer.kernel_size);
  const [sh, sw] = pair(layer.strides ?? 1);
  const [dh, dw] = pair(layer.dilation_rate ?? 1);
  const F = layer.filters;
  const ay = windowAxis(H, (kh - 1) * dh + 1, sh, layer.padding), ax = windowAxis(W, (kw - 1) * dw + 1, sw, layer.padding);
  const out = new Array(ay.out * ax.out * F).fill(0);
  for (let oy = 0; oy < ay.out; ++oy)
    for (let ox = 0; ox < ax.out; ++ox)
      for (let f = 0; f < F; ++f) {
        let a = b ? b[f] : 0;
        for (let ky = 0; ky < kh; ++ky)
          for (let kx = 0; kx < kw; ++kx) {
            const iy = oy * sh + ky * dh - ay.before, ix = ox * sw + kx * dw - ax.before;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
            for (let c = 0; c < C; ++c) a += v[(iy * W + ix) * C + c] * K[((ky * kw + kx) * C + c) * F + f];
          }
        out[(oy * ax.out + ox) * F + f] = a;
      }
  return {values: activate(layer.activation, out, F), shape: [ay.out, ax.out, F]};
}

// Depthwise: M filters per input channel c, each over channel c only; output
// channel c * M + m, kernel [kh, kw, C, M], bias [C * M].
function depthwiseConv2d(v, [H, W, C], K, b, layer) {
  const [kh, kw] = typeof layer.kernel_size === 'number' ? [layer.kernel_size, layer.kernel_size] : layer.kernel_size;
  const [sh, sw] = typeof layer.strides === 'number' ? [layer.strides, layer.strides] : layer.strides || [1, 1];
  const M = layer.depth_multiplier ?? 1;
  const ay = windowAxis(H, kh, sh, layer.padding), ax = windowAxis(W, kw, sw, layer.padding);
  const out = new Array(ay.out * ax.out * C * M).fill(0);
  for (let oy = 0; oy < ay.out; ++oy)
    for (let ox = 0; ox < ax.out; ++ox)
      for (let c = 0; c < C; ++c)
        for (let m = 0; m < M; ++m) {
          const o = c * M + m;
          let a = b ? b[o] : 0;
          for (let ky = 0; ky < kh; ++ky)
            for (let kx = 0; kx < kw; ++kx) {
              const iy = oy * sh + ky - ay.before, ix = ox * sw + kx - ax.before;
              if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
              a += v[(iy * W + ix) * C + c] * K[((ky * kw + kx) * C + c) * M + m];
            }
          out[(oy * ax.out + ox) * C * M + o] = a;
        }
  return {values: activate(layer.activation, out, C * M), shape: [ay.out, ax.out, C * M]};
}

// Separable: the depthwise pass (depth_multiplier M, no bias, linear) to C * M
// channels, then a 1x1 convolution to `filters` with the bias and activation;
// pointwise kernel [1, 1, C * M, filters].
function separableConv2d(v, shape, D, P, b, layer) {
  const depthwise = depthwiseConv2d(v, shape, D, null, {...layer, activation: 'linear'});
  return conv2d(depthwise.values, depthwise.shape, P, b,
                {kernel_size: [1, 1], strides: [1, 1], padding: 'valid', filters: layer.filters, activation: layer.activation});
}

function pool2d(v, [H, W, C], layer) {
  const pair = (n) => (typeof n === 'number' ? [n, n] : n);
  const [ph, pw] = pair(layer.pool_size ?? 2);
  const [sh, sw] = pair(layer.strides || (layer.pool_size ?? 2));
  const ay = windowAxis(H, ph, sh, layer.padding), ax = windowAxis(W, pw, sw, layer.padding);
  const out = [];
  for (let oy = 0; oy < ay.out; ++oy)
    for (let ox = 0; ox < ax.out; ++ox)
      for (let c = 0; c < C; ++c) {
        let max = -Infinity, sum = 0, count = 0;
        for (let ky = 0; ky < ph; ++ky)
          for (let kx = 0; kx < pw; ++kx) {
            const iy = oy * sh + ky - ay.before, ix = ox * sw + kx - ax.before;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
            const value = v[(iy * W + ix) * C + c];
            max = Math.max(max, value);
            sum += value;
            ++count;
          }
        out.push(layer.type === 'max_pooling2d' ? max : sum / count);
      }
  return {values: out, shape: [ay.out, ax.out, C]};
}

// Global pooling over [H, W, C] -> [C]: the mean or the maximum per channel.
function globalPool(v, [H, W, C], layer) {
  const out = [];
  for (let c = 0; c < C; ++c) {
    let max = -Infinity, sum = 0;
    for (let p = 0; p < H * W; ++p) {
      max = Math.max(max, v[p * C + c]);
      sum += v[p * C + c];
    }
    out.push(layer.type === 'global_max_pooling2d' ? max : sum / (H * W));
  }
  return {values: out, shape: [C]};
}

// zero_padding2d (sign 1: zeros around) or cropping2d (sign -1: rows and
// columns taken away), sides [[top, bottom], [left, right]].
function padOrCrop(v, [H, W, C], [[top, bottom], [left, right]], sign) {
  const oh = H + sign * (top + bottom), ow = W + sign * (left + right);
  const out = new Array(oh * ow * C).fill(0);
  for (let y = 0; y < oh; ++y)
    for (let x = 0; x < ow; ++x) {
      const iy = y - sign * top, ix = x - sign * left;  // the input pixel there
      if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
      for (let c = 0; c < C; ++c) out[(y * ow + x) * C + c] = v[(iy * W + ix) * C + c];
    }
  return {values: out, shape: [oh, ow, C]};
}

// up_sampling2d, nearest: output pixel (y, x) is input pixel (floor(y / sh),
// floor(x / sw)).
function upSampling2d(v, [H, W, C], layer) {
  const [sh, sw] = pair(layer.size ?? 2);
  const oh = H * sh, ow = W * sw;
  const out = new Array(oh * ow * C);
  for (let y = 0; y < oh; ++y)
    for (let x = 0; x < ow; ++x)
      for (let c = 0; c < C; ++c) out[(y * ow + x) * C + c] = v[(Math.floor(y / sh) * W + Math.floor(x / sw)) * C + c];
  return {values: out, shape: [oh, ow, C]};
}

// Keras's ReLU: max_value where x >= max_value; x where threshold < x <
// max_value; negative_slope * (x - threshold) at or below the threshold (0 at
// it, as Keras's backend computes it).
export function reluValue(a, {max_value: max = null, negative_slope: slope = 0, threshold = 0} = {}) {
  if (max !== null && a >= max) return max;
  return a > threshold ? a : slope * (a - threshold);
}

// Layer normalization of every position over the last axis (biased
// variance); gamma 1 and beta 0 where the layer has none (scale, center false).
function layerNorm(v, shape, w, layer) {
  const C = shape[shape.length - 1];
  const eps = layer.epsilon ?? 1e-3;
  const out = new Array(v.length);
  for (let p = 0; p < v.length; p += C) {
    let mean = 0;
    for (let c = 0; c < C; ++c) mean += v[p + c];
    mean /= C;
    let variance = 0;
    for (let c = 0; c < C; ++c) variance += (v[p + c] - mean) ** 2;
    variance /= C;
    for (let c = 0; c < C; ++c)
      out[p + c] = (v[p + c] - mean) / Math.sqrt(variance + eps) * (w.gamma ? w.gamma[c] : 1) + (w.beta ? w.beta[c] : 0);
  }
  return {values: out, shape};
}

// A merge of inputs (flat values, shapes) of one row: element by element, or
// concatenated along `axis` (-1 by default; a positive axis counts the batch
// axis as 0).
function merge(layer, values, shapes) {
  const first = values[0];
  switch (layer.type) {
    case 'add': return {values: first.map((_, i) => values.reduce((sum, v) => sum + v[i], 0)), shape: shapes[0]};
    case 'average': return {values: first.map((_, i) => values.reduce((sum, v) => sum + v[i], 0) / values.length), shape: shapes[0]};
    case 'multiply': return {values: first.map((_, i) => values.reduce((p, v) => p * v[i], 1)), shape: shapes[0]};
    case 'maximum': return {values: first.map((_, i) => Math.max(...values.map((v) => v[i]))), shape: shapes[0]};
    default: {  // concatenate
      const rank = shapes[0].length;
      const axis = layer.axis ?? -1;
      const at = axis < 0 ? rank + axis : axis - 1;
      const outer = product(shapes[0].slice(0, at));
      const inner = product(shapes[0].slice(at + 1));
      const out = [];
      for (let o = 0; o < outer; ++o)
        values.forEach((v, k) => {
          const size = shapes[k][at] * inner;
          out.push(...v.slice(o * size, (o + 1) * size));
        });
      const shape = shapes[0].slice();
      shape[at] = shapes.reduce((sum, s2) => sum + s2[at], 0);
      return {values: out, shape};
    }
  }
}

function dense(v, shape, K, b, layer) {
  const n = shape[shape.length - 1];
  const u = layer.units;
  const positions = v.length / n;
  const out = new Array(positions * u);
  for (let p = 0; p < positions; ++p)
    for (let j = 0; j < u; ++j) {
      let a = b ? b[j] : 0;
      for (let i = 0; i < n; ++i) a += v[p * n + i] * K[i * u + j];
      out[p * u + j] = a;
    }
  return {values: activate(layer.activation, out, u), shape: shape.slice(0, -1).concat([u])};
}

// x_t K[:, gate] + h U[:, gate] (+ b[gate]) for gate g of G, units u.
function gate(x, F, h, K, U, b, g, G, u) {
  const out = new Array(u);
  for (let j = 0; j < u; ++j) {
    const col = g * u + j;
    let a = b ? b[col] : 0;
    for (let i = 0; i < F; ++i) a += x[i] * K[i * G * u + col];
    if (h) for (let i = 0; i < u; ++i) a += h[i] * U[i * G * u + col];
    out[j] = a;
  }
  return out;
}

function recurrent(v, [T, F], w, layer) {
  const u = layer.units;
  const G = {simple_rnn: 1, lstm: 4, gru: 3}[layer.type];
  const act = ELEMENTWISE[layer.activation || 'tanh'];
  const ra = ELEMENTWISE[layer.recurrent_activation || 'hard_sigmoid'];
  const {kernel: K, recurrent_kernel: U, bias: b} = w;
  let h = new Array(u).fill(0);
  let c = new Array(u).fill(0);
  const steps = [];
  for (let t = 0; t < T; ++t) {
    const x = v.slice(t * F, (t + 1) * F);
    if (layer.type === 'simple_rnn') {
      h = gate(x, F, h, K, U, b, 0, 1, u).map(act);
    } else if (layer.type === 'lstm') {
      const [i, f, g, o] = [0, 1, 2, 3].map((k) => gate(x, F, h, K, U, b, k, 4, u));
      c = c.map((cj, j) => ra(f[j]) * cj + ra(i[j]) * act(g[j]));
      h = c.map((cj, j) => ra(o[j]) * act(cj));
    } else {
      const z = gate(x, F, h, K, U, b, 0, 3, u).map(ra);
      const r = gate(x, F, h, K, U, b, 1, 3, u).map(ra);
      const rh = h.map((hj, j) => r[j] * hj);
      const hh = gate(x, F, rh, K, U, b, 2, 3, u).map(act);
      h = h.map((hj, j) => z[j] * hj + (1 - z[j]) * hh[j]);
    }
    steps.push(...h);
  }
  return layer.return_sequences ? {values: steps, shape: [T, u]} : {values: h, shape: [u]};
}

// Batch normalization over the last axis of every row: with `training`, the
// batch's statistics over rows and positions (biased variance, as TF.js),
// else the moving ones; gamma 1 and beta 0 where the layer has none (scale,
// center false).
function batchNorm(samples, shape, w, layer, training) {
  const C = shape[shape.length - 1];
  const eps = layer.epsilon ?? 1e-3;
  let mean = Array.from(w.moving_mean), variance = Array.from(w.moving_variance);
  if (training) {
    mean = new Array(C).fill(0);
    variance = new Array(C).fill(0);
    let count = 0;
    for (const v of samples) for (let p = 0; p < v.length; p += C, ++count) for (let c = 0; c < C; ++c) mean[c] += v[p + c];
    mean = mean.map((m) => m / count);
    for (const v of samples) for (let p = 0; p < v.length; p += C) for (let c = 0; c < C; ++c) variance[c] += (v[p + c] - mean[c]) ** 2;
    variance = variance.map((s) => s / count);
  }
  return samples.map((v) => v.map((a, i) => {
    const c = i % C;
    return (a - mean[c]) / Math.sqrt(variance[c] + eps) * (w.gamma ? w.gamma[c] : 1) + (w.beta ? w.beta[c] : 0);
  }));
}

// -> [[outputs of row r, flat]] for the first `rows` rows of x. training:
// batch statistics in batch normalization (the forward pass of a training
// step; dropout is not modelled, tests use none with it). A gapscope.model/2
// spec is evaluated as a graph: each layer on its `inputs` (the previous
// listed layer where left out), from the output (the last layer) back.
export function referenceForward(spec, exported, x, rows, {training = false} = {}) {
  const names = layerNames(spec);
  const byName = new Map(exported.weights.map((w) => [w.name, w.values]));
  const weightsOf = (name) => {
    const out = {};
    for (const [key, values] of byName) if (key.startsWith(`${name}/`)) out[key.slice(name.length + 1)] = values;
    return out;
  };
  const inputs = product(spec.input.shape);
  const inputName = spec.input.name || 'input';
  const samples = [];
  for (let r = 0; r < rows; ++r) samples.push(Array.from(x.subarray(r * inputs, (r + 1) * inputs)));
  // name -> {samples, shape}
  const outputs = new Map([[inputName, {samples, shape: spec.input.shape.slice()}]]);
  const indexOf = new Map(names.map((name, i) => [name, i]));
  const evaluate = (name) => {
    if (outputs.has(name)) return outputs.get(name);
    const l = indexOf.get(name);
    const layer = spec.layers[l];
    const inputNames = layer.inputs === undefined ? [l === 0 ? inputName : names[l - 1]]
                       : typeof layer.inputs === 'string' ? [layer.inputs] : layer.inputs;
    const result = referenceLayer(layer, weightsOf(name), inputNames.map(evaluate), training);
    outputs.set(name, result);
    return result;
  };
  return evaluate(names[names.length - 1]).samples;
}

// One layer on its inputs ([{samples: [row values], shape}]) -> {samples, shape}.
function referenceLayer(layer, w, ins, training) {
  const {samples, shape} = ins[0];
  if (layer.type === 'batch_normalization') return {samples: batchNorm(samples, shape, w, layer, training), shape};
  if (ins.length > 1 || ['add', 'average', 'multiply', 'maximum', 'concatenate'].includes(layer.type)) {
    let merged = shape;
    const out = samples.map((_, r) => {
      const result = merge(layer, ins.map((input) => input.samples[r]), ins.map((input) => input.shape));
      merged = result.shape;
      return result.values;
    });
    return {samples: out, shape: merged};
  }
  let next = shape;
  const out = samples.map((v) => {
    let result;
    switch (layer.type) {
      case 'dense': result = dense(v, shape, w.kernel, w.bias, layer); break;
      case 'activation': result = {values: activate(layer.activation, v, shape[shape.length - 1]), shape}; break;
      case 'relu': result = {values: v.map((a) => reluValue(a, layer)), shape}; break;
      case 'leaky_relu': {
        const alpha = layer.alpha ?? 0.3;
        result = {values: v.map((a) => (a > 0 ? a : alpha * a)), shape};
        break;
      }
      case 'softmax': result = {values: activate('softmax', v, shape[shape.length - 1]), shape}; break;
      case 'global_average_pooling2d': case 'global_max_pooling2d': result = globalPool(v, shape, layer); break;
      case 'up_sampling2d': result = upSampling2d(v, shape, layer); break;
      case 'zero_padding2d': result = padOrCrop(v, shape, kerasSides(layer.padding, 1), 1); break;
      case 'cropping2d': result = padOrCrop(v, shape, kerasSides(layer.cropping, 0), -1); break;
      case 'dropout': result = {values: v, shape}; break;
      case 'conv2d': result = conv2d(v, shape, w.kernel, w.bias, layer); break;
      case 'depthwise_conv2d': result = depthwiseConv2d(v, shape, w.depthwise_kernel, w.bias, layer); break;
      case 'separable_conv2d':
        result = separableConv2d(v, shape, w.depthwise_kernel, w.pointwise_kernel, w.bias, layer);
        break;
      case 'max_pooling2d': case 'average_pooling2d': result = pool2d(v, shape, layer); break;
      case 'flatten': result = {values: v, shape: [v.length]}; break;
      case 'reshape': result = {values: v, shape: layer.target_shape}; break;
      case 'layer_normalization': result = layerNorm(v, shape, w, layer); break;
      case 'embedding': {
        const D = layer.output_dim;
        const values = [];
        for (const id of v) for (let d = 0; d < D; ++d) values.push(w.embeddings[id * D + d]);
        result = {values, shape: shape.concat([D])};
        break;
      }
      default: result = recurrent(v, shape, w, layer);
    }
    next = result.shape;
    return result.values;
  });
  return {samples: out, shape: next};
}

// Mean loss over every prediction (rows x steps), TF.js's clipping at 1e-7;
// and the fraction of predictions whose argmax is the target class.
export function referenceLossAndAccuracy(loss, outputs, y, classes) {
  const sparse = loss === 'sparse_categorical_crossentropy';
  let sum = 0, correct = 0, count = 0;
  outputs.forEach((row, r) => {
    const predictions = row.length / classes;
    for (let p = 0; p < predictions; ++p, ++count) {
      const probabilities = row.slice(p * classes, (p + 1) * classes);
      const at = r * predictions + p;
      const label = sparse ? y[at] : y.subarray(at * classes, (at + 1) * classes).indexOf(1);
      sum -= Math.log(Math.min(Math.max(probabilities[label], 1e-7), 1 - 1e-7));
      const best = probabilities.indexOf(Math.max(...probabilities));
      if (best === label) ++correct;
    }
  });
  return {loss: sum / count, accuracy: correct / count, predictions: count};
}

// ---------- TF.js in node as the reference (graphs) ----------

// The exported model loaded back into TF.js in this node process (cpu
// backend), the way the page loads it: tf.loadLayersModel(tf.io.fromMemory);
// `topology` in place of the model.json's where given.
export async function loadExported(tf, exported, topology = exported.modelJson.modelTopology) {
  const bytes = exported.bytes;
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: topology, weightSpecs: exported.modelJson.weightsManifest[0].weights,
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)}));
}

// The exported model's topology as the harness loads it (tfjs_layers.js's
// topologyFor: its own layer class where TF.js has none for a spec layer),
// that class registered with TF.js in node.
export function harnessTopology(tf, spec, exported) {
  const parts = loadHarnessParts();
  parts.tfjsLayers.register(tf);
  return parts.tfjsLayers.topologyFor(exported.modelJson.modelTopology, parts.modelSpec.readModelSpec(spec));
}

// The spec's optimizer in TF.js (as tfjs_runner.js makes it; the ones the tests use).
function specOptimizer(tf, spec) {
  const o = loadHarnessParts().modelSpec.readModelSpec(spec).optimizer;
  switch (o.type) {
    case 'sgd': return tf.train.sgd(o.learning_rate);
    case 'momentum': return tf.train.momentum(o.learning_rate, o.momentum, o.nesterov);
    case 'adam': return tf.train.adam(o.learning_rate, o.beta1, o.beta2, o.epsilon);
    default: throw new Error(`fixtures: no optimizer '${o.type}' here`);
  }
}

// TF.js-in-node's own predictions for the first `rows` rows of x: [[outputs of
// row r, flat]] (the model loaded as the harness loads it: harnessTopology);
// and, with `y`, the loss of one batch of those rows, which is the first
// training step's loss: model.evaluate's (inference forward pass), or with
// `training` (by default where the spec has batch normalization, whose
// training pass takes the batch's statistics) the loss trainOnBatch reports
// for one step of its training forward pass, as the page's first step does
// (no dropout in the models tested: its masks are random). With `steps` > 1,
// also `losses`: those of that many trainOnBatch steps on the batch with the
// spec's optimizer (the page's loss_curve).
export async function tfjsReference(spec, exported, x, rows,
                                    {y, loss, training = spec.layers.some((l) => l.type === 'batch_normalization'),
                                     steps = 1} = {}) {
  const tf = nodeTfjs();
  return quietly(async () => {
    const model = await loadExported(tf, exported, harnessTopology(tf, spec, exported));
    const inputs = product(spec.input.shape);
    const xs = tf.tensor(x.subarray(0, rows * inputs), [rows].concat(spec.input.shape), 'float32');
    const out = model.predict(xs);
    const flat = await out.data();
    const width = flat.length / rows;
    const predictions = Array.from({length: rows}, (_, r) => Array.from(flat.subarray(r * width, (r + 1) * width)));
    let firstLoss;
    let losses;
    if (y) {
      const ys = tf.tensor(y.subarray(0, rows * width), out.shape, 'float32');
      const optimizer = steps > 1 ? specOptimizer(tf, spec) : tf.train.sgd(0.1);
      model.compile({optimizer, loss: camel(loss)});
      if (steps > 1) {
        losses = [];
        for (let k = 0; k < steps; ++k) losses.push(await model.trainOnBatch(xs, ys));
        firstLoss = losses[0];
      } else if (training) {
        firstLoss = await model.trainOnBatch(xs, ys);
      } else {
        const value = model.evaluate(xs, ys, {batchSize: rows});
        firstLoss = (await value.data())[0];
        value.dispose();
      }
      ys.dispose();
      optimizer.dispose();
    }
    xs.dispose();
    out.dispose();
    model.dispose();
    return {predictions, firstLoss, losses};
  });
}

// ---------- node-side checks ----------

// For each [name, spec, data] of `cases` (data: makeLayerData's options, the
// spec's input shape by default): on 8 rows and weights from seed 7, TF.js in
// node predicts what the plain-JS pass (referenceForward) does. With
// `firstLayerAlone`, also a chain of the spec's first layer only (weights from
// seed 5, 4 rows): all of that layer's output, before a later layer mixes its
// channels, of the size the harness reads for it (loadHarnessParts loaded).
export async function checkTfjsAgainstPlainPass(cases, {firstLayerAlone = false} = {}) {
  for (const [name, spec, data] of cases) {
    const exported = await exportWithTfjs(spec, 7);
    const rows = makeLayerData({rows: 8, inputShape: spec.input.shape, ...data});
    const tfjs = await tfjsReference(spec, exported, rows.x, 8);
    const plain = referenceForward(spec, exported, rows.x, 8);
    assert.ok(maxViolation(tfjs.predictions, plain) <= 0,
              `${name}: TF.js ${JSON.stringify(tfjs.predictions[0])}, plain JS ${JSON.stringify(plain[0])}`);
    if (!firstLayerAlone) continue;
    const alone = chain(`${name}-alone`, spec.input.shape, [spec.layers[0]]);
    const aloneExported = await exportWithTfjs(alone, 5);
    const tfjsAlone = await tfjsReference(alone, aloneExported, rows.x, 4);
    const plainAlone = referenceForward(alone, aloneExported, rows.x, 4);
    assert.equal(tfjsAlone.predictions[0].length, globalThis.gapscopeParts.modelSpec.readModelSpec(alone).outputSize);
    assert.ok(maxViolation(tfjsAlone.predictions, plainAlone) <= 0, `${name}: the ${spec.layers[0].type} layer alone differs`);
  }
}

// The spec errors of the fields a depthwise or separable convolution shares
// (kernel_size, strides, padding, depth_multiplier, activation, use_bias; an
// image input; a valid window no larger than the input), as [layers, RegExp]
// cases for a chain on an [8, 8, 1] input. base: a valid layer with
// kernel_size [3, 3] and no name; `name`: the one it gets where it follows
// another layer.
export function convolutionErrorCases(base, name) {
  const type = base.type;
  const layer = (fields) => [{...base, ...fields}];
  const noKernelSize = {...base};
  delete noKernelSize.kernel_size;
  const pair = 'must be \\[height, width\\] \\(integers >= 1\\)';
  const escape = (value) => JSON.stringify(value).replace(/[[\].]/g, '\\$&');
  return [
    [[noKernelSize], new RegExp(`^Error: spec: layers\\[0\\]\\.kernel_size ${pair}, got undefined$`)],
    [layer({kernel_size: [3]}), new RegExp(`^Error: spec: layers\\[0\\]\\.kernel_size ${pair}, got \\[3\\]$`)],
    [layer({kernel_size: 0}), new RegExp(`^Error: spec: layers\\[0\\]\\.kernel_size ${pair}, got 0$`)],
    [layer({kernel_size: [3, 1.5]}), new RegExp(`^Error: spec: layers\\[0\\]\\.kernel_size ${pair}, got \\[3,1\\.5\\]$`)],
    [layer({strides: [2, 0]}), new RegExp(`^Error: spec: layers\\[0\\]\\.strides ${pair}, got \\[2,0\\]$`)],
    [layer({padding: 'causal'}), /^Error: spec: layers\[0\]\.padding must be "valid" or "same", got "causal"$/],
    ...[0, -1, 1.5, '2', true, [2]].map((m) =>
      [layer({depth_multiplier: m}), new RegExp(`^Error: spec: layers\\[0\\]\\.depth_multiplier must be an integer >= 1, got ${escape(m)}$`)]),
    [layer({activation: 'relu7'}), /^Error: spec: layers\[0\]\.activation: unknown activation 'relu7'; known: linear, /],
    [layer({use_bias: 'yes'}), /^Error: spec: layers\[0\]\.use_bias must be true or false, got "yes"$/],
    // an image input
    [[{type: 'flatten'}, ...layer({name})],
     new RegExp(`^Error: spec: layers\\[1\\] \\(${type} '${name}'\\) needs a \\[height, width, channels\\] input, got \\[64\\]$`)],
    [[{type: 'reshape', target_shape: [8, 8]}, ...layer({})],
     new RegExp(`^Error: spec: layers\\[1\\] \\(${type} '${type}_1'\\) needs a \\[height, width, channels\\] input, got \\[8,8\\]$`)],
    // a window larger than the input (valid)
    [layer({kernel_size: [9, 3]}),
     new RegExp(`^Error: spec: layers\\[0\\] \\(${type} '${type}_1'\\): window \\[9,3\\] is larger than the input's \\[8,8\\] with padding valid$`)],
  ];
}

// What ConvNetJS says (unsupportedBy, loadHarnessParts loaded) of a named
// image `layer` it cannot map, in a chain on [8, 8, 2] inputs before a
// flatten and a softmax dense layer: after a conv2d it maps, and after a
// zero_padding2d (which it maps only right before a conv2d).
// -> {afterConv, afterPadding}: the two messages
export function convnetjsAfterMappedLayers(layer) {
  const tail = [layer, {type: 'flatten'}, {type: 'dense', units: 3, activation: 'softmax'}];
  return {afterConv: unsupportedBy('convnetjs', chain('t', [8, 8, 2], [{type: 'conv2d', filters: 2, kernel_size: 3, padding: 'same'},
                                                                       ...tail])),
          afterPadding: unsupportedBy('convnetjs', chain('t', [8, 8, 2], [{type: 'zero_padding2d'}, ...tail]))};
}

// ---------- the fixtures as jobs on the harness page ----------

// The layer jobs' protocol: a few runs of each phase, batches of 64.
export const PROTOCOL = {batch_size: 64, load_warmup: 1, load_runs: 2, warmup_runs: 2, infer_warmup: 2, infer_runs: 5,
                         train_warmup: 1, train_runs: 2};
// jobFor's changes for a job that only infers: no training phase, no steps checked.
export const INFER_ONLY = {protocol: Object.assign({}, PROTOCOL, {phases: ['load', 'warmup', 'infer']}), trainStepsCheck: undefined};
// The timed phases referenceRunTests runs on each backend, training or only
// inferring. On tfjs-webgl none: headless chromium here renders WebGL in
// software (SwiftShader), where every draw (one per op) costs milliseconds
// and a training step of a small model half a second, so its jobs check the
// predictions and the training steps only (both records say which backend
// ran them); harness.test.mjs times webgl phases.
const RUN_PHASES = {default: {train: ['load', 'warmup', 'infer', 'train'], infer: ['load', 'warmup', 'infer']},
                    'tfjs-webgl': {train: [], infer: []}};
const runPhases = (backend) => RUN_PHASES[backend] || RUN_PHASES.default;

// The tfjs-wasm runner's refusal to train a `type` layer `layer` whose
// gradient needs `kernel`, which TF.js 4.22's wasm backend lacks.
export const wasmNoGradient = (type, layer, kernel) => `unsupported by tfjs-wasm: training ${type} layer '${layer}' (TF.js ` +
                                                       `4.22.0's wasm backend has no '${kernel}' kernel, which its gradient needs; inference runs)`;

// brain.js's or synaptic's refusal of a `type` layer `layer` (they have only
// fully connected layers).
export const denseOnlyRefusal = (framework, type, layer) =>
  `unsupported by ${framework}: ${type} layer '${layer}' (${{brainjs: 'brain.js', synaptic: 'synaptic'}[framework]} has only ` +
  'fully connected layers)';

// Two losses equal but for float32 rounding.
export const near = (actual, expected) => Math.abs(actual - expected) <= 1e-5 + 1e-4 * Math.abs(expected);

// A tfjs job's measurement records: those of `phases` and js_memory, in that
// order, with positive means on the job's TF.js backend, no leaked tensors;
// with `counts` (phase -> samples), that many samples in each phase. With no
// phases, js_memory only (no leaked tensors), and every record (predictions,
// loss_curve) ran on the backend.
export function checkPhases(records, backend, phases, counts = null) {
  if (phases.length === 0) {
    assert.deepEqual(records.filter((r) => r.kind === 'measurement').map((r) => r.phase), ['js_memory']);
    assert.equal(records.find((r) => r.phase === 'js_memory').leaked_tensors, 0, 'leaked tensors');
    for (const r of records) assert.equal(r.capabilities.tfjs_backend, backend.slice(5), r.kind);
    return;
  }
  const byPhase = {};
  for (const r of records) if (r.kind === 'measurement') byPhase[r.phase] = r;
  assert.deepEqual(Object.keys(byPhase), phases.concat(['js_memory']));
  for (const phase of phases) {
    assert.ok(byPhase[phase].mean > 0, `${phase} mean ${byPhase[phase].mean}`);
    if (counts) assert.equal(byPhase[phase].n, counts[phase], `${phase} samples`);
    assert.equal(byPhase[phase].capabilities.tfjs_backend, backend.slice(5));
  }
  assert.equal(byPhase.js_memory.leaked_tensors, 0, 'leaked tensors');
}

// For a describe block of layer jobs on the harness page (browser.mjs's
// harnessPage, skipped too without TF.js for node): before its tests, a
// fixture for each of `models` (name -> {spec, data: makeLayerData options,
// seed?, referenceOptions?: tfjsReference's, e.g. {steps: 1} for a model
// TF.js cannot train}): the model.json TF.js writes here with weights from the entry's
// `seed` or this one, `rows` rows of data and, with `reference`, TF.js in
// node's predictions and first loss on 64 of them (tfjsReference; with
// `steps` 2 or more, the losses of that many training steps too, which
// referenceRunTests then checks step by step).
// -> {found, skip, session(), noErrorsTest(), fixtures: name -> {spec, classes, exported, data, reference?} (tests
//     may add more), layerConfigs(name), weightShapes(name), jobFor(name, backend, extra): the job of PROTOCOL,
//     5 predicted rows and 3 checked training steps (extra: makeJob's options to change), and the checks and tests below}
export function layerPage(models, {seed = 1, rows = 128, reference = false, steps = 1} = {}) {
  const fixtures = {};
  const page = harnessPage({
    skipWhy: noNodeTfjs,
    prepare: async () => {
      for (const [name, {spec, data, seed: own = seed, referenceOptions = {}}] of Object.entries(models)) {
        const exported = await exportWithTfjs(spec, own);
        const samples = makeLayerData({rows, ...data});
        fixtures[name] = {spec, classes: data.classes, exported, data: samples};
        if (reference)
          fixtures[name].reference = await tfjsReference(spec, exported, samples.x, 64,
                                                         {y: samples.y, loss: spec.loss, steps, ...referenceOptions});
      }
    },
  });
  const {skip, session} = page;

  // A fixture's model.json layers: layer name -> [class_name, config]
  const layerConfigs = (name) => Object.fromEntries(fixtures[name].exported.modelJson.modelTopology.config.layers
                                                        .map((l) => [l.config.name, [l.class_name, l.config]]));
  // Its weights: weight name -> shape, in manifest order
  const weightShapes = (name) => Object.fromEntries(fixtures[name].exported.weights.map((w) => [w.name, w.shape]));

  const jobFor = (name, backend, extra = {}) => {
    const f = fixtures[name];
    return makeJob(Object.assign({backend, spec: f.spec, exported: f.exported, data: f.data, protocol: PROTOCOL,
                                  predictRows: 5, trainStepsCheck: 3}, extra));
  };
  const run = (name, backend, extra) => runJob(session().page, jobFor(name, backend, extra));

  // A job's 5 predicted rows equal TF.js in node's (the `reference` fixtures)
  // and the plain-JS pass's (chains and graphs). -> them
  function checkReferencePredictions(name, records) {
    const f = fixtures[name];
    const expected = f.reference.predictions.slice(0, 5);
    const predictions = records.find((r) => r.kind === 'predictions').outputs;
    assert.equal(predictions.length, 5);
    assert.equal(predictions[0].length, expected[0].length);
    assert.ok(maxViolation(predictions, expected) <= 0,
              `predictions differ from TF.js in node: ${JSON.stringify(predictions[0])} vs ${JSON.stringify(expected[0])}`);
    const plain = referenceForward(f.spec, f.exported, f.data.x, 5);
    assert.ok(maxViolation(predictions, plain) <= 0,
              `predictions differ from the plain-JS pass: ${JSON.stringify(predictions[0])} vs ${JSON.stringify(plain[0])}`);
    return predictions;
  }

  // A test for each [backend, name, trainError?] of `runs`: the job runs its
  // phases (every phase; on tfjs-webgl, train: RUN_PHASES), its predictions
  // and first loss (every step's, with `steps`) equal TF.js in node's and its
  // loss falls; or, with trainError (the message, or a RegExp), it infers
  // (the predictions equal TF.js in node's) and training is refused with it.
  function referenceRunTests(runs) {
    for (const [backend, name, trainError] of runs) {
      const phases = runPhases(backend);
      if (trainError) {
        test(`${backend}: ${name} job infers (predictions equal TF.js in node); training is refused, naming why`, {skip}, async () => {
          const infer = await run(name, backend, {...INFER_ONLY, protocol: {...PROTOCOL, phases: phases.infer}});
          assert.equal(infer.error, undefined, infer.error);
          checkPhases(infer.records, backend, phases.infer);
          checkReferencePredictions(name, infer.records);
          const train = await run(name, backend);
          assert.equal(train.records, undefined);
          if (trainError instanceof RegExp) assert.match(train.error, trainError);
          else assert.equal(train.error, trainError);
        });
        continue;
      }
      const ran = phases.train.length > 0 ? `runs ${phases.train.join(', ')}` : 'predicts and trains (no timed phase)';
      test(`${backend}: ${name} job ${ran}; predictions and losses equal TF.js in node`, {skip}, async () => {
        const result = await run(name, backend, {protocol: {...PROTOCOL, phases: phases.train}});
        assert.equal(result.error, undefined, result.error);
        checkPhases(result.records, backend, phases.train);
        checkReferencePredictions(name, result.records);
        const curve = result.records.find((r) => r.kind === 'loss_curve').losses;
        const {firstLoss: expected, losses} = fixtures[name].reference;
        assert.ok(near(curve[0], expected), `first loss ${curve[0]}, TF.js in node ${expected}`);
        if (losses) losses.forEach((loss, k) => assert.ok(near(curve[k], loss), `step ${k}: loss ${curve[k]}, TF.js in node ${loss}`));
        assert.ok(curve.every(Number.isFinite) && curve[2] < curve[0], `loss did not fall: ${curve}`);
      });
    }
  }

  // A test for each [backend, name, message] of `refusals`: the job is
  // refused with exactly that message.
  function refusalTests(refusals) {
    for (const [backend, name, message] of refusals) {
      test(`${backend} refuses the ${name} job: ${message.slice(0, 60)}`, {skip}, async () => {
        const result = await run(name, backend);
        assert.equal(result.records, undefined);
        assert.equal(result.error, message);
      });
    }
  }

  // The job's training steps on tfjs-cpu, and the job on convnetjs: every
  // phase measured there, its predictions and every step's loss equal
  // tfjs-cpu's, the loss falling. -> {predictions: convnetjs's, losses: tfjs-cpu's}
  async function convnetjsAgainstTfjs(name) {
    const tfjs = await run(name, 'tfjs-cpu', {protocol: {phases: []}});
    assert.equal(tfjs.error, undefined, tfjs.error);
    const convnet = await run(name, 'convnetjs');
    assert.equal(convnet.error, undefined, convnet.error);
    const phases = convnet.records.filter((r) => r.kind === 'measurement').map((r) => r.phase);
    assert.deepEqual(phases, ['load', 'warmup', 'infer', 'train', 'js_memory']);
    const outputs = (result) => result.records.find((r) => r.kind === 'predictions').outputs;
    assert.ok(maxViolation(outputs(convnet), outputs(tfjs)) <= 0,
              `convnetjs ${JSON.stringify(outputs(convnet)[0])}, tfjs ${JSON.stringify(outputs(tfjs)[0])}`);
    const losses = (result) => result.records.find((r) => r.kind === 'loss_curve').losses;
    const expected = losses(tfjs);
    losses(convnet).forEach((loss, k) => assert.ok(near(loss, expected[k]), `step ${k}: convnetjs ${loss}, tfjs-cpu ${expected[k]}`));
    assert.ok(expected[2] < expected[0], `loss did not fall: ${expected}`);
    return {predictions: outputs(convnet), losses: expected};
  }

  return {...page, fixtures, layerConfigs, weightShapes, jobFor, checkReferencePredictions, referenceRunTests, refusalTests,
          convnetjsAgainstTfjs};
}
