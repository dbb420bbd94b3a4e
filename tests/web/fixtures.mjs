// Test fixtures for the web harness: models written the way gapscope's C++
// exporter writes them (core/io/tfjs_layers_format.cpp + tfjs_topology.cpp:
// Sequential topology, snake_case activations, VarianceScaling/Zeros
// initializers, one manifest group with paths ["group1-shard1of1.bin"],
// weights named "<layer>/kernel" and "<layer>/bias"), deterministic weights
// and data, jobs, and a plain-JS reference forward pass on the same float32
// weights.

// A small deterministic generator (LCG), values in [0, 1).
export function makeRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
}

const KERNEL_INITIALIZER = {class_name: 'VarianceScaling',
                            config: {scale: 1, mode: 'fan_avg', distribution: 'uniform', seed: null}};

function optimizerConfig(optimizer) {
  const o = typeof optimizer === 'string' ? {type: optimizer} : optimizer;
  const names = {sgd: 'SGD', momentum: 'Momentum', adagrad: 'Adagrad', adadelta: 'Adadelta', adam: 'Adam',
                 adamax: 'Adamax', rmsprop: 'RMSProp'};
  return {class_name: names[o.type], config: {learningRate: o.learning_rate === undefined ? 0.01 : o.learning_rate}};
}

// spec: a gapscope.model/1 spec of dense/activation/dropout layers.
// -> {modelJson, weights: [{name, shape, values: Float32Array}], bytes: Uint8Array}
export function exportModel(spec, seed = 1) {
  const random = makeRandom(seed);
  const counts = {};
  const layers = [];
  const weights = [];
  let width = spec.input.shape[0];
  spec.layers.forEach((layer, i) => {
    counts[layer.type] = (counts[layer.type] || 0) + 1;
    const name = layer.name || `${layer.type}_${counts[layer.type]}`;
    let className;
    const config = {};
    if (layer.type === 'dense') {
      className = 'Dense';
      Object.assign(config, {units: layer.units, activation: layer.activation || 'linear',
                             use_bias: layer.use_bias !== false, kernel_initializer: KERNEL_INITIALIZER,
                             bias_initializer: {class_name: 'Zeros', config: {}}, kernel_regularizer: null,
                             bias_regularizer: null, activity_regularizer: null, kernel_constraint: null,
                             bias_constraint: null});
      const limit = Math.sqrt(6 / (width + layer.units));
      const kernel = Float32Array.from({length: width * layer.units}, () => (2 * random() - 1) * limit);
      weights.push({name: `${name}/kernel`, shape: [width, layer.units], values: kernel});
      if (layer.use_bias !== false)
        weights.push({name: `${name}/bias`, shape: [layer.units],
                      values: Float32Array.from({length: layer.units}, () => (2 * random() - 1) * 0.1)});
      width = layer.units;
    } else if (layer.type === 'activation') {
      className = 'Activation';
      config.activation = layer.activation;
    } else if (layer.type === 'dropout') {
      className = 'Dropout';
      Object.assign(config, {rate: layer.rate, noise_shape: null, seed: null});
    }
    config.name = name;
    config.trainable = true;
    if (i === 0) {
      config.batch_input_shape = [null].concat(spec.input.shape);
      config.dtype = 'float32';
    }
    layers.push({class_name: className, config});
  });
  const total = weights.reduce((n, w) => n + w.values.length, 0);
  const all = new Float32Array(total);
  let at = 0;
  for (const w of weights) {
    all.set(w.values, at);
    at += w.values.length;
  }
  const modelJson = {
    modelTopology: {class_name: 'Sequential', config: {name: spec.name, layers},
                    keras_version: 'tfjs-layers 4.22.0', backend: 'tensor_flow.js'},
    format: 'layers-model',
    generatedBy: 'gapscope dev',
    convertedBy: null,
    weightsManifest: [{paths: ['group1-shard1of1.bin'],
                       weights: weights.map((w) => ({name: w.name, shape: w.shape, dtype: 'float32'}))}],
    trainingConfig: {loss: spec.loss, metrics: spec.loss === 'mean_squared_error' ? [] : ['accuracy'],
                     optimizer_config: optimizerConfig(spec.optimizer)},
  };
  return {modelJson, weights, bytes: new Uint8Array(all.buffer)};
}

export function denseSpec(name, input, hidden, outputs, options = {}) {
  const activation = options.activation || 'relu';
  const layers = hidden.map((units) => ({type: 'dense', units, activation}));
  layers.push({type: 'dense', units: outputs, activation: options.outputActivation || 'softmax'});
  return {format: 'gapscope.model/1', name, input: {shape: [input]}, layers,
          loss: options.loss || 'categorical_crossentropy',
          optimizer: options.optimizer || {type: 'sgd', learning_rate: 0.1}};
}

