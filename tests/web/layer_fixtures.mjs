// Fixtures for CNN, RNN and graph jobs: model.json files written by TF.js 4.22
// itself (in this node process, from resources/web/node_modules: tf.sequential,
// or tf.model for gapscope.model/2 graphs, with the spec's layer names, saved
// through tf.io.withSaveHandler), with
// deterministic weight values put in their place; image, sequence and id
// data; and a plain-JS reference forward pass with TF.js's equations (float64
// on the float32 weights), which pins the weight layouts (conv2d kernel
// [kh, kw, in, filters], rnn kernel [F, G*u], recurrent_kernel [u, G*u], bias
// [G*u]), the gate orders (lstm i, f, c, o; gru z, r, h with the reset applied
// before the recurrent matmul) and the padding arithmetic (same: the odd pixel
// at the bottom/right; average pooling counts only real pixels).
import {createRequire} from 'node:module';
import {existsSync} from 'node:fs';
import path from 'node:path';
import {webRoot} from './browser.mjs';
import {makeRandom} from './fixtures.mjs';

let tfjs = null;

// -> the @tensorflow/tfjs module, or null with resources/web/node_modules missing.
export function nodeTfjs() {
  if (tfjs) return tfjs;
  if (!existsSync(path.join(webRoot, 'node_modules/@tensorflow/tfjs/package.json'))) return null;
  const require = createRequire(path.join(webRoot, 'package.json'));
  tfjs = require('@tensorflow/tfjs');
  return tfjs;
}

const product = (shape) => shape.reduce((a, b) => a * b, 1);

// Layer names as the spec gives them (`<type>_<n>` counted per type).
export function layerNames(spec) {
  const counts = {};
  return spec.layers.map((layer) => {
    counts[layer.type] = (counts[layer.type] || 0) + 1;
    return layer.name || `${layer.type}_${counts[layer.type]}`;
  });
}

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
    case 'dropout': return tf.layers.dropout({...c, rate: layer.rate});
    case 'conv2d':
      return tf.layers.conv2d({...c, filters: layer.filters, kernelSize: layer.kernel_size, strides: layer.strides || [1, 1],
                               padding: layer.padding || 'valid', activation: camel(layer.activation), useBias: bias});
    case 'max_pooling2d':
    case 'average_pooling2d': {
      const make = layer.type === 'max_pooling2d' ? tf.layers.maxPooling2d : tf.layers.averagePooling2d;
      return make({...c, poolSize: layer.pool_size, strides: layer.strides || layer.pool_size, padding: layer.padding || 'valid'});
    }
    case 'flatten': return tf.layers.flatten(c);
    case 'reshape': return tf.layers.reshape({...c, targetShape: layer.target_shape});
    case 'batch_normalization':
      return tf.layers.batchNormalization({...c, momentum: layer.momentum ?? 0.99, epsilon: layer.epsilon ?? 1e-3});
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

// rows x inputs: 'uniform' [0, 1), 'onehot' steps (input [T, V]), or 'ids'
// in [0, vocabulary) (input [T]); targets per row: `predictions` x `classes`
// one-hot, or `predictions` class indices ('sparse').
export function makeLayerData({rows, inputShape, input = 'uniform', vocabulary, predictions = 1, classes,
                               targets = 'onehot', seed = 11}) {
  const random = makeRandom(seed);
  const inputs = product(inputShape);
  let x;
  if (input === 'ids') {
    x = Float32Array.from({length: rows * inputs}, () => Math.floor(random() * vocabulary));
  } else if (input === 'onehot') {
    const width = inputShape[inputShape.length - 1];
    x = new Float32Array(rows * inputs);
    for (let step = 0; step < rows * inputs / width; ++step) x[step * width + Math.floor(random() * width)] = 1;
  } else {
    x = Float32Array.from({length: rows * inputs}, () => random());
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

function conv2d(v, [H, W, C], K, b, layer) {
  const [kh, kw] = layer.kernel_size;
  const [sh, sw] = layer.strides || [1, 1];
  const F = layer.filters;
  const ay = windowAxis(H, kh, sh, layer.padding), ax = windowAxis(W, kw, sw, layer.padding);
  const out = new Array(ay.out * ax.out * F).fill(0);
  for (let oy = 0; oy < ay.out; ++oy)
    for (let ox = 0; ox < ax.out; ++ox)
      for (let f = 0; f < F; ++f) {
        let a = b ? b[f] : 0;
        for (let ky = 0; ky < kh; ++ky)
          for (let kx = 0; kx < kw; ++kx) {
            const iy = oy * sh + ky - ay.before, ix = ox * sw + kx - ax.before;
            if (iy < 0 || iy >= H || ix < 0 || ix >= W) continue;
            for (let c = 0; c < C; ++c) a += v[(iy * W + ix) * C + c] * K[((ky * kw + kx) * C + c) * F + f];
          }
        out[(oy * ax.out + ox) * F + f] = a;
      }
  return {values: activate(layer.activation, out, F), shape: [ay.out, ax.out, F]};
}

function pool2d(v, [H, W, C], layer) {
  const [ph, pw] = layer.pool_size;
  const [sh, sw] = layer.strides || layer.pool_size;
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
// else the moving ones.
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
    return (a - mean[c]) / Math.sqrt(variance[c] + eps) * w.gamma[c] + w.beta[c];
  }));
}

