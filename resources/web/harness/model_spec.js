// Reads a gapscope.model/1 ModelSpec (docs/model-spec.md) into the plain form
// the runners use: layer names filled in (`<type>_<n>`, counted per type, as
// core/spec does), each layer's per-sample input and output shapes (no batch
// axis), the loss, and the optimizer with every field set to tfjs-layers'
// default where the spec leaves it out. The C++ side validates specs fully
// before a job gets here; this file checks what the harness relies on (the
// fields the runners read, the shapes) and says clearly what it cannot read.
// Fields it does not read (initializers, regularizers, ...) pass through.
//
// Layer types and the fields read (Keras/TF.js names, defaults as TF.js's):
//   dense               units, activation (linear), use_bias (true); acts on the
//                       last axis: [..., n] -> [..., units]
//   activation          activation
//   dropout             rate in [0, 1)
//   conv2d              filters, kernel_size [kh, kw], strides [sh, sw] ([1, 1]),
//                       padding valid|same (valid), activation (linear),
//                       use_bias (true); input [H, W, C] (channels-last)
//   max_pooling2d,      pool_size [ph, pw] ([2, 2]), strides (pool_size), padding;
//   average_pooling2d   input [H, W, C]
//   flatten             -> [product] (TF.js's Flatten needs rank >= 2 per sample)
//   reshape             target_shape (no -1), same element count
//   batch_normalization momentum (0.99), epsilon (1e-3) > 0; over the last axis
//                       (axis -1), center and scale true only
//   embedding           input_dim, output_dim; [T] ids -> [T, output_dim] (the
//                       job checks the ids when it is the first layer)
//   simple_rnn, lstm,   units, activation (tanh), recurrent_activation (lstm,
//   gru                 gru: hard_sigmoid), use_bias (true), return_sequences
//                       (false), unit_forget_bias (lstm: true), reset_after
//                       (gru: false only, the only GRU TF.js 4.22 has);
//                       input [T, F] -> [T, units] or [units]
// Sizes written as one integer (kernel_size: 3) mean [3, 3], as in Keras.
// Valid convolution/pooling: out = floor((in - k) / s) + 1; same: ceil(in / s).
//
// denseStack() is the view the dense-only frameworks need: a chain of dense
// layers, each with one activation. A dense layer with a linear activation
// followed by an `activation` layer is the same function as one dense layer
// with that activation, so those pairs are fused (exactly, nothing changes);
// flatten and reshape only relabel the flat row (data rows are flat already),
// so they map as long as every dense layer gets a vector. Any other layer is
// reported as unsupported, naming the first one.
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});

  const FORMAT = 'gapscope.model/1';
  const ACTIVATIONS = ['linear', 'elu', 'hard_sigmoid', 'relu', 'relu6', 'selu', 'sigmoid', 'softmax',
                       'softplus', 'softsign', 'tanh', 'swish', 'mish', 'gelu'];
  const LOSSES = ['categorical_crossentropy', 'sparse_categorical_crossentropy', 'binary_crossentropy',
                  'mean_squared_error'];
  const LAYER_TYPES = ['dense', 'activation', 'dropout', 'conv2d', 'max_pooling2d', 'average_pooling2d', 'flatten',
                       'reshape', 'batch_normalization', 'embedding', 'simple_rnn', 'lstm', 'gru'];
  const RECURRENT_TYPES = ['simple_rnn', 'lstm', 'gru'];
  // Gates per recurrent type: kernel [F, G*units], recurrent_kernel [units,
  // G*units], bias [G*units]; lstm gate order i, f, c, o; gru z, r, h.
  const RECURRENT_GATES = {simple_rnn: 1, lstm: 4, gru: 3};
  // tfjs-layers' defaults for each optimizer (docs/model-spec.md); epsilon is
  // TF.js's backend epsilon, 1e-7.
  const OPTIMIZER_DEFAULTS = {
    sgd: {learning_rate: 0.01},
    momentum: {learning_rate: 0.01, momentum: 0.9, nesterov: false},
    adagrad: {learning_rate: 0.01, initial_accumulator_value: 0.1},
    adadelta: {learning_rate: 1.0, rho: 0.95, epsilon: 1e-7},
    adam: {learning_rate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7},
    adamax: {learning_rate: 0.002, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, decay: 0},
    rmsprop: {learning_rate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false},
  };
  const OPTIMIZER_ALIASES = {beta_1: 'beta1', beta_2: 'beta2'};

  function fail(message) {
    throw new Error(`spec: ${message}`);
  }

  function product(shape) {
    let n = 1;
    for (const d of shape) n *= d;
    return n;
  }

  function readActivation(value, path, fallback = 'linear') {
    const name = value === undefined ? fallback : value;
    if (!ACTIVATIONS.includes(name)) fail(`${path}: unknown activation '${name}'; known: ${ACTIVATIONS.join(', ')}`);
    return name;
  }

  function readOptimizer(value) {
    if (value === undefined) return Object.assign({type: 'sgd'}, OPTIMIZER_DEFAULTS.sgd);
    const object = typeof value === 'string' ? {type: value} : value;
    if (object === null || typeof object !== 'object') fail('optimizer must be a name or {"type": ...}');
    const type = object.type;
    const defaults = OPTIMIZER_DEFAULTS[type];
    if (!defaults) fail(`optimizer.type: unknown optimizer '${type}'; known: ${Object.keys(OPTIMIZER_DEFAULTS).join(', ')}`);
    const optimizer = Object.assign({type}, defaults);
    for (const [rawKey, v] of Object.entries(object)) {
      if (rawKey === 'type') continue;
      const key = OPTIMIZER_ALIASES[rawKey] || rawKey;
      if (!(key in defaults)) fail(`optimizer.${rawKey} does not apply to ${type}; it takes: ${Object.keys(defaults).join(', ')}`);
      if (typeof v !== typeof defaults[key]) fail(`optimizer.${rawKey} must be a ${typeof defaults[key]}, got ${JSON.stringify(v)}`);
      optimizer[key] = v;
    }
    return optimizer;
  }

  // ---- field readers; `path` is e.g. "layers[2].units" ----

  function readCount(value, path) {
    if (!Number.isInteger(value) || value < 1) fail(`${path} must be an integer >= 1, got ${JSON.stringify(value)}`);
    return value;
  }

  function readBool(value, path, fallback) {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') fail(`${path} must be true or false, got ${JSON.stringify(value)}`);
    return value;
  }

  // [a, b] of integers >= 1; one integer n means [n, n].
  function readPair(value, path, fallback) {
    if ((value === undefined || value === null) && fallback) return fallback.slice();
    if (Number.isInteger(value) && value >= 1) return [value, value];
    if (!Array.isArray(value) || value.length !== 2 || !value.every((d) => Number.isInteger(d) && d >= 1))
      fail(`${path} must be [height, width] (integers >= 1), got ${JSON.stringify(value)}`);
    return value.slice();
  }

  function readPadding(value, path) {
    if (value === undefined || value === null) return 'valid';
    if (value !== 'valid' && value !== 'same') fail(`${path} must be "valid" or "same", got ${JSON.stringify(value)}`);
    return value;
  }

  function readPositive(value, path, fallback) {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
      fail(`${path} must be a number > 0, got ${JSON.stringify(value)}`);
    return value;
  }

  // One spatial axis of a conv/pool window, TF's rule: the twin of
  // core/base/window_size.cpp (window_axis), checked against it by
  // tests/core/base/window_size_test.cpp. valid: out = floor((in - k) / s) + 1
  // (0 when k > in); same: out = ceil(in / s), padTotal = max((out - 1) * s +
  // k - in, 0), padBefore = floor(padTotal / 2) (the odd pixel bottom/right).
  function windowAxis(size, window, stride, padding) {
    stride = Math.max(1, stride);
    if (padding === 'same') {
      const out = Math.ceil(size / stride);
      const padTotal = Math.max((out - 1) * stride + window - size, 0);
      return {out, padBefore: Math.floor(padTotal / 2), padTotal};
    }
    return {out: window > size ? 0 : Math.floor((size - window) / stride) + 1, padBefore: 0, padTotal: 0};
  }

  // -> the layer in the runners' form (without shapes), from the raw spec entry.
  function readLayer(raw, path, type, name) {
    const field = (key) => `${path}.${key}`;
    switch (type) {
      case 'dense':
        return {type, name, units: readCount(raw.units, field('units')),
                activation: readActivation(raw.activation, field('activation')),
                useBias: readBool(raw.use_bias, field('use_bias'), true)};
      case 'activation':
        if (raw.activation === undefined) fail(`${path}.activation is missing`);
        return {type, name, activation: readActivation(raw.activation, field('activation'))};
      case 'dropout':
        if (typeof raw.rate !== 'number' || !(raw.rate >= 0 && raw.rate < 1)) fail(`${path}.rate must be in [0, 1), got ${JSON.stringify(raw.rate)}`);
        return {type, name, rate: raw.rate};
      case 'conv2d':
        return {type, name, filters: readCount(raw.filters, field('filters')),
                kernelSize: readPair(raw.kernel_size, field('kernel_size')),
                strides: readPair(raw.strides, field('strides'), [1, 1]),
                padding: readPadding(raw.padding, field('padding')),
                activation: readActivation(raw.activation, field('activation')),
                useBias: readBool(raw.use_bias, field('use_bias'), true)};
      case 'max_pooling2d':
      case 'average_pooling2d': {
        const poolSize = readPair(raw.pool_size, field('pool_size'), [2, 2]);
        return {type, name, poolSize, strides: readPair(raw.strides, field('strides'), poolSize),
                padding: readPadding(raw.padding, field('padding'))};
      }
      case 'flatten':
        return {type, name};
      case 'reshape': {
        const target = raw.target_shape;
        if (!Array.isArray(target) || target.length === 0 || !target.every((d) => Number.isInteger(d) && d >= 1))
          fail(`${path}.target_shape must be a non-empty array of integers >= 1 (no -1), got ${JSON.stringify(target)}`);
        return {type, name, targetShape: target.slice()};
      }
      case 'batch_normalization': {
        const momentum = raw.momentum === undefined || raw.momentum === null ? 0.99 : raw.momentum;
        if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1))
          fail(`${path}.momentum must be a number in [0, 1], got ${JSON.stringify(raw.momentum)}`);
        // -1, or the last axis counted with the batch axis (Keras writes 3 for images): checked against the shape.
        const axis = raw.axis === undefined || raw.axis === null ? -1 : raw.axis;
        if (!Number.isInteger(axis)) fail(`${path}.axis must be an integer, got ${JSON.stringify(raw.axis)}`);
        for (const key of ['center', 'scale'])
          if (!readBool(raw[key], field(key), true)) fail(`${path}.${key} must be true (gamma and beta are always there)`);
        return {type, name, momentum, axis, epsilon: readPositive(raw.epsilon, field('epsilon'), 1e-3)};
      }
      case 'embedding':
        return {type, name, inputDim: readCount(raw.input_dim, field('input_dim')),
                outputDim: readCount(raw.output_dim, field('output_dim'))};
      case 'simple_rnn':
      case 'lstm':
      case 'gru': {
        const layer = {type, name, units: readCount(raw.units, field('units')),
                       activation: readActivation(raw.activation, field('activation'), 'tanh'),
                       useBias: readBool(raw.use_bias, field('use_bias'), true),
                       returnSequences: readBool(raw.return_sequences, field('return_sequences'), false),
                       gates: RECURRENT_GATES[type]};
        if (type !== 'simple_rnn')
          layer.recurrentActivation = readActivation(raw.recurrent_activation, field('recurrent_activation'), 'hard_sigmoid');
        if (type === 'lstm') layer.unitForgetBias = readBool(raw.unit_forget_bias, field('unit_forget_bias'), true);
        if (type === 'gru' && readBool(raw.reset_after, field('reset_after'), false))
          fail(`${path}.reset_after: only false is supported (TF.js 4.22 has no reset_after GRU)`);
        return layer;
      }
      default:
        return fail(`${path}.type: unknown layer type ${JSON.stringify(type)}; known: ${LAYER_TYPES.join(', ')}`);
    }
  }

  // The layer's per-sample output shape for input shape `shape`, or a spec
  // error naming the layer.
  function outputShape(layer, shape, path) {
    const where = `${path} (${layer.type} '${layer.name}')`;
    const image = () => {
      if (shape.length !== 3) fail(`${where} needs a [height, width, channels] input, got [${shape}]`);
    };
    switch (layer.type) {
      case 'dense':
        return shape.slice(0, -1).concat([layer.units]);
      case 'batch_normalization':
        if (layer.axis !== -1 && layer.axis !== shape.length)
          fail(`${where}: axis ${layer.axis} is not the last axis; batch_normalization normalises over the last ` +
               `axis only (-1, or ${shape.length} for this input of rank ${shape.length})`);
        return shape.slice();
      case 'activation':
      case 'dropout':
        return shape.slice();
      case 'conv2d':
      case 'max_pooling2d':
      case 'average_pooling2d': {
        image();
        const window = layer.type === 'conv2d' ? layer.kernelSize : layer.poolSize;
        const out = [0, 1].map((axis) => windowAxis(shape[axis], window[axis], layer.strides[axis], layer.padding).out);
        if (out[0] < 1 || out[1] < 1)
          fail(`${where}: window [${window}] is larger than the input's [${shape.slice(0, 2)}] with padding valid`);
        return out.concat([layer.type === 'conv2d' ? layer.filters : shape[2]]);
      }
      case 'flatten':
        return [product(shape)];
      case 'reshape':
        if (product(layer.targetShape) !== product(shape))
          fail(`${where}: target_shape [${layer.targetShape}] holds ${product(layer.targetShape)} values, its input [${shape}] ${product(shape)}`);
        return layer.targetShape.slice();
      case 'embedding':
        if (shape.length !== 1) fail(`${where} needs a [timesteps] input of token ids, got [${shape}]`);
        return shape.concat([layer.outputDim]);
      default:  // recurrent
        if (shape.length !== 2) fail(`${where} needs a [steps, features] input, got [${shape}]`);
        return layer.returnSequences ? [shape[0], layer.units] : [layer.units];
    }
  }

  function readModelSpec(spec) {
    if (spec === null || typeof spec !== 'object') fail('the spec must be a JSON object');
    if (spec.format !== FORMAT) fail(`format must be "${FORMAT}", got ${JSON.stringify(spec.format)}`);
    const shape = spec.input && spec.input.shape;
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 1))
      fail(`input.shape must be a non-empty array of integers >= 1, got ${JSON.stringify(shape)}`);
    if (!Array.isArray(spec.layers) || spec.layers.length === 0) fail('layers must be a non-empty array');
    const counts = {};
    const names = new Set();
    let current = shape.slice();
    const layers = spec.layers.map((raw, i) => {
      const path = `layers[${i}]`;
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail(`${path} must be an object`);
      const type = raw.type;
      if (!LAYER_TYPES.includes(type))
        fail(`${path}.type: unknown layer type ${JSON.stringify(type)}; known: ${LAYER_TYPES.join(', ')}`);
      counts[type] = (counts[type] || 0) + 1;
      if (raw.name !== undefined && (typeof raw.name !== 'string' || raw.name === ''))
        fail(`${path}.name must be a non-empty string, got ${JSON.stringify(raw.name)}`);
      const name = raw.name || `${type}_${counts[type]}`;
      if (names.has(name)) fail(`${path}.name '${name}' is used by an earlier layer (weights are found by layer name)`);
      names.add(name);
      const layer = readLayer(raw, path, type, name);
      layer.inputShape = current;
      layer.outputShape = outputShape(layer, current, path);
      current = layer.outputShape;
      return layer;
    });
    const loss = spec.loss === undefined ? 'categorical_crossentropy' : spec.loss;
    if (!LOSSES.includes(loss)) fail(`loss: unknown loss '${loss}'; known: ${LOSSES.join(', ')}`);
    return {name: spec.name || '', inputShape: shape.slice(), inputSize: product(shape), layers,
            outputShape: current.slice(), outputSize: product(current), loss,
            optimizer: readOptimizer(spec.optimizer)};
  }

  // What one data row's targets hold for this model: one value per output
  // (one-hot rows, MSE/BCE targets), or for sparse_categorical_crossentropy one
  // class index per prediction (per step for per-step outputs [T, classes]).
  // -> {predictions, classes, targetSize}
  function targetLayout(model) {
    const classes = model.outputShape[model.outputShape.length - 1];
    const predictions = model.outputSize / classes;
    const sparse = model.loss === 'sparse_categorical_crossentropy';
    return {predictions, classes, targetSize: sparse ? predictions : model.outputSize};
  }

  // Dense chain for frameworks that only have fully connected layers:
  // [{name, inputs, units, activation, useBias}]. `framework` names the
  // framework in "unsupported by <framework>: ..." errors; `reasons` maps a
  // layer type to why the framework cannot run it (`default` for the rest),
  // e.g. {default: 'brain.js has only fully connected layers'}.
  function denseStack(model, framework, dropoutReason, reasons = {}) {
    const unsupported = (reason) => {
      throw new Error(`unsupported by ${framework}: ${reason}`);
    };
    const stack = [];
    for (const layer of model.layers) {
      if (layer.type === 'dense') {
        if (layer.inputShape.length !== 1)
          unsupported(`dense layer '${layer.name}' gets a [${layer.inputShape}] input, not a vector (a dense layer ` +
                      `acts on its last axis, per position; ${framework} has only fully connected layers on vectors)`);
        stack.push({name: layer.name, inputs: layer.inputShape[0], units: layer.units, activation: layer.activation,
                    useBias: layer.useBias});
      } else if (layer.type === 'activation') {
        const last = stack[stack.length - 1];
        if (layer.activation === 'linear') continue;  // identity
        if (!last) unsupported(`activation layer '${layer.name}' comes before any dense layer`);
        if (last.activation !== 'linear')
          unsupported(`activation layer '${layer.name}' follows dense layer '${last.name}' that already applies ` +
                      `'${last.activation}' (two activations in a row cannot be mapped)`);
        last.activation = layer.activation;
      } else if (layer.type === 'dropout') {
        unsupported(`dropout layer '${layer.name}': ${dropoutReason}`);
      } else if (layer.type === 'flatten' || layer.type === 'reshape') {
        // the flat row stays the same; a dense layer after it checks its input
      } else {
        const reason = reasons[layer.type] || reasons.default || `${framework} has only fully connected layers`;
        unsupported(`${layer.type} layer '${layer.name}' (${reason})`);
      }
    }
    if (stack.length === 0) unsupported('the model has no dense layer');
    if (model.outputShape.length !== 1)
      unsupported(`the model's output [${model.outputShape}] is not a vector (${framework} has only fully connected layers)`);
    return stack;
  }

  parts.modelSpec = {readModelSpec, denseStack, targetLayout, product, windowAxis, ACTIVATIONS, LOSSES, LAYER_TYPES,
                     RECURRENT_TYPES, OPTIMIZER_DEFAULTS};
  if (typeof module !== 'undefined' && module.exports) module.exports = parts.modelSpec;
})(typeof window !== 'undefined' ? window : globalThis);