// rows of uniform [0,1) inputs; targets one-hot (or per `kind`).
export function makeData(rows, inputs, outputs, seed = 7, kind = 'onehot') {
  const random = makeRandom(seed);
  const x = Float32Array.from({length: rows * inputs}, () => random());
  let y;
  if (kind === 'onehot') {
    y = new Float32Array(rows * outputs);
    for (let r = 0; r < rows; ++r) y[r * outputs + Math.floor(random() * outputs)] = 1;
  } else if (kind === 'sparse') {
    y = Float32Array.from({length: rows}, () => Math.floor(random() * outputs));
  } else if (kind === 'binary') {
    y = Float32Array.from({length: rows * outputs}, () => (random() < 0.5 ? 0 : 1));
  } else {
    y = Float32Array.from({length: rows * outputs}, () => random());
  }
  return {x, y, rows};
}

const base64 = (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');

export function makeJob({runId = 'test-run', backend, spec, exported, data, protocol, predictRows, trainStepsCheck,
                         config = {preset: 'test', batch: 64}}) {
  const job = {
    run_id: runId, backend, spec, model_json: exported.modelJson, weights_base64: base64(exported.bytes),
    data: {x_base64: base64(new Uint8Array(data.x.buffer)), y_base64: base64(new Uint8Array(data.y.buffer)),
           rows: data.rows},
    protocol, config,
  };
  if (predictRows !== undefined) job.predict_rows = predictRows;
  if (trainStepsCheck !== undefined) job.train_steps_check = trainStepsCheck;
  return JSON.stringify(job);
}

// ---------- reference forward pass (float64 on the float32 weights) ----------

const ACTIVATIONS = {
  linear: (v) => v,
  relu: (v) => v.map((a) => Math.max(0, a)),
  sigmoid: (v) => v.map((a) => 1 / (1 + Math.exp(-a))),
  tanh: (v) => v.map(Math.tanh),
  softmax: (v) => {
    const m = Math.max(...v);
    const e = v.map((a) => Math.exp(a - m));
    const s = e.reduce((a, b) => a + b, 0);
    return e.map((a) => a / s);
  },
};

export function referencePredict(spec, exported, x, rows) {
  const byName = new Map(exported.weights.map((w) => [w.name, w]));
  const outputs = [];
  for (let r = 0; r < rows; ++r) {
    let v = Array.from(x.subarray(r * spec.input.shape[0], (r + 1) * spec.input.shape[0]));
    const seen = {};
    for (const layer of spec.layers) {
      seen[layer.type] = (seen[layer.type] || 0) + 1;
      const name = layer.name || `${layer.type}_${seen[layer.type]}`;
      if (layer.type === 'dense') {
        const kernel = byName.get(`${name}/kernel`);
        const bias = byName.get(`${name}/bias`);
        const [inputs, units] = kernel.shape;
        const out = new Array(units).fill(0);
        for (let j = 0; j < units; ++j) {
          let a = bias ? bias.values[j] : 0;
          for (let i = 0; i < inputs; ++i) a += v[i] * kernel.values[i * units + j];
          out[j] = a;
        }
        v = ACTIVATIONS[layer.activation || 'linear'](out);
      } else if (layer.type === 'activation') {
        v = ACTIVATIONS[layer.activation](v);
      }  // dropout: identity at inference
    }
    outputs.push(v);
  }
  return outputs;
}

export function referenceLoss(loss, predicted, y, rows) {
  const width = predicted[0].length;
  let sum = 0;
  for (let r = 0; r < rows; ++r) {
    for (let j = 0; j < width; ++j) {
      const t = y[r * width + j];
      const p = predicted[r][j];
      if (loss === 'categorical_crossentropy') sum -= t * Math.log(Math.min(Math.max(p, 1e-7), 1 - 1e-7));
      else if (loss === 'mean_squared_error') sum += (p - t) * (p - t) / width;
      else if (loss === 'binary_crossentropy') {
        const q = Math.min(Math.max(p, 1e-7), 1 - 1e-7);
        sum -= (t * Math.log(q) + (1 - t) * Math.log(1 - q)) / width;
      }
    }
  }
  return sum / rows;
}

// |a - b| <= atol + rtol * |b| everywhere (NOTES.md: cpu vs wasm differ ~5e-7).
export function maxViolation(actual, expected, atol = 1e-5, rtol = 1e-4) {
  let worst = 0;
  for (let r = 0; r < expected.length; ++r)
    for (let j = 0; j < expected[r].length; ++j) {
      const excess = Math.abs(actual[r][j] - expected[r][j]) - (atol + rtol * Math.abs(expected[r][j]));
      worst = Math.max(worst, excess);
    }
  return worst;
}
