// Reads a gapscope.model/1 or gapscope.model/2 ModelSpec (docs/model-spec.md)
// into the plain form the runners use: layer names filled in (`<type>_<n>`,
// counted per type, as core/spec does), each layer's inputs and per-sample
// input and output shapes (no batch axis), a topological execution order, the
// loss, and the optimizer with every field set to tfjs-layers' default where
// the spec leaves it out. The C++ side validates specs fully before a job gets
// here; this file checks what the harness relies on (the fields the runners
// read, the graph, the shapes) and says clearly what it cannot read. Fields it
// does not read (initializers, regularizers, ...) pass through.
//
// Formats: "gapscope.model/1" is a chain (each layer reads the previous one;
// no `inputs` fields); "gapscope.model/2" may be a graph:
//   input   {"shape": [...], "name": "input_1"}; name optional ("input"). Layer
//           names and the input's name share one namespace.
//   inputs  per layer, optional: ["name", ...] (or one "name"), layers listed
//           earlier or later or the input's name. Left out: the previous layer
//           in the list (the model input for layers[0]). Single-input layer
//           types take exactly one input, merge types 2 or more.
//   The model's output is the last layer in the list; every other layer must
//   lead to it (else "unused branch", naming the layers), and the graph must
//   have no cycle (named). Layers may be listed in any order; shapes flow in
//   a topological order (the listed order where it is one).
// The model gets inputName, isGraph (some layer's inputs differ from the
// chain default, or a merge layer is there), order (the execution order, as
// indices into layers) and outputShape (the last layer's); each layer gets
// inputs (resolved names), inputShapes and inputShape (the first input's).
//
// Layer types and the fields read (Keras/TF.js names, defaults as TF.js's):
//   dense               units, activation (linear), use_bias (true); acts on the
//                       last axis: [..., n] -> [..., units]
//   activation          activation
//   relu                max_value: null (no ceiling) or a number >= 0;
//                       negative_slope (0, >= 0); threshold (0, any number).
//                       Keras's ReLU: f(x) = max_value where x >= max_value,
//                       x where threshold < x < max_value, negative_slope *
//                       (x - threshold) below the threshold. With
//                       negative_slope and threshold 0 it is TF.js's ReLU
//                       layer (min(max(x, 0), max_value)); else the harness's
//                       own TF.js layer (tfjs_layers.js); any shape
//   leaky_relu          alpha (0.3, >= 0): x where x > 0, else alpha * x
//                       (TF.js's LeakyReLU); any shape
//   softmax             axis: -1, or the last axis counted with the batch
//                       axis (the rank of the per-sample shape); softmax over
//                       the last axis only (TF.js's tf.softmax); any shape
//   dropout             rate in [0, 1)
//   conv2d              filters, kernel_size [kh, kw], strides [sh, sw] ([1, 1]),
//                       padding valid|same (valid), dilation_rate [dh, dw]
//                       ([1, 1]; above 1 only with strides [1, 1], as TF.js),
//                       activation (linear), use_bias (true); input [H, W, C]
//                       (channels-last); a dilated kernel spans (k - 1) * d + 1
//                       pixels (its window in the arithmetic below)
//   depthwise_conv2d    kernel_size [kh, kw], strides [sh, sw] ([1, 1]), padding
//                       valid|same (valid), depth_multiplier (1, integer >= 1),
//                       activation (linear), use_bias (true): M filters per
//                       input channel, each reading that channel only (TF.js's
//                       DepthwiseConv2D); [H, W, C] -> [OH, OW, C * M] with
//                       conv2d's window arithmetic; weights depthwise_kernel
//                       [kh, kw, C, M] and bias [C * M] (output channel c * M
//                       + m); depthwise_initializer, bias_initializer pass
//                       through
//   separable_conv2d    filters, kernel_size [kh, kw], strides [sh, sw] ([1, 1]),
//                       padding valid|same (valid), depth_multiplier (1,
//                       integer >= 1), activation (linear), use_bias (true):
//                       a depthwise convolution (as depthwise_conv2d, without
//                       bias or activation) then a 1x1 convolution to filters
//                       with the bias and activation (TF.js's
//                       SeparableConv2D); [H, W, C] -> [OH, OW, filters] with
//                       conv2d's window arithmetic; weights depthwise_kernel
//                       [kh, kw, C, M], pointwise_kernel [1, 1, C * M,
//                       filters] and bias [filters]; depthwise_initializer,
//                       pointwise_initializer, bias_initializer pass through
//   max_pooling2d,      pool_size [ph, pw] ([2, 2]), strides (pool_size), padding;
//   average_pooling2d   input [H, W, C]
//   global_average_pooling2d, global_max_pooling2d
//                       no fields; [H, W, C] -> [C] (mean or maximum over H, W)
//   up_sampling2d       size [sh, sw] ([2, 2]), interpolation ("nearest", the
//                       only one): [H, W, C] -> [H * sh, W * sw, C], each pixel
//                       repeated (TF.js's UpSampling2D)
//   zero_padding2d      padding (1): zeros added, [H, W, C] -> [H + top + bottom,
//                       W + left + right, C]
//   cropping2d          cropping (0): rows and columns taken away, [H, W, C] ->
//                       [H - top - bottom, W - left - right, C], at least 1 of
//                       each left
//                       padding/cropping as n (every side), [h, w] (h top and
//                       bottom, w left and right), [[top, bottom], [left,
//                       right]] (Keras's form) or [top, bottom, left, right]
//                       (the spec's canonical form, what core/spec writes);
//                       integers >= 0. The layer gets padding/cropping as
//                       [top, bottom, left, right].
//   flatten             -> [product] (TF.js's Flatten needs rank >= 2 per sample)
//   reshape             target_shape (no -1), same element count
//   batch_normalization momentum (0.99), epsilon (1e-3) > 0, center (true),
//                       scale (true); over the last axis (axis -1, or the last
//                       axis counted with the batch axis); weights gamma (if
//                       scale), beta (if center), moving_mean, moving_variance
//   layer_normalization axis (-1, or the last axis counted with the batch axis),
//                       epsilon (1e-3) > 0, center (true), scale (true): each
//                       position normalised over the last axis, (x - mean) /
//                       sqrt(variance + epsilon) (biased variance) * gamma +
//                       beta (TF.js's LayerNormalization); weights gamma [C]
//                       (if scale), beta [C] (if center); any shape
//   embedding           input_dim, output_dim; [T] ids -> [T, output_dim] (the
//                       job checks the ids where it reads the model input)
//   simple_rnn, lstm,   units, activation (tanh), recurrent_activation (lstm,
//   gru                 gru: hard_sigmoid), use_bias (true), return_sequences
//                       (false), unit_forget_bias (lstm: true), reset_after
//                       (gru: false only, the only GRU TF.js 4.22 has);
//                       input [T, F] -> [T, units] or [units]
//   add, average,       merges (model/2): 2 or more inputs of one shape ->
//   multiply, maximum   that shape, element by element; no weights
//   concatenate         merge (model/2): axis (-1); a positive axis counts the
//                       batch axis as 0, as Keras writes it (inputs of rank r:
//                       -r..-1 or 1..r); inputs equal on every other axis ->
//                       their sizes summed along the axis; no weights
// Sizes written as one integer (kernel_size: 3) mean [3, 3], as in Keras.
// Valid convolution/pooling: out = floor((in - k) / s) + 1; same: ceil(in / s)
// (k the window: a dilated kernel's (k - 1) * d + 1).
//
// chainLayers() is the view of the frameworks that run a chain of layers
// only (ConvNetJS, brain.js, synaptic): the layers in execution order, or
// "unsupported by <framework>: ..." naming a layer that takes 2 or more
// inputs, or one (or the input) that 2 or more layers read.
// denseStack() is the view the dense-only frameworks need: a chain of dense
// layers, each with one activation. A dense layer with a linear activation
// followed by an `activation` layer is the same function as one dense layer
// with that activation, so those pairs are fused (exactly, nothing changes);
// so is a plain `relu` layer (no max_value, negative_slope 0, threshold 0)
// and a `softmax` layer on the dense layer's vector of outputs (softmax); a
// relu with max_value, negative_slope or threshold is refused, as is a
// `leaky_relu` layer (reasons.leaky_relu says why, for both);
// flatten and reshape only relabel the flat row (data rows are flat already),
// so they map as long as every dense layer gets a vector. Any other layer is
// reported as unsupported, naming the first one.
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});

  const CHAIN_FORMAT = 'gapscope.model/1';
  const GRAPH_FORMAT = 'gapscope.model/2';
  const FORMATS = [CHAIN_FORMAT, GRAPH_FORMAT];
  const DEFAULT_INPUT_NAME = 'input';
  const ACTIVATIONS = ['linear', 'elu', 'hard_sigmoid', 'relu', 'relu6', 'selu', 'sigmoid', 'softmax',
                       'softplus', 'softsign', 'tanh', 'swish', 'mish', 'gelu'];
  const LOSSES = ['categorical_crossentropy', 'sparse_categorical_crossentropy', 'binary_crossentropy',
                  'mean_squared_error'];
  // In core/layers/layer_registry.cpp's order (tests/core/layers/
  // layer_registry_test.cpp compares the two).
  const LAYER_TYPES = ['dense', 'activation', 'relu', 'leaky_relu', 'softmax', 'dropout', 'conv2d', 'depthwise_conv2d',
                       'separable_conv2d', 'max_pooling2d', 'average_pooling2d', 'global_average_pooling2d',
                       'global_max_pooling2d', 'up_sampling2d', 'zero_padding2d', 'cropping2d', 'flatten', 'reshape',
                       'batch_normalization', 'layer_normalization', 'embedding', 'simple_rnn', 'lstm', 'gru', 'add',
                       'average', 'multiply', 'maximum', 'concatenate'];
  // Layers of 2 or more inputs (gapscope.model/2); every other type takes one.
  const MERGE_TYPES = ['add', 'average', 'multiply', 'maximum', 'concatenate'];
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

  // Rows/columns on each side of an image, as [top, bottom, left, right]
  // (integers >= 0), from n, [h, w], [[top, bottom], [left, right]] or
  // [top, bottom, left, right]; `fallback` (an integer) where left out.
  function readSides(value, path, fallback) {
    if (value === undefined || value === null) return [fallback, fallback, fallback, fallback];
    const side = (d) => Number.isInteger(d) && d >= 0;
    if (side(value)) return [value, value, value, value];
    if (Array.isArray(value)) {
      if (value.length === 2 && value.every(side)) return [value[0], value[0], value[1], value[1]];
      if (value.length === 2 && value.every((pair) => Array.isArray(pair) && pair.length === 2 && pair.every(side)))
        return value[0].concat(value[1]);
      if (value.length === 4 && value.every(side)) return value.slice();
    }
    return fail(`${path} must be an integer, [height, width], [[top, bottom], [left, right]] or ` +
                `[top, bottom, left, right] (integers >= 0), got ${JSON.stringify(value)}`);
  }

  // A finite number >= `minimum` (-Infinity: any), `fallback` where left out.
  function readNumber(value, path, fallback, minimum = -Infinity) {
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < minimum)
      fail(`${path} must be a ${minimum === -Infinity ? 'finite number' : `number >= ${minimum}`}, got ${JSON.stringify(value)}`);
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

  // An axis field (-1 where left out): an integer, checked against the shape
  // later (-1, or the last axis counted with the batch axis, as Keras writes
  // 3 for images).
  function readAxis(value, path) {
    const axis = value === undefined || value === null ? -1 : value;
    if (!Number.isInteger(axis)) fail(`${path} must be an integer, got ${JSON.stringify(value)}`);
    return axis;
  }

  // A conv2d layer with a dilation rate above 1 on an axis.
  function isDilated(layer) {
    return Boolean(layer.dilationRate) && layer.dilationRate.some((d) => d !== 1);
  }

  // A relu layer's fields other than max_value that are not 0, as a reason
  // names them ("negative_slope 0.1 and threshold 0.5"), or '' for none.
  function reluSlopeFields(layer) {
    const set = [];
    if (layer.negativeSlope) set.push(`negative_slope ${layer.negativeSlope}`);
    if (layer.threshold) set.push(`threshold ${layer.threshold}`);
    return set.join(' and ');
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
      case 'relu': {
        const maxValue = raw.max_value === undefined ? null : raw.max_value;
        if (maxValue !== null && (typeof maxValue !== 'number' || !Number.isFinite(maxValue) || maxValue < 0))
          fail(`${path}.max_value must be null (no ceiling) or a number >= 0, got ${JSON.stringify(raw.max_value)}`);
        return {type, name, maxValue, negativeSlope: readNumber(raw.negative_slope, field('negative_slope'), 0, 0),
                threshold: readNumber(raw.threshold, field('threshold'), 0)};
      }
      case 'leaky_relu':
        return {type, name, alpha: readNumber(raw.alpha, field('alpha'), 0.3, 0)};
      case 'softmax': {
        // -1, or the last axis counted with the batch axis: checked against the shape.
        const axis = raw.axis === undefined || raw.axis === null ? -1 : raw.axis;
        if (!Number.isInteger(axis)) fail(`${path}.axis must be an integer, got ${JSON.stringify(raw.axis)}`);
        return {type, name, axis};
      }
      case 'dropout':
        if (typeof raw.rate !== 'number' || !(raw.rate >= 0 && raw.rate < 1)) fail(`${path}.rate must be in [0, 1), got ${JSON.stringify(raw.rate)}`);
        return {type, name, rate: raw.rate};
      case 'conv2d': {
        const layer = {type, name, filters: readCount(raw.filters, field('filters')),
                       kernelSize: readPair(raw.kernel_size, field('kernel_size')),
                       strides: readPair(raw.strides, field('strides'), [1, 1]),
                       padding: readPadding(raw.padding, field('padding')),
                       dilationRate: readPair(raw.dilation_rate, field('dilation_rate'), [1, 1]),
                       activation: readActivation(raw.activation, field('activation')),
                       useBias: readBool(raw.use_bias, field('use_bias'), true)};
        if (isDilated(layer) && layer.strides.some((s) => s !== 1))
          fail(`${path}: dilation_rate [${layer.dilationRate}] needs strides [1,1], got [${layer.strides}] (a convolution ` +
               'is either dilated or strided, as in TF.js)');
        return layer;
      }
      case 'depthwise_conv2d':
        return {type, name, kernelSize: readPair(raw.kernel_size, field('kernel_size')),
                strides: readPair(raw.strides, field('strides'), [1, 1]),
                padding: readPadding(raw.padding, field('padding')),
                depthMultiplier: raw.depth_multiplier === undefined || raw.depth_multiplier === null
                    ? 1 : readCount(raw.depth_multiplier, field('depth_multiplier')),
                activation: readActivation(raw.activation, field('activation')),
                useBias: readBool(raw.use_bias, field('use_bias'), true)};
      case 'separable_conv2d':
        return {type, name, filters: readCount(raw.filters, field('filters')),
                kernelSize: readPair(raw.kernel_size, field('kernel_size')),
                strides: readPair(raw.strides, field('strides'), [1, 1]),
                padding: readPadding(raw.padding, field('padding')),
                depthMultiplier: raw.depth_multiplier === undefined || raw.depth_multiplier === null
                    ? 1 : readCount(raw.depth_multiplier, field('depth_multiplier')),
                activation: readActivation(raw.activation, field('activation')),
                useBias: readBool(raw.use_bias, field('use_bias'), true)};
      case 'max_pooling2d':
      case 'average_pooling2d': {
        const poolSize = readPair(raw.pool_size, field('pool_size'), [2, 2]);
        return {type, name, poolSize, strides: readPair(raw.strides, field('strides'), poolSize),
                padding: readPadding(raw.padding, field('padding'))};
      }
      case 'global_average_pooling2d':
      case 'global_max_pooling2d':
        return {type, name};
      case 'up_sampling2d': {
        const interpolation = raw.interpolation === undefined || raw.interpolation === null ? 'nearest' : raw.interpolation;
        if (interpolation !== 'nearest')
          fail(`${path}.interpolation must be "nearest" (the only one supported), got ${JSON.stringify(raw.interpolation)}`);
        return {type, name, size: readPair(raw.size, field('size'), [2, 2]), interpolation};
      }
      case 'zero_padding2d':
        return {type, name, padding: readSides(raw.padding, field('padding'), 1)};
      case 'cropping2d':
        return {type, name, cropping: readSides(raw.cropping, field('cropping'), 0)};
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
        return {type, name, momentum, axis: readAxis(raw.axis, field('axis')),
                epsilon: readPositive(raw.epsilon, field('epsilon'), 1e-3),
                center: readBool(raw.center, field('center'), true), scale: readBool(raw.scale, field('scale'), true)};
      }
      case 'layer_normalization':
        return {type, name, axis: readAxis(raw.axis, field('axis')), epsilon: readPositive(raw.epsilon, field('epsilon'), 1e-3),
                center: readBool(raw.center, field('center'), true), scale: readBool(raw.scale, field('scale'), true)};
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
      case 'add':
      case 'multiply':
      case 'average':
      case 'maximum':
        return {type, name};
      case 'concatenate': {
        // checked against the inputs' rank in mergeOutputShape
        const axis = raw.axis === undefined || raw.axis === null ? -1 : raw.axis;
        if (!Number.isInteger(axis)) fail(`${path}.axis must be an integer, got ${JSON.stringify(raw.axis)}`);
        return {type, name, axis};
      }
      default:
        return fail(`${path}.type: unknown layer type ${JSON.stringify(type)}; known: ${LAYER_TYPES.join(', ')}`);
    }
  }

  // The pixels a conv/pool layer's window spans, [height, width]: the kernel
  // or pool size; a dilated kernel's (k - 1) * d + 1 (TF.js's effective
  // filter size).
  function windowOf(layer) {
    if (!layer.kernelSize) return layer.poolSize.slice();
    const dilation = layer.dilationRate || [1, 1];
    return layer.kernelSize.map((k, axis) => (k - 1) * dilation[axis] + 1);
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
      case 'layer_normalization':
        if (layer.axis !== -1 && layer.axis !== shape.length)
          fail(`${where}: axis ${layer.axis} is not the last axis; ${layer.type} normalises over the last ` +
               `axis only (-1, or ${shape.length} for this input of rank ${shape.length})`);
        return shape.slice();
      case 'softmax':
        if (layer.axis !== -1 && layer.axis !== shape.length)
          fail(`${where}: axis ${layer.axis} is not the last axis; softmax normalises over the last axis only ` +
               `(-1, or ${shape.length} for this input of rank ${shape.length})`);
        return shape.slice();
      case 'activation':
      case 'relu':
      case 'leaky_relu':
      case 'dropout':
        return shape.slice();
      case 'global_average_pooling2d':
      case 'global_max_pooling2d':
        image();
        return [shape[2]];
      case 'up_sampling2d':
        image();
        return [shape[0] * layer.size[0], shape[1] * layer.size[1], shape[2]];
      case 'zero_padding2d': {
        image();
        const [top, bottom, left, right] = layer.padding;
        return [shape[0] + top + bottom, shape[1] + left + right, shape[2]];
      }
      case 'cropping2d': {
        image();
        const [top, bottom, left, right] = layer.cropping;
        const out = [shape[0] - top - bottom, shape[1] - left - right, shape[2]];
        if (out[0] < 1 || out[1] < 1)
          fail(`${where}: cropping [${layer.cropping}] (top, bottom, left, right) leaves ${out[0]} rows and ${out[1]} ` +
               `columns of its [${shape}] input; at least 1 of each must remain`);
        return out;
      }
      case 'conv2d':
      case 'depthwise_conv2d':
      case 'separable_conv2d':
      case 'max_pooling2d':
      case 'average_pooling2d': {
        image();
        const window = windowOf(layer);
        const out = [0, 1].map((axis) => windowAxis(shape[axis], window[axis], layer.strides[axis], layer.padding).out);
        if (out[0] < 1 || out[1] < 1)
          fail(`${where}: window [${window}]${isDilated(layer) ? ` (kernel_size [${layer.kernelSize}] dilated by ` +
               `[${layer.dilationRate}])` : ''} is larger than the input's [${shape.slice(0, 2)}] with padding valid`);
        const channels = layer.type === 'conv2d' || layer.type === 'separable_conv2d' ? layer.filters
                         : layer.type === 'depthwise_conv2d' ? shape[2] * layer.depthMultiplier : shape[2];
        return out.concat([channels]);
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

  // A merge layer's per-sample output shape for its inputs' shapes, or a spec
  // error naming the layer, its inputs and their shapes. concatenate's
  // per-sample axis (0-based, batch axis left out) goes into layer.concatAxis.
  function mergeOutputShape(layer, shapes, path) {
    const where = `${path} (${layer.type} '${layer.name}')`;
    const listed = () => layer.inputs.map((name, k) => `'${name}' [${shapes[k]}]`).join(', ');
    if (layer.type !== 'concatenate') {
      const first = shapes[0];
      if (shapes.some((s) => s.length !== first.length || s.some((d, k) => d !== first[k])))
        fail(`${where}: its inputs have different shapes: ${listed()} (${layer.type} needs them all the same)`);
      return first.slice();
    }
    const rank = shapes[0].length;
    const axis = layer.axis;
    if (axis === 0 || axis < -rank || axis > rank)
      fail(`${where}: axis ${axis} is not an axis of its inputs of rank ${rank} (-${rank}..-1, or 1..${rank} ` +
           'counting the batch axis as 0)');
    const at = axis < 0 ? rank + axis : axis - 1;
    if (shapes.some((s) => s.length !== rank || s.some((d, k) => k !== at && d !== shapes[0][k])))
      fail(`${where}: its inputs ${listed()} differ on an axis other than the concatenation axis ${axis}`);
    layer.concatAxis = at;
    const out = shapes[0].slice();
    out[at] = shapes.reduce((sum, s) => sum + s[at], 0);
    return out;
  }

  // The layers' execution order (indices): a topological order that keeps the
  // listed order where it can (a chain listed in order gives 0..n-1), or a
  // spec error naming the layers of a cycle.
  function topologicalOrder(layers, indexOf, inputName) {
    const n = layers.length;
    const waiting = layers.map((l) => l.inputs.filter((name) => name !== inputName).length);
    const readers = layers.map(() => []);
    layers.forEach((l, i) => {
      for (const name of l.inputs) if (name !== inputName) readers[indexOf.get(name)].push(i);
    });
    const order = [];
    const done = new Array(n).fill(false);
    // Picking the first ready layer each time keeps the listed order; it is
    // quadratic in the layer count (milliseconds for thousands of layers).
    for (let step = 0; step < n; ++step) {
      let next = -1;
      for (let i = 0; i < n && next < 0; ++i) if (!done[i] && waiting[i] === 0) next = i;
      if (next < 0) break;
      done[next] = true;
      order.push(next);
      for (const r of readers[next]) --waiting[r];
    }
    if (order.length === n) return order;
    // What is left holds a cycle (and maybe layers after one): walk back from
    // a waiting layer through waiting inputs until a layer repeats.
    let at = layers.findIndex((l, i) => !done[i]);
    const seen = new Map();
    const walk = [];
    while (!seen.has(at)) {
      seen.set(at, walk.length);
      walk.push(at);
      const input = layers[at].inputs.find((name) => name !== inputName && !done[indexOf.get(name)]);
      at = indexOf.get(input);
    }
    const loop = walk.slice(seen.get(at)).reverse();  // in data-flow order
    const first = loop.indexOf(Math.min(...loop));
    const cycle = loop.slice(first).concat(loop.slice(0, first));  // from the first listed
    const named = (i) => `layers[${i}] (${layers[i].type} '${layers[i].name}')`;
    const path = cycle.concat([cycle[0]]).map((i) => `'${layers[i].name}'`).join(' -> ');
    if (cycle.length === 1) return fail(`${named(cycle[0])} reads its own output (a cycle: ${path})`);
    return fail(`${cycle.map(named).join(', ')} form a cycle: ${path}`);
  }

  function readModelSpec(spec) {
    if (spec === null || typeof spec !== 'object') fail('the spec must be a JSON object');
    if (!FORMATS.includes(spec.format))
      fail(`format must be ${FORMATS.map((f) => `"${f}"`).join(' or ')}, got ${JSON.stringify(spec.format)}`);
    const graphFormat = spec.format === GRAPH_FORMAT;
    const shape = spec.input && spec.input.shape;
    if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isInteger(d) && d >= 1))
      fail(`input.shape must be a non-empty array of integers >= 1, got ${JSON.stringify(shape)}`);
    const rawInputName = spec.input.name;
    if (rawInputName !== undefined && rawInputName !== null && (typeof rawInputName !== 'string' || rawInputName === ''))
      fail(`input.name must be a non-empty string, got ${JSON.stringify(rawInputName)}`);
    const inputName = rawInputName || DEFAULT_INPUT_NAME;
    if (!Array.isArray(spec.layers) || spec.layers.length === 0) fail('layers must be a non-empty array');

    // 1. each layer's fields and name (names may be read before they are listed)
    const counts = {};
    const indexOf = new Map();
    const rawInputs = [];
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
      if (indexOf.has(name))
        fail(`${path}.name '${name}' is used by an earlier layer, layers[${indexOf.get(name)}] (weights are found by layer name)`);
      if (name === inputName)
        fail(`${path}.name '${name}' is the input's name (layers and the input share one namespace)`);
      indexOf.set(name, i);
      if (raw.inputs !== undefined && raw.inputs !== null) {
        if (!graphFormat)
          fail(`${path}.inputs: a ${CHAIN_FORMAT} spec is a chain (each layer reads the previous one); ` +
               `inputs needs format "${GRAPH_FORMAT}"`);
        const list = typeof raw.inputs === 'string' ? [raw.inputs] : raw.inputs;  // one name, as core/spec reads it
        if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v !== ''))
          fail(`${path}.inputs must be a non-empty array of layer names or the input's name, got ${JSON.stringify(raw.inputs)}`);
        rawInputs.push(list.slice());
      } else {
        rawInputs.push(null);
      }
      return readLayer(raw, path, type, name);
    });

    // 2. inputs: resolved, counted against the layer type
    let isGraph = false;
    layers.forEach((layer, i) => {
      const path = `layers[${i}]`;
      const where = `${path} (${layer.type} '${layer.name}')`;
      const chainInput = i === 0 ? inputName : layers[i - 1].name;
      const inputs = rawInputs[i] || [chainInput];
      for (const name of inputs)
        if (name !== inputName && !indexOf.has(name))
          fail(`${where}: input '${name}' is neither a layer nor the input ('${inputName}')`);
      const merge = MERGE_TYPES.includes(layer.type);
      if (merge && !graphFormat)
        fail(`${where}: merge layers need format "${GRAPH_FORMAT}" and their inputs (a ${CHAIN_FORMAT} spec is a chain)`);
      if (merge && inputs.length < 2)
        fail(`${where} merges 2 or more inputs, got ${inputs.length} (${inputs.map((n) => `'${n}'`).join(', ')})` +
             (rawInputs[i] ? '' : '; list them in its inputs'));
      if (!merge && inputs.length !== 1)
        fail(`${where} takes one input, got ${inputs.length} (${inputs.map((n) => `'${n}'`).join(', ')}); ` +
             `the merge layers (${MERGE_TYPES.join(', ')}) take several`);
      if (merge || inputs[0] !== chainInput) isGraph = true;
      layer.inputs = inputs;
    });

    // 3. execution order, then every layer must lead to the output (the last)
    const order = topologicalOrder(layers, indexOf, inputName);
    const last = layers.length - 1;
    const leads = new Array(layers.length).fill(false);
    leads[last] = true;
    for (let k = order.length - 1; k >= 0; --k) {
      const i = order[k];
      if (leads[i]) for (const name of layers[i].inputs) if (name !== inputName) leads[indexOf.get(name)] = true;
    }
    const unused = layers.map((l, i) => i).filter((i) => !leads[i]);
    if (unused.length > 0)
      fail(`unused branch: ${unused.map((i) => `layers[${i}] (${layers[i].type} '${layers[i].name}')`).join(', ')} ` +
           `${unused.length === 1 ? 'does' : 'do'} not lead to the model's output, the last layer ` +
           `layers[${last}] (${layers[last].type} '${layers[last].name}')`);

    // 4. shapes, in execution order
    const shapeOf = new Map([[inputName, shape.slice()]]);
    for (const i of order) {
      const layer = layers[i];
      const path = `layers[${i}]`;
      layer.inputShapes = layer.inputs.map((name) => shapeOf.get(name).slice());
      layer.inputShape = layer.inputShapes[0];
      layer.outputShape = MERGE_TYPES.includes(layer.type)
          ? mergeOutputShape(layer, layer.inputShapes, path) : outputShape(layer, layer.inputShape, path);
      shapeOf.set(layer.name, layer.outputShape);
    }
    const output = layers[last].outputShape;
    const loss = spec.loss === undefined ? 'categorical_crossentropy' : spec.loss;
    if (!LOSSES.includes(loss)) fail(`loss: unknown loss '${loss}'; known: ${LOSSES.join(', ')}`);
    return {name: spec.name || '', format: spec.format, inputName, inputShape: shape.slice(), inputSize: product(shape),
            layers, isGraph, order, outputShape: output.slice(), outputSize: product(output), loss,
            optimizer: readOptimizer(spec.optimizer)};
  }

  // The layers that read the model input.
  function inputReaders(model) {
    return model.layers.filter((l) => l.inputs.includes(model.inputName));
  }

  // For frameworks that run a chain of layers only: the layers in execution
  // order, or "unsupported by <framework>: ..." naming the first layer (in
  // that order) that takes 2 or more inputs, or that 2 or more layers read.
  // `title` is the framework as the reason names it (e.g. 'brain.js').
  function chainLayers(model, framework, title = framework) {
    const unsupported = (reason) => {
      throw new Error(`unsupported by ${framework}: ${title} runs a chain of layers; ${reason}`);
    };
    if (!model.isGraph) return model.layers.slice();  // the listed order is the chain's
    const layers = model.order.map((i) => model.layers[i]);
    const quote = (names) => names.map((n) => `'${n}'`).join(', ');
    const readersOf = (name) => model.layers.filter((l) => l.inputs.includes(name)).map((l) => l.name);
    const fanOut = readersOf(model.inputName);
    if (fanOut.length > 1) unsupported(`the input '${model.inputName}' is used by ${fanOut.length} layers (${quote(fanOut)})`);
    for (const layer of layers) {
      if (layer.inputs.length > 1)
        unsupported(`layer '${layer.name}' takes ${layer.inputs.length} inputs (${layer.type}: ${quote(layer.inputs)})`);
      const readers = readersOf(layer.name);
      if (readers.length > 1) unsupported(`layer '${layer.name}' is used by ${readers.length} layers (${quote(readers)})`);
    }
    return layers;  // a chain, listed in another order or with its inputs written out
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

  // Dense chain for frameworks that only have fully connected layers (in
  // execution order; graphs are refused by chainLayers):
  // [{name, inputs, units, activation, useBias, activationFrom}]: an
  // `activation` layer, a plain `relu` layer (relu) or a `softmax` layer
  // (softmax, on a vector) right after a linear dense layer is fused into it
  // (activationFrom then names that layer, e.g. "softmax layer
  // 'softmax_1'"); a relu with max_value, negative_slope or threshold is
  // refused. `framework` names the framework in "unsupported by <framework>:
  // ..." errors; `reasons` maps a layer type to why the framework cannot run
  // it (`default` for the rest), e.g. {default: 'brain.js has only fully
  // connected layers'}; reasons.leaky_relu also says why a relu with
  // negative_slope or threshold is refused.
  // `title` names the framework in the reason a graph is refused with
  // (chainLayers).
  function denseStack(model, framework, dropoutReason, reasons = {}, title = framework) {
    const unsupported = (reason) => {
      throw new Error(`unsupported by ${framework}: ${reason}`);
    };
    const stack = [];
    // An activation, relu or softmax layer: into the dense layer before it.
    const fuse = (layer, activation) => {
      if (activation === 'linear') return;  // identity
      const what = `${layer.type} layer '${layer.name}'`;
      const last = stack[stack.length - 1];
      if (!last) unsupported(`${what} comes before any dense layer`);
      if (last.activation !== 'linear')
        unsupported(`${what} follows dense layer '${last.name}' that already applies ` +
                    `'${last.activation}' (two activations in a row cannot be mapped)`);
      // softmax normalises over the last axis: the dense layer's outputs only
      // where it gets them as a vector (not reshaped in between)
      if (activation === 'softmax' && layer.inputShape.length !== 1)
        unsupported(`${what} applies softmax over the last axis of its [${layer.inputShape}] input, not over dense ` +
                    `layer '${last.name}''s ${last.units} outputs`);
      last.activation = activation;
      last.activationFrom = what;
    };
    for (const layer of chainLayers(model, framework, title)) {
      if (layer.type === 'dense') {
        if (layer.inputShape.length !== 1)
          unsupported(`dense layer '${layer.name}' gets a [${layer.inputShape}] input, not a vector (a dense layer ` +
                      `acts on its last axis, per position; ${framework} has only fully connected layers on vectors)`);
        stack.push({name: layer.name, inputs: layer.inputShape[0], units: layer.units, activation: layer.activation,
                    useBias: layer.useBias});
      } else if (layer.type === 'activation') {
        fuse(layer, layer.activation);
      } else if (layer.type === 'relu') {
        const slope = reluSlopeFields(layer);
        if (slope)
          unsupported(`relu layer '${layer.name}' has ${slope} (${reasons.leaky_relu || `${title} has no leaky or ` +
                                                                  'thresholded relu'})`);
        if (layer.maxValue !== null)
          unsupported(`relu layer '${layer.name}' has max_value ${layer.maxValue} (a capped relu, min(max(x, 0), ` +
                      `${layer.maxValue}); ${title} has no capped relu)`);
        fuse(layer, 'relu');
      } else if (layer.type === 'softmax') {
        fuse(layer, 'softmax');
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

  parts.modelSpec = {readModelSpec, denseStack, chainLayers, inputReaders, targetLayout, product, windowAxis, windowOf,
                     isDilated, reluSlopeFields, ACTIVATIONS,
                     LOSSES, LAYER_TYPES, MERGE_TYPES, RECURRENT_TYPES, OPTIMIZER_DEFAULTS, FORMATS};
  if (typeof module !== 'undefined' && module.exports) module.exports = parts.modelSpec;
})(typeof window !== 'undefined' ? window : globalThis);