// -> [[outputs of row r, flat]] for the first `rows` rows of x. training:
// batch statistics in batch normalization (the forward pass of a training
// step; dropout is not modelled, tests use none with it).
export function referenceForward(spec, exported, x, rows, {training = false} = {}) {
  const names = layerNames(spec);
  const byName = new Map(exported.weights.map((w) => [w.name, w.values]));
  const weightsOf = (name) => {
    const out = {};
    for (const [key, values] of byName) if (key.startsWith(`${name}/`)) out[key.slice(name.length + 1)] = values;
    return out;
  };
  const inputs = product(spec.input.shape);
  let samples = [];
  for (let r = 0; r < rows; ++r) samples.push(Array.from(x.subarray(r * inputs, (r + 1) * inputs)));
  let shape = spec.input.shape.slice();
  spec.layers.forEach((layer, l) => {
    const w = weightsOf(names[l]);
    if (layer.type === 'batch_normalization') {
      samples = batchNorm(samples, shape, w, layer, training);
      return;
    }
    let next = shape;
    samples = samples.map((v) => {
      let result;
      switch (layer.type) {
        case 'dense': result = dense(v, shape, w.kernel, w.bias, layer); break;
        case 'activation': result = {values: activate(layer.activation, v, shape[shape.length - 1]), shape}; break;
        case 'dropout': result = {values: v, shape}; break;
        case 'conv2d': result = conv2d(v, shape, w.kernel, w.bias, layer); break;
        case 'max_pooling2d': case 'average_pooling2d': result = pool2d(v, shape, layer); break;
        case 'flatten': result = {values: v, shape: [v.length]}; break;
        case 'reshape': result = {values: v, shape: layer.target_shape}; break;
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
    shape = next;
  });
  return samples;
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
// backend), the way the page loads it: tf.loadLayersModel(tf.io.fromMemory).
async function loadExported(tf, exported) {
  const bytes = exported.bytes;
  return tf.loadLayersModel(tf.io.fromMemory({
    modelTopology: exported.modelJson.modelTopology, weightSpecs: exported.modelJson.weightsManifest[0].weights,
    weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)}));
}

// TF.js-in-node's own predictions for the first `rows` rows of x: [[outputs of
// row r, flat]]; and, with `y`, the loss of one batch of those rows, which is
// the first training step's loss (no dropout or batch normalization in the
// graphs tested, so training and inference forward passes agree).
export async function tfjsReference(spec, exported, x, rows, {y, loss} = {}) {
  const tf = nodeTfjs();
  return quietly(async () => {
    const model = await loadExported(tf, exported);
    const inputs = product(spec.input.shape);
    const xs = tf.tensor(x.subarray(0, rows * inputs), [rows].concat(spec.input.shape), 'float32');
    const out = model.predict(xs);
    const flat = await out.data();
    const width = flat.length / rows;
    const predictions = Array.from({length: rows}, (_, r) => Array.from(flat.subarray(r * width, (r + 1) * width)));
    let firstLoss;
    if (y) {
      const ys = tf.tensor(y.subarray(0, rows * width), out.shape, 'float32');
      model.compile({optimizer: tf.train.sgd(0.1), loss: camel(loss)});
      const value = model.evaluate(xs, ys, {batchSize: rows});
      firstLoss = (await value.data())[0];
      ys.dispose();
      value.dispose();
    }
    xs.dispose();
    out.dispose();
    model.dispose();
    return {predictions, firstLoss};
  });
}
