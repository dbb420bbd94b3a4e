// The spec layers TF.js 4.22 cannot run as they are, and the harness's own
// TF.js layer classes for them. Before loading, the harness points each such
// entry of the job's model.json at its class (topologyFor, found by the
// layer's name; a copy, the job's model.json is left as it is); every other
// layer stays TF.js's own.
//
// 1. A `relu` layer with negative_slope or threshold (Keras's ReLU): TF.js's
// ReLU layer has only maxValue, and it reads a model.json entry that carries
// negative_slope or threshold without a word, as a plain relu (its
// constructor ignores fields it does not know): GapscopeReLU, built from
// TF.js ops, with max_value, negative_slope and threshold from the spec. A
// relu with both 0 stays TF.js's ReLU (min(max(x, 0), max_value)).
//
// GapscopeReLU, Keras's ReLU (the spec's rule):
//   f(x) = max_value                         x >= max_value
//          x                                 threshold < x < max_value
//          negative_slope * (x - threshold)  x <= threshold (0 at the threshold,
//                                            as Keras's backend computes it)
// Its gradient (tf.customGrad, so autodiff trains through it on every
// backend; the ops are GreaterEqual, Greater, Select, Sub, Mul, Fill, all of
// them in TF.js 4.22's cpu, wasm and webgl backends) is the left-hand
// derivative at every kink, the convention of TF.js's own relu-like ops:
//   f'(x) = 0                   x > max_value
//           1                   threshold < x <= max_value
//           negative_slope      x <= threshold
// TF.js's Relu gives 0 at x = 0, LeakyRelu alpha at x = 0, and the ReLU
// layer's clipByValue(relu(x), 0, max_value) passes the gradient at x =
// max_value (inclusive): the same rule.
//
// 2. batch_normalization or layer_normalization with center or scale false
// (no beta, no gamma): TF.js 4.22 computes them, but cannot train them.
// BatchNormalization's training pass calls this.gamma.read() and
// this.beta.read() whatever center and scale say (a TypeError without them);
// LayerNormalization passes null for them to tf.batchNormalization, whose
// gradient (FusedBatchNorm's) then fails (it saves the scale input, and
// reads the offset's). GapscopeBatchNormalization and
// GapscopeLayerNormalization are TF.js's own classes, the same code, given a
// constant in place of each missing weight: ones for gamma, zeros for beta
// (not weights: nothing trains them, and x * 1 + 0 is x exactly). Weights
// and config are TF.js's, and so are the values (BatchNormalization's
// inference pass does not read the constants); training now runs, with the
// gradient TF.js's fused op gives (normalization.test.mjs: the same steps as
// TF.js's own layer with gamma 1 and beta 0).
//
// register(tf) defines and registers the classes once per TF.js instance (the
// page's, or TF.js in node for the tests); topologyFor(topology, model) ->
// the topology to load.
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});
  const RELU_CLASS = 'GapscopeReLU';
  // spec layer type -> the harness's class for it without gamma or beta
  const NORMALIZATION_CLASSES = {batch_normalization: 'GapscopeBatchNormalization',
                                 layer_normalization: 'GapscopeLayerNormalization'};
  const classes = new WeakMap();  // tf -> {GapscopeReLU, ...}

  // A relu layer (the spec's, as model_spec.js reads it) that TF.js's ReLU
  // cannot compute.
  const needsOwnRelu = (layer) => layer.type === 'relu' && (layer.negativeSlope !== 0 || layer.threshold !== 0);

  // A normalization layer without gamma or beta.
  const needsOwnNormalization = (layer) => Boolean(NORMALIZATION_CLASSES[layer.type]) && !(layer.center && layer.scale);

  // TF.js's normalization class `Base` (BatchNormalization or
  // LayerNormalization), registered as `className`, whose call() sees ones
  // for a missing gamma and zeros for a missing beta. LayerNormalization
  // reads them where its scale/center flag says so: those are set for the
  // call as well (and put back).
  function withStandIns(tf, Base, className, setsFlags) {
    return class extends Base {
      call(inputs, kwargs) {
        const input = Array.isArray(inputs) ? inputs[0] : inputs;
        const channels = input.shape[input.shape.length - 1];
        const saved = {gamma: this.gamma, beta: this.beta, scale: this.scale, center: this.center};
        return tf.tidy(() => {
          if (!this.scale) {
            const ones = tf.ones([channels]);
            this.gamma = {read: () => ones};
          }
          if (!this.center) {
            const zeros = tf.zeros([channels]);
            this.beta = {read: () => zeros};
          }
          if (setsFlags) Object.assign(this, {scale: true, center: true});
          try {
            return super.call(inputs, kwargs);
          } finally {
            Object.assign(this, saved);
          }
        });
      }

      static get className() {
        return className;
      }
    };
  }

  function register(tf) {
    if (classes.has(tf)) return classes.get(tf);
    class GapscopeReLU extends tf.layers.Layer {
      constructor(args = {}) {
        super(args);
        this.supportsMasking = true;
        this.maxValue = args.maxValue === undefined ? null : args.maxValue;
        this.negativeSlope = args.negativeSlope || 0;
        this.threshold = args.threshold || 0;
      }

      computeOutputShape(inputShape) {
        return inputShape;
      }

      call(inputs) {
        const x = Array.isArray(inputs) ? inputs[0] : inputs;
        const {maxValue, negativeSlope, threshold} = this;
        const relu = tf.customGrad((input, save) => {
          save([input]);
          let value = tf.where(tf.greater(input, threshold), input, tf.mul(tf.sub(input, threshold), negativeSlope));
          if (maxValue !== null) value = tf.where(tf.greaterEqual(input, maxValue), tf.fill(input.shape, maxValue), value);
          return {
            value,
            gradFunc: (dy, [saved]) => {
              let slope = tf.where(tf.greater(saved, threshold), tf.onesLike(saved), tf.fill(saved.shape, negativeSlope));
              if (maxValue !== null) slope = tf.where(tf.greater(saved, maxValue), tf.zerosLike(saved), slope);
              return tf.mul(dy, slope);
            },
          };
        });
        return tf.tidy(() => relu(x));
      }

      getConfig() {
        return Object.assign({maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold},
                             super.getConfig());
      }

      static get className() {
        return RELU_CLASS;
      }
    }
    tf.serialization.registerClass(GapscopeReLU);
    const registered = {GapscopeReLU};
    const bases = {batch_normalization: tf.layers.batchNormalization().constructor,
                   layer_normalization: tf.layers.layerNormalization().constructor};
    for (const [type, className] of Object.entries(NORMALIZATION_CLASSES)) {
      registered[className] = withStandIns(tf, bases[type], className, type === 'layer_normalization');
      tf.serialization.registerClass(registered[className]);
    }
    classes.set(tf, registered);
    return registered;
  }

  // The layer entries of a model.json topology (Sequential or functional;
  // Keras 2's Sequential may hold the list as its config).
  function topologyLayers(topology) {
    const config = topology && topology.config;
    const list = Array.isArray(config) ? config : config && config.layers;
    if (!Array.isArray(list)) throw new Error('model_json.modelTopology has no list of layers');
    return list;
  }

  // -> `topology` (the job's model.json modelTopology) as the harness loads
  // it into TF.js: unchanged where `model` (readModelSpec's) has no layer
  // TF.js cannot run as it is; else a copy whose entries for those layers
  // (found by name) name the harness's class: GapscopeReLU with the spec's
  // max_value, negative_slope and threshold, or GapscopeBatchNormalization /
  // GapscopeLayerNormalization with the spec's center and scale (and the
  // entry's other config fields: name, trainable, dtype, batch_input_shape,
  // epsilon, ...).
  function topologyFor(topology, model) {
    const own = model.layers.filter((l) => needsOwnRelu(l) || needsOwnNormalization(l));
    if (own.length === 0) return topology;
    const copy = JSON.parse(JSON.stringify(topology));
    const entries = topologyLayers(copy);
    for (const layer of own) {
      const entry = entries.find((e) => e && e.config && e.config.name === layer.name);
      if (!entry) throw new Error(`model_json has no layer '${layer.name}' (${layer.type} layer of the spec)`);
      if (layer.type === 'relu') {
        entry.class_name = RELU_CLASS;
        entry.config = Object.assign({}, entry.config, {max_value: layer.maxValue, negative_slope: layer.negativeSlope,
                                                        threshold: layer.threshold});
      } else {
        entry.class_name = NORMALIZATION_CLASSES[layer.type];
        entry.config = Object.assign({}, entry.config, {center: layer.center, scale: layer.scale});
      }
    }
    return copy;
  }

  parts.tfjsLayers = {register, topologyFor, needsOwnRelu, needsOwnNormalization, RELU_CLASS, NORMALIZATION_CLASSES};
  if (typeof module !== 'undefined' && module.exports) module.exports = parts.tfjsLayers;
})(typeof window !== 'undefined' ? window : globalThis);
