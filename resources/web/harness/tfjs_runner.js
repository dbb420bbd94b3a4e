// TensorFlow.js 4.22 (layers API) on one of its backends: cpu, wasm, webgl.
//
// Backend: tf.setBackend(name) then tf.ready(); if setBackend fails, returns
// false, or tf.getBackend() is then anything else, the job fails with
// "backend tfjs-<name> unavailable: <reason>" — never a silent fallback.
// wasm: setWasmPaths points at node_modules/@tensorflow/tfjs-backend-wasm/dist/
// (file:// URLs load .wasm fine in Chromium); TF.js picks the plain, SIMD or
// threaded-SIMD binary itself and the capabilities say which it could use.
//
// load:  tf.loadLayersModel(tf.io.fromMemory({modelTopology, weightSpecs,
//        weightData})) on the job's model.json and weight bytes (already in
//        memory): parse the topology, build the layers, make the weight
//        tensors. The model.json's trainingConfig is not used: loss and
//        optimizer come from the spec (compile() is outside the timed load).
//        On webgl, TF.js uploads weight textures lazily, at first use: that
//        cost lands in `warmup`, with shader compilation. A graph spec
//        (gapscope.model/2) comes as a functional model.json (class_name
//        "Model", layers with inbound_nodes, one input and one output), which
//        loadLayersModel reads as well; prepare() checks the loaded model has
//        one input of the spec's input shape and one output of its output
//        shape.
// Every layer type of the spec maps to TF.js's own layer (TF.js is the
// reference the other frameworks are checked against; the merge layers are
// Add, Multiply, Average, Maximum and Concatenate; relu, softmax,
// global_average_pooling2d, global_max_pooling2d, zero_padding2d and
// cropping2d are ReLU (max_value), Softmax, GlobalAveragePooling2D,
// GlobalMaxPooling2D, ZeroPadding2D and Cropping2D (padding/cropping
// [[top, bottom], [left, right]]); layer_normalization is LayerNormalization
// (weights gamma, beta, as center and scale have them); depthwise_conv2d is DepthwiseConv2D
// (depth_multiplier; weights depthwise_kernel [kh, kw, C, M], bias [C*M]);
// separable_conv2d is SeparableConv2D (weights depthwise_kernel [kh, kw, C,
// M], pointwise_kernel [1, 1, C*M, filters], bias [filters]). TF.js 4.22's
// SeparableConv2D reads depth_multiplier from a model.json but does not write
// it (its getConfig leaves it out), so a model.json must carry it (the C++
// exporter writes it; without it TF.js takes 1 and the weights' shapes
// differ at load).
// TF.js's Softmax layer defaults to axis 1, not Keras's -1, so a model.json
// must carry the axis (the C++ exporter must write it; on a vector the two
// agree). Their gradients need no kernel that
// TF.js 4.22's wasm backend lacks (PadV2, Slice, Max, Mean, ClipByValue, Softmax:
// tests/web/image_layers.test.mjs trains them there)); the exceptions:
// flatten on a vector (TF.js's Flatten needs at least 2 axes per sample), and
// training where the backend lacks a gradient kernel: TF.js 4.22's wasm
// backend has no Conv2DBackpropFilter (conv2d), no
// DepthwiseConv2dNativeBackpropFilter/Input (depthwise_conv2d;
// separable_conv2d needs those and Conv2DBackpropFilter for its 1x1 half) and
// no UnsortedSegmentSum (embedding), so a job that trains such a model on
// tfjs-wasm fails with "unsupported by tfjs-wasm: training conv2d layer ..."
// (the first such layer listed, and the first kernel it lacks) before anything
// is timed (inference-only jobs run); and training a layer_normalization
// without center or scale, whose gradient TF.js 4.22 cannot take on any
// backend (its LayerNormalization calls batchNorm without beta or gamma, and
// the gradient tape fails on the missing input): refused the same way.
// Tensors: the job's rows are flat float32; inputs become [rows,
// ...input.shape] (e.g. [rows, H, W, C], [rows, T, V], [rows, T] ids, which
// the Embedding layer casts to int32), targets [rows, ...output shape] (e.g.
// [rows, classes], [rows, T, classes] for per-step outputs), or for
// sparse_categorical_crossentropy [rows, ..., 1]: one class index per
// prediction, the shape TF.js's trainOnBatch checks targets against (its
// loss flattens them; sparse accuracy squeezes the last axis).
// infer: model.predict on a [1, ...input.shape] tensor made from the row, then
//        `await data()` (the read-back TF.js's own benchmarks time as well).
// train: model.trainOnBatch(xs, ys), awaited (it reads the loss back), with
//        the batch tensors made and disposed inside the timed step. The
//        optimizer is built with TF.js's own API from the spec's fields:
//        tf.train.sgd/momentum/adagrad/adadelta/adam/adamax/rmsprop. TF.js
//        averages the loss (and so the gradient) over the batch, and over
//        every step for per-step outputs. metrics: ['accuracy'] counts
//        correct predictions (categorical, sparse categorical or binary
//        accuracy, as TF.js picks from the loss and output shape).
// Every tensor the harness makes is disposed; tf.memory() before and after the
// job goes into the memory record (tensors_before/after, leaked_tensors).
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});

  const LOSS_NAMES = {
    categorical_crossentropy: 'categoricalCrossentropy',
    sparse_categorical_crossentropy: 'sparseCategoricalCrossentropy',
    binary_crossentropy: 'binaryCrossentropy',
    mean_squared_error: 'meanSquaredError',
  };
  // Kernels the gradients of these layers run (TF.js 4.22's wasm backend
  // registers none of Conv2DBackpropFilter, DepthwiseConv2dNativeBackpropFilter,
  // DepthwiseConv2dNativeBackpropInput and UnsortedSegmentSum).
  const GRADIENT_KERNELS = {
    conv2d: ['Conv2DBackpropFilter', 'Conv2DBackpropInput'],
    depthwise_conv2d: ['DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput'],
    // the depthwise half's, then the 1x1 convolution's
    separable_conv2d: ['DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput',
                       'Conv2DBackpropFilter', 'Conv2DBackpropInput'],
    max_pooling2d: ['MaxPoolGrad'],
    average_pooling2d: ['AvgPoolGrad'],
    embedding: ['UnsortedSegmentSum'],
  };
  let wasmPathsSet = false;

  // TF.js's name of the backend ('wasm' for tfjs-wasm: the runner map's
  // engine), or undefined for an id this runner does not run.
  function tfjsBackendName(backendId) {
    const entry = parts.runnerMap.entry(backendId);
    return entry && entry.runner === 'tfjsRunner' ? entry.engine : undefined;
  }

  // Throws "unsupported by tfjs-<backend>: training ..." where the active
  // backend lacks a kernel the model's gradient needs (never falls back), or
  // where TF.js cannot take the gradient at all: a LayerNormalization without
  // center or scale calls batchNorm without beta or gamma, and TF.js 4.22's
  // gradient tape fails on the missing input ("Cannot read properties of
  // undefined") on every backend.
  function checkTrainable(tf, backendId, model) {
    for (const layer of model.layers) {
      if (layer.type !== 'layer_normalization' || (layer.center && layer.scale)) continue;
      const missing = [layer.center ? '' : 'center', layer.scale ? '' : 'scale'].filter(Boolean).join(' and ');
      throw new Error(`unsupported by ${backendId}: training layer_normalization layer '${layer.name}' without ` +
                      `${missing} (TF.js ${tf.version.tfjs} takes no gradient through a LayerNormalization without ` +
                      'beta or gamma; inference runs)');
    }
    for (const layer of model.layers)
      for (const kernel of GRADIENT_KERNELS[layer.type] || [])
        if (!tf.getKernel(kernel, tf.getBackend()))
          throw new Error(`unsupported by ${backendId}: training ${layer.type} layer '${layer.name}' (TF.js ` +
                          `${tf.version.tfjs}'s ${tf.getBackend()} backend has no '${kernel}' kernel, which its gradient ` +
                          'needs; inference runs)');
  }

  function makeOptimizer(tf, o) {
    switch (o.type) {
      case 'sgd': return tf.train.sgd(o.learning_rate);
      case 'momentum': return tf.train.momentum(o.learning_rate, o.momentum, o.nesterov);
      case 'adagrad': return tf.train.adagrad(o.learning_rate, o.initial_accumulator_value);
      case 'adadelta': return tf.train.adadelta(o.learning_rate, o.rho, o.epsilon);
      case 'adam': return tf.train.adam(o.learning_rate, o.beta1, o.beta2, o.epsilon);
      case 'adamax': return tf.train.adamax(o.learning_rate, o.beta1, o.beta2, o.epsilon, o.decay);
      case 'rmsprop': return tf.train.rmsprop(o.learning_rate, o.rho, o.momentum, o.epsilon, o.centered);
      default: throw new Error(`no TF.js optimizer for '${o.type}'`);
    }
  }

  // Calls fn while collecting what TF.js prints with console.warn/error
  // (setBackend reports why a backend failed to initialise only there): the
  // first line of each message (no stack traces), each message once.
  async function capturingWarnings(fn) {
    const said = [];
    const saved = {warn: console.warn, error: console.error};
    const keep = (original) => (...args) => {
      for (const a of args) {
        const line = String(a && a.message ? a.message : a).split('\n')[0].trim();
        if (line && !said.includes(line)) said.push(line);
      }
      original.apply(console, args);
    };
    console.warn = keep(saved.warn);
    console.error = keep(saved.error);
    try {
      return [await fn(), said];
    } finally {
      console.warn = saved.warn;
      console.error = saved.error;
    }
  }

  // Loads TF.js, switches to the backend and checks it is really active.
  async function activateBackend(backendId) {
    const name = tfjsBackendName(backendId);
    if (!name) throw new Error(`${backendId} is not a TF.js backend`);
    const unavailable = (reason) => new Error(`backend ${backendId} unavailable: ${reason}`);
    let tf;
    try {
      tf = await parts.scriptLoader.loadFramework(name === 'wasm' ? 'tfjs-wasm' : 'tfjs');
      if (name === 'wasm') tf = root.tf;
    } catch (e) {
      throw unavailable(e.message);
    }
    if (name === 'wasm' && !wasmPathsSet) {
      tf.wasm.setWasmPaths(parts.scriptLoader.wasmDirectory());
      wasmPathsSet = true;
    }
    let ok;
    let said = [];
    try {
      [ok, said] = await capturingWarnings(async () => {
        const set = await tf.setBackend(name);
        await tf.ready();
        return set;
      });
    } catch (e) {
      throw unavailable(e && e.message ? e.message : String(e));
    }
    if (!ok) throw unavailable(`tf.setBackend('${name}') failed${said.length ? ': ' + said.join('; ') : ''}`);
    if (tf.getBackend() !== name) throw unavailable(`tf.getBackend() is '${tf.getBackend()}' after setBackend('${name}')`);
    return tf;
  }

  function glRendererInfo(gl) {
    if (!gl || typeof gl.getExtension !== 'function') return {};
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    return {
      webgl_renderer: String(debug ? gl.getParameter(debug.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER)),
      webgl_vendor: String(debug ? gl.getParameter(debug.UNMASKED_VENDOR_WEBGL) : gl.getParameter(gl.VENDOR)),
    };
  }

  // What the active TF.js backend really uses (all values strings).
  async function backendCapabilities(tf, backendId) {
    const name = tfjsBackendName(backendId);
    const env = tf.env();
    const caps = Object.assign(parts.capabilities.browserCapabilities(), {
      framework: 'tfjs', tfjs_version: tf.version.tfjs, tfjs_backend: tf.getBackend(), tfjs_bundle: 'dist/tf.min.js',
    });
    if (name === 'cpu') caps.threads = '1';
    if (name === 'wasm') {
      const simd = await env.getAsync('WASM_HAS_SIMD_SUPPORT');
      const threads = await env.getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
      caps.wasm_simd = String(Boolean(simd));
      caps.wasm_threads = String(Boolean(threads));
      caps.wasm_binary = simd && threads ? 'tfjs-backend-wasm-threaded-simd.wasm'
                         : simd ? 'tfjs-backend-wasm-simd.wasm' : 'tfjs-backend-wasm.wasm';
      try {
        caps.threads = String(tf.wasm.getThreadsCount());
      } catch (e) {
        caps.threads = 'unknown';
      }
    }
    if (name === 'webgl') {
      caps.webgl_version = String(env.getNumber('WEBGL_VERSION'));
      caps.webgl_max_texture_size = String(env.getNumber('WEBGL_MAX_TEXTURE_SIZE'));
      caps.webgl_render_float32 = String(env.getBool('WEBGL_RENDER_FLOAT32_ENABLED'));
      const backend = tf.backend();
      const gl = backend && backend.gpgpu && backend.gpgpu.gl;
      Object.assign(caps, gl ? glRendererInfo(gl) : parts.capabilities.webglInfo());
      caps.threads = '1';
    }
    return caps;
  }

  async function capabilities(backendId) {
    const tf = await activateBackend(backendId);
    return backendCapabilities(tf, backendId);
  }

  async function createAdapter(job) {
    const tf = await activateBackend(job.backend);
    const caps = await backendCapabilities(tf, job.backend);
    const model = job.model;
    const topology = job.modelJson.modelTopology;
    const weightSpecs = job.weights.specs;
    const weightData = job.weightBuffer;
    const loss = LOSS_NAMES[model.loss];
    for (const layer of model.layers)
      if (layer.type === 'flatten' && layer.inputShape.length < 2)
        throw new Error(`unsupported by tfjs: flatten layer '${layer.name}' on a vector input [${layer.inputShape}] ` +
                        '(TF.js\'s Flatten needs at least 2 axes per sample; on a vector it is the identity: leave it out)');
    const inputShape = model.inputShape;
    const outputShape = model.outputShape;
    const targetShape = model.loss === 'sparse_categorical_crossentropy'
        ? outputShape.slice(0, -1).concat([1]) : outputShape.slice();
    if (parts.modelSpec.product(targetShape) !== job.data.targetSize)
      throw new Error(`job: ${job.data.targetSize} target values per row do not fill targets of shape [${targetShape}]`);
    const batchShape = (rows, shape) => [rows].concat(shape);
    if (job.protocol.phases.includes('train') || job.trainStepsCheck !== undefined) checkTrainable(tf, job.backend, model);

    return {
      backend: job.backend,
      framework: 'tfjs',
      capabilities: caps,
      trainNotes: {gradient: 'mean over the batch, one update per batch (model.trainOnBatch)',
                   framework_learning_rate: model.optimizer.learning_rate},
      load() {
        return tf.loadLayersModel(tf.io.fromMemory({modelTopology: topology, weightSpecs, weightData}));
      },
      prepare(net) {
        if (net.inputs.length !== 1 || net.outputs.length !== 1)
          throw new Error(`model_json's model has ${net.inputs.length} inputs and ${net.outputs.length} outputs; ` +
                          'the spec has one of each');
        const sameShape = (a, b) => a.length === b.length && a.every((d, i) => d === b[i]);
        const netInput = net.inputs[0].shape.slice(1);
        if (!sameShape(netInput, inputShape))
          throw new Error(`model_json's input shape [${netInput}] differs from the spec's [${inputShape}]`);
        const netOutput = net.outputs[0].shape.slice(1);
        if (!sameShape(netOutput, outputShape))
          throw new Error(`model_json's output shape [${netOutput}] differs from the spec's [${outputShape}]`);
        checkTrainable(tf, job.backend, model);
        const optimizer = makeOptimizer(tf, model.optimizer);
        // Accuracy as the native engine's step counts it (correct predictions:
        // rows, or steps of per-step outputs), so the live charts can show it;
        // it is part of the step on both sides.
        net.compile({optimizer, loss, metrics: ['accuracy']});
        return {optimizer, lastAccuracy: undefined};
      },
      predict(net, x, rows) {
        const input = tf.tensor(x, batchShape(rows, inputShape), 'float32');
        let output;
        try {
          output = net.predict(input);
        } finally {
          input.dispose();
        }
        return output.data().then((values) => {
          output.dispose();
          return values;
        }, (e) => {
          output.dispose();
          throw e;
        });
      },
      async trainBatch(net, trainer, x, y, rows) {
        const xs = tf.tensor(x, batchShape(rows, inputShape), 'float32');
        const ys = tf.tensor(y, batchShape(rows, targetShape), 'float32');
        try {
          const value = await net.trainOnBatch(xs, ys);
          if (!Array.isArray(value)) return value;
          trainer.lastAccuracy = value[1];
          return value[0];
        } finally {
          xs.dispose();
          ys.dispose();
        }
      },
      dispose(net, trainer) {
        if (net) net.dispose();
        if (trainer && trainer.optimizer) trainer.optimizer.dispose();
      },
      memory() {
        const m = tf.memory();
        const snapshot = {bytes: m.numBytes, tensors: m.numTensors, measure: 'tfjs_tensor_bytes'};
        if (typeof m.numBytesInGPU === 'number') snapshot.gpuBytes = m.numBytesInGPU;
        return snapshot;
      },
    };
  }

  parts.tfjsRunner = {createAdapter, capabilities, activateBackend};
})(typeof window !== 'undefined' ? window : globalThis);
