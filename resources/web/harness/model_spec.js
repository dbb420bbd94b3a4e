// Reads a gapscope.model/1 ModelSpec (docs/model-spec.md) into the plain form
// the runners use: layer names filled in (`<type>_<n>`, counted per type, as
// core/spec does), the loss, and the optimizer with every field set to
// tfjs-layers' default where the spec leaves it out. The C++ side validates
// specs fully before a job gets here; this file checks what the harness relies
// on and says clearly what it cannot read.
//
// denseStack() is the view the non-TF.js frameworks need: a chain of dense
// layers, each with one activation. A dense layer with a linear activation
// followed by an `activation` layer is the same function as one dense layer
// with that activation, so those pairs are fused (exactly, nothing changes);
// anything else that is not a dense layer is reported as unsupported.
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});

  const FORMAT = 'gapscope.model/1';
  const ACTIVATIONS = ['linear', 'elu', 'hard_sigmoid', 'relu', 'relu6', 'selu', 'sigmoid', 'softmax',
                       'softplus', 'softsign', 'tanh', 'swish', 'mish', 'gelu'];
  const LOSSES = ['categorical_crossentropy', 'sparse_categorical_crossentropy', 'binary_crossentropy',
                  'mean_squared_error'];
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

  function readActivation(value, path) {
    const name = value === undefined ? 'linear' : value;
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

  function readModelSpec(spec) {
    if (spec === null || typeof spec !== 'object') fail('the spec must be a JSON object');
    if (spec.format !== FORMAT) fail(`format must be "${FORMAT}", got ${JSON.stringify(spec.format)}`);
    const shape = spec.input && spec.input.shape;
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 1))
      fail(`input.shape must be a non-empty array of integers >= 1, got ${JSON.stringify(shape)}`);
    if (!Array.isArray(spec.layers) || spec.layers.length === 0) fail('layers must be a non-empty array');
    const counts = {};
    const layers = spec.layers.map((raw, i) => {
      const path = `layers[${i}]`;
      if (raw === null || typeof raw !== 'object') fail(`${path} must be an object`);
      const type = raw.type;
      counts[type] = (counts[type] || 0) + 1;
      const name = raw.name || `${type}_${counts[type]}`;
      if (type === 'dense') {
        if (!Number.isInteger(raw.units) || raw.units < 1) fail(`${path}.units must be an integer >= 1, got ${JSON.stringify(raw.units)}`);
        return {type, name, units: raw.units, activation: readActivation(raw.activation, `${path}.activation`),
                useBias: raw.use_bias === undefined ? true : raw.use_bias === true};
      }
      if (type === 'activation') {
        if (raw.activation === undefined) fail(`${path}.activation is missing`);
        return {type, name, activation: readActivation(raw.activation, `${path}.activation`)};
      }
      if (type === 'dropout') {
        if (typeof raw.rate !== 'number' || !(raw.rate >= 0 && raw.rate < 1)) fail(`${path}.rate must be in [0, 1), got ${JSON.stringify(raw.rate)}`);
        return {type, name, rate: raw.rate};
      }
      return fail(`${path}.type: layer type '${type}' is not supported by the web harness (dense, activation, dropout)`);
    });
    const loss = spec.loss === undefined ? 'categorical_crossentropy' : spec.loss;
    if (!LOSSES.includes(loss)) fail(`loss: unknown loss '${loss}'; known: ${LOSSES.join(', ')}`);
    let inputSize = 1;
    for (const d of shape) inputSize *= d;
    return {name: spec.name || '', inputShape: shape.slice(), inputSize, layers, loss,
            optimizer: readOptimizer(spec.optimizer)};
  }

  // Dense chain for frameworks that only have fully connected layers:
  // [{name, inputs, units, activation, useBias}]. `framework` names the
  // framework in "unsupported by <framework>: ..." errors.
  function denseStack(model, framework, dropoutReason) {
    const unsupported = (reason) => {
      throw new Error(`unsupported by ${framework}: ${reason}`);
    };
    if (model.inputShape.length !== 1)
      unsupported(`input shape [${model.inputShape}] is not a vector (dense layers need rank 1)`);
    const stack = [];
    let width = model.inputSize;
    for (const layer of model.layers) {
      if (layer.type === 'dense') {
        stack.push({name: layer.name, inputs: width, units: layer.units, activation: layer.activation,
                    useBias: layer.useBias});
        width = layer.units;
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
      }
    }
    if (stack.length === 0) unsupported('the model has no dense layer');
    return stack;
  }

  parts.modelSpec = {readModelSpec, denseStack, ACTIVATIONS, LOSSES, OPTIMIZER_DEFAULTS};
  if (typeof module !== 'undefined' && module.exports) module.exports = parts.modelSpec;
})(typeof window !== 'undefined' ? window : globalThis);
