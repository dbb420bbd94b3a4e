// ConvNetJS 0.3.0 (npm): fully connected nets and the CNNs it can express.
//
// Supported — the model maps exactly:
//   * dense layers with a bias on a vector ('fc'); activation linear, relu,
//     sigmoid or tanh (a separate 'relu'/'sigmoid'/'tanh' layer after it, as
//     for an `activation` layer anywhere, and a `relu` layer without
//     max_value; a `softmax` layer as softmax activation, last only);
//   * conv2d with a bias ('conv': sx = kernel width, sy = kernel height,
//     filter Vol(kw, kh, in) gets kernel[:, :, :, f] at ((y * kw) + x) * in + c),
//     one stride for both axes (ConvNetJS has one `stride`), padding valid, or
//     same where TF.js pads symmetrically and alike on both axes (ConvNetJS has
//     one `pad` for every side: stride 1 and an odd kernel, pad (k - 1) / 2,
//     or any (in, k, stride) whose total padding is even); the activations as
//     for dense;
//   * zero_padding2d with one pad on every side right before a conv2d: added
//     to that conv's pad (ConvNetJS's conv reads zeros outside the volume,
//     alike on every side; outputs and gradients are those of the padded
//     input); zero padding of 0 anywhere (nothing to do);
//   * max_pooling2d ('pool': sx = pool width, sy = pool height, one stride,
//     pad) with the same stride and padding rules (TF.js's max pool and
//     ConvNetJS's both skip padded positions, so same-padding maxima agree);
//   * flatten (nothing to do: a Vol(sx = W, sy = H, depth = C) holds its
//     values at ((y * W) + x) * C + c, channels-last row-major, which is TF.js's
//     flatten order over (H, W, C) and the order of the job's rows; 'fc' reads
//     the whole Vol in that order); reshape of the input before any other layer
//     (it sets the input Vol's dimensions) or to a vector;
//   * image inputs [H, W, C] become Vol(W, H, C) filled from the row as is;
//     vector inputs Vol(1, 1, n);
//   * categorical_crossentropy or sparse_categorical_crossentropy with a
//     softmax last layer ('softmax' loss layer: -log p[label], gradient
//     p - onehot). It takes a class index, so categorical targets must be
//     one-hot (checked on every row before anything is timed);
//   * mean_squared_error with a linear/relu/sigmoid/tanh last layer
//     ('regression' loss layer). Its gradient is x - y per row (half the sum of
//     squares), TF.js's is 2 (x - y) / outputs (the mean over outputs): with
//     sgd or momentum the harness passes learning_rate * 2 / outputs, which is
//     exactly the same update; the reported loss is converted to the mean over
//     outputs (ConvNetJS reports 2 * sum of squares);
//   * optimizers: sgd (Trainer 'sgd', momentum 0 — its default is 0.9),
//     momentum without nesterov (its momentum step equals TF.js's), adagrad
//     with initial_accumulator_value 0 (its accumulator starts at 0; eps
//     1e-7 inside the sqrt as in TF.js).
//   One difference remains, TF.js's, not the mapping's: TF.js clips
//   probabilities to [1e-7, 1 - 1e-7] inside the cross-entropy (loss and
//   gradient), ConvNetJS does not. The two agree (to float32 precision)
//   while no row's true-class probability falls below 1e-7; a diverging run
//   (e.g. adagrad with a large rate) saturates the softmax and they part.
//   (ConvNetJS's max pool starts from -99999, not -infinity: inputs below
//   that would differ; no trained net gets there.)
// Not supported (the job is rejected with "unsupported by convnetjs: ..."):
//   graphs (gapscope.model/2 specs whose layers take 2 or more inputs, e.g.
//   add/concatenate, or whose layer output 2 or more layers read: a Net is
//   one chain of layers; a chain with its inputs written out maps),
//   depthwise_conv2d (its conv layer mixes all input channels, each filter
//   spanning the whole input depth; it has no per-channel filters),
//   separable_conv2d (its first half is a depthwise convolution, which needs
//   per-channel filters; one conv layer with the two kernels multiplied out
//   would compute the same outputs but train other weights),
//   average_pooling2d (its pool layer takes the maximum only),
//   global_average_pooling2d and global_max_pooling2d (no global pooling; a
//   pool over the whole volume has the maxima, but sends the gradient of tied
//   maxima to one position, TF.js's max to all), cropping2d (no layer crops),
//   zero_padding2d that pads sides differently or is not followed by a conv2d
//   (its pool skips padded positions, TF.js's max pool of a zero-padded input
//   takes the zeros), relu layers with max_value (no capped relu),
//   batch_normalization and layer_normalization (it has neither; its lrn
//   layer is local response normalization), embedding, simple_rnn/lstm/gru
//   (no such layers), strides
//   that differ per axis, same padding that TF.js makes asymmetric (the odd
//   pixel goes bottom/right) or different per axis, a dense layer on a
//   non-vector (TF.js's dense acts per position on the last axis, 'fc' takes
//   the whole Vol), a reshape to a non-vector after other layers (no layer
//   changes a Vol's shape), an output that is not a vector,
//   dropout (its dropout layer is not inverted dropout: it drops without
//   rescaling in training and scales by drop_prob at inference, a different
//   function), dense or conv2d without bias (a bias is always trained), softmax
//   before the last layer, elu/selu/softplus/softsign/relu6/hard_sigmoid/
//   swish/mish/gelu, binary_crossentropy (no sigmoid cross-entropy loss layer),
//   a loss that does not fit the last activation, adam/adamax/rmsprop and
//   nesterov (not in 0.3.0), adagrad with a non-zero initial accumulator,
//   adadelta (its step divides by the accumulator after adding the current
//   gradient, TF.js's by the one before, and it has no learning rate),
//   mean_squared_error with adagrad (its step does not scale with the
//   gradient, so 2/outputs cannot be folded into the learning rate).
//
// load:  net.fromJSON() on the JSON ConvNetJS itself saves (Net.toJSON form),
//        built from the weight bytes: dense kernel [in, out] row-major -> one
//        filter Vol per output unit holding column j; conv kernel [kh, kw, in,
//        filters] -> one filter Vol per filter (ConvNetJS's layouts).
// infer: a Vol made from the row, net.forward(vol, false), outputs copied out.
// train: a Trainer with batch_size = the batch; trainer.train(vol, label) per
//        row accumulates the gradient (conv filters and biases as fc ones) and
//        the update after the batch's last row divides it by batch_size: the
//        mean over the batch, one update per batch, as in TF.js. The step's
//        loss is the mean of the rows' cost_loss, all computed before the
//        update.
// Arithmetic is float64 (ConvNetJS's Vols are Float64Array).
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});
  const FRAMEWORK = 'convnetjs';
  const ACTIVATION_LAYERS = {relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh'};
  const CLASS_LOSSES = ['categorical_crossentropy', 'sparse_categorical_crossentropy'];
  const DROPOUT_REASON = 'its dropout layer is not inverted dropout (no rescaling in training, scaled by drop_prob at inference)';

  function unsupported(reason) {
    throw new Error(`unsupported by ${FRAMEWORK}: ${reason}`);
  }

  // A spec shape as ConvNetJS Vol dimensions: [H, W, C] -> (sx W, sy H, depth
  // C); anything else one column of values (only 'fc' and the element-wise
  // layers see those, and they read the Vol flat).
  function volDims(shape) {
    if (shape.length === 3) return {sx: shape[1], sy: shape[0], depth: shape[2]};
    return {sx: 1, sy: 1, depth: parts.modelSpec.product(shape)};
  }

  function sameDims(a, b) {
    return a.sx === b.sx && a.sy === b.sy && a.depth === b.depth;
  }

  // The one stride ConvNetJS takes for a conv2d/max_pooling2d layer.
  function squareStride(layer) {
    const [sh, sw] = layer.strides;
    if (sh !== sw)
      unsupported(`${layer.type} layer '${layer.name}' has strides [${layer.strides}] (ConvNetJS takes one stride for both axes)`);
    return sh;
  }

  // The one pad ConvNetJS puts on every side, for TF.js's padding of this
  // layer (same: total max((out - 1) * s + k - in, 0) per axis, the odd pixel
  // at the bottom/right), checked against ConvNetJS's output size
  // floor((in + 2 pad - k) / stride + 1).
  // `padded`: the rows/columns a zero_padding2d layer just before added on
  // every side (layer.inputShape includes them; ConvNetJS's conv gets the
  // unpadded volume and pads it by that much more).
  function symmetricPad(layer, window, stride, padded = 0) {
    let pad = 0;
    if (layer.padding === 'same') {
      const pads = [0, 1].map((axis) => {
        const total = parts.modelSpec.windowAxis(layer.inputShape[axis], window[axis], stride, 'same').padTotal;
        if (total % 2 !== 0)
          unsupported(`${layer.type} layer '${layer.name}' with padding same pads its ${axis ? 'width' : 'height'} ` +
                      `by ${total} pixels: TF.js puts the odd one at the ${axis ? 'right' : 'bottom'}, ConvNetJS pads ` +
                      'every side alike (same padding maps for stride 1 and an odd window)');
        return total / 2;
      });
      if (pads[0] !== pads[1])
        unsupported(`${layer.type} layer '${layer.name}' with padding same pads height by ${2 * pads[0]} and width by ` +
                    `${2 * pads[1]} (ConvNetJS has one pad for both axes)`);
      pad = pads[0];
    }
    pad += padded;
    [0, 1].forEach((axis) => {
      const size = Math.floor((layer.inputShape[axis] - 2 * padded + 2 * pad - window[axis]) / stride + 1);
      if (size !== layer.outputShape[axis])
        unsupported(`${layer.type} layer '${layer.name}': ConvNetJS would give ${size} outputs on axis ${axis}, TF.js ${layer.outputShape[axis]}`);
    });
    return pad;
  }

  // -> {inputVol, ops, lossLayer: 'softmax'|'regression', trainer options,
  //     lossScale, outputs}; ops: {kind: 'fc'|'conv'|'pool'|'act', ...} in order.
  function plan(model) {
    const layers = parts.modelSpec.chainLayers(model, FRAMEWORK, 'ConvNetJS');  // in execution order
    const lastIndex = layers.length - 1;
    const ops = [];
    let inputShape = model.inputShape;
    let vol = volDims(inputShape);  // the Vol's dimensions where the walk is
    let finalActivation = 'linear';
    const addActivation = (activation, layer, i) => {
      if (activation === 'linear') return;
      if (activation === 'softmax') {
        const what = {activation: `softmax activation layer '${layer.name}'`, softmax: `softmax layer '${layer.name}'`}[layer.type] ||
                     `softmax on ${layer.type} layer '${layer.name}'`;
        if (i !== lastIndex) unsupported(`${what} before the last layer (softmax exists only as the loss layer)`);
        finalActivation = 'softmax';  // the softmax loss layer applies it
        return;
      }
      if (!ACTIVATION_LAYERS[activation])
        unsupported(`activation '${activation}' (${layer.type} layer '${layer.name}'); it has relu, sigmoid, tanh and softmax (last layer)`);
      ops.push({kind: 'act', layerType: ACTIVATION_LAYERS[activation], vol});
      finalActivation = activation;
    };
    const windowInput = (layer) => {
      if (!sameDims(vol, volDims(layer.inputShape)))
        unsupported(`${layer.type} layer '${layer.name}' gets a [${layer.inputShape}] input, but ConvNetJS's volume there is ` +
                    `${vol.sx}x${vol.sy}x${vol.depth} (no layer reshapes a volume)`);
    };
    let padded = 0;  // a zero_padding2d layer's pad, for the conv2d after it
    layers.forEach((layer, i) => {
      switch (layer.type) {
        case 'dense':
          if (layer.inputShape.length !== 1)
            unsupported(`dense layer '${layer.name}' gets a [${layer.inputShape}] input (a dense layer acts on its last axis, ` +
                        'per position; ConvNetJS\'s fc layer takes the whole volume: flatten first)');
          if (!layer.useBias) unsupported(`dense layer '${layer.name}' has no bias; ConvNetJS always trains one`);
          vol = {sx: 1, sy: 1, depth: layer.units};
          ops.push({kind: 'fc', layer, inputs: layer.inputShape[0], vol});
          finalActivation = 'linear';
          addActivation(layer.activation, layer, i);
          break;
        case 'conv2d': {
          if (!layer.useBias) unsupported(`conv2d layer '${layer.name}' has no bias; ConvNetJS always trains one`);
          windowInput(layer);
          const stride = squareStride(layer);
          const pad = symmetricPad(layer, layer.kernelSize, stride, padded);
          padded = 0;
          vol = volDims(layer.outputShape);
          ops.push({kind: 'conv', layer, stride, pad, inDepth: layer.inputShape[2], vol});
          finalActivation = 'linear';
          addActivation(layer.activation, layer, i);
          break;
        }
        case 'depthwise_conv2d':
          unsupported(`depthwise_conv2d layer '${layer.name}' (ConvNetJS's conv layer mixes all input channels: each ` +
                      'filter spans the whole input depth; it has no per-channel (depthwise) filters)');
          break;
        case 'separable_conv2d':
          unsupported(`separable_conv2d layer '${layer.name}' (a depthwise convolution then a 1x1 convolution; ` +
                      'ConvNetJS\'s conv layer mixes all input channels: each filter spans the whole input depth; it has ' +
                      'no per-channel (depthwise) filters for the first half)');
          break;
        case 'max_pooling2d': {
          windowInput(layer);
          const stride = squareStride(layer);
          const pad = symmetricPad(layer, layer.poolSize, stride);
          vol = volDims(layer.outputShape);
          ops.push({kind: 'pool', layer, stride, pad, vol});
          finalActivation = 'linear';
          break;
        }
        case 'average_pooling2d':
          unsupported(`average_pooling2d layer '${layer.name}' (ConvNetJS 0.3.0's pool layer takes the maximum only)`);
          break;
        case 'global_average_pooling2d':
          unsupported(`global_average_pooling2d layer '${layer.name}' (ConvNetJS 0.3.0 has no global pooling, and its ` +
                      'pool layer takes the maximum only)');
          break;
        case 'global_max_pooling2d':
          unsupported(`global_max_pooling2d layer '${layer.name}' (ConvNetJS 0.3.0 has no global pooling; a pool layer ` +
                      'over the whole volume takes the same maxima, but its gradient goes to one position of tied ' +
                      'maxima, TF.js\'s to every tied position)');
          break;
        case 'zero_padding2d': {
          const [top, bottom, left, right] = layer.padding;
          if (top !== bottom || top !== left || top !== right)
            unsupported(`zero_padding2d layer '${layer.name}' pads [${layer.padding}] (top, bottom, left, right); ConvNetJS ` +
                        'pads only inside a conv layer, by one pad on every side');
          windowInput(layer);
          if (top === 0) break;  // pads nothing
          const next = layers[i + 1];
          if (!next || next.type !== 'conv2d')
            unsupported(`zero_padding2d layer '${layer.name}' is followed by ${next ? `${next.type} layer '${next.name}'` : 'nothing'} ` +
                        '(ConvNetJS has no padding layer; it pads only inside a conv layer, so zero padding maps ' +
                        'right before a conv2d)');
          padded = top;
          vol = volDims(layer.outputShape);  // as the conv2d's input shape says; its conv pads the real volume
          break;
        }
        case 'cropping2d':
          unsupported(`cropping2d layer '${layer.name}' (ConvNetJS has no layer that crops a volume)`);
          break;
        case 'relu':
          if (layer.maxValue !== null)
            unsupported(`relu layer '${layer.name}' has max_value ${layer.maxValue} (a capped relu; ConvNetJS's relu ` +
                        'layer has no ceiling)');
          addActivation('relu', layer, i);
          break;
        case 'softmax':
          addActivation('softmax', layer, i);
          break;
        case 'flatten':
          break;  // the Vol's (y, x, d) order is the flatten order; 'fc' reads it flat
        case 'reshape':
          if (ops.length === 0) {  // nothing computed yet: it shapes the input Vol
            inputShape = layer.outputShape;
            vol = volDims(inputShape);
          } else if (layer.outputShape.length !== 1) {
            unsupported(`reshape layer '${layer.name}' to [${layer.targetShape}] after other layers (ConvNetJS has no layer ` +
                        'that reshapes a volume; a reshape of the input, or to a vector, maps)');
          }
          break;
        case 'activation':
          addActivation(layer.activation, layer, i);
          break;
        case 'dropout':
          unsupported(`dropout layer '${layer.name}': ${DROPOUT_REASON}`);
          break;
        case 'batch_normalization':
          unsupported(`batch_normalization layer '${layer.name}' (ConvNetJS 0.3.0 has no batch normalization; ` +
                      'its lrn layer is local response normalization, another function)');
          break;
        case 'layer_normalization':
          unsupported(`layer_normalization layer '${layer.name}' (ConvNetJS 0.3.0 has no layer normalization; ` +
                      'its lrn layer is local response normalization, another function)');
          break;
        case 'embedding':
          unsupported(`embedding layer '${layer.name}' (ConvNetJS has no embedding layer)`);
          break;
        case 'simple_rnn':
        case 'lstm':
        case 'gru':
          unsupported(`${layer.type} layer '${layer.name}' (ConvNetJS has no recurrent layers)`);
          break;
        default:
          unsupported(`${layer.type} layer '${layer.name}' (no ConvNetJS layer for it)`);
      }
    });
    if (!ops.some((op) => op.kind !== 'act')) unsupported('the model has no dense or conv2d layer');
    if (model.outputShape.length !== 1)
      unsupported(`the model's output [${model.outputShape}] is not a vector (ConvNetJS's loss layers take one; flatten it)`);
    let lossLayer;
    if (CLASS_LOSSES.includes(model.loss)) {
      if (finalActivation !== 'softmax')
        unsupported(`${model.loss} needs a softmax last layer here (its softmax loss layer), the last layer applies '${finalActivation}'`);
      lossLayer = 'softmax';
    } else if (model.loss === 'mean_squared_error') {
      if (finalActivation === 'softmax')
        unsupported('mean_squared_error after softmax (softmax exists only with its cross-entropy loss)');
      lossLayer = 'regression';
    } else {
      unsupported(`loss ${model.loss} (it has softmax cross-entropy, L2 regression and SVM hinge losses)`);
    }
    const o = model.optimizer;
    const outputs = model.outputSize;
    const lrScale = lossLayer === 'regression' ? 2 / outputs : 1;
    const trainer = {l1_decay: 0, l2_decay: 0};
    switch (o.type) {
      case 'sgd': Object.assign(trainer, {method: 'sgd', momentum: 0, learning_rate: o.learning_rate * lrScale}); break;
      case 'momentum':
        if (o.nesterov) unsupported('nesterov momentum (ConvNetJS 0.3.0 has plain momentum only)');
        Object.assign(trainer, {method: 'sgd', momentum: o.momentum, learning_rate: o.learning_rate * lrScale});
        break;
      case 'adagrad':
        if (lossLayer === 'regression')
          unsupported('adagrad with mean_squared_error (its L2 loss differs from TF.js\'s by a factor 2/outputs that an adaptive step does not absorb)');
        if (o.initial_accumulator_value !== 0)
          unsupported(`adagrad with initial_accumulator_value ${o.initial_accumulator_value} (its accumulator starts at 0)`);
        Object.assign(trainer, {method: 'adagrad', learning_rate: o.learning_rate, eps: 1e-7});
        break;
      case 'adadelta':
        unsupported('adadelta (its step divides by the gradient accumulator after adding the current gradient, ' +
                    'TF.js\'s by the one before; and it has no learning rate)');
        break;
      default: unsupported(`optimizer ${o.type} (ConvNetJS 0.3.0 has sgd, momentum, adagrad, adadelta, windowgrad)`);
    }
    // ConvNetJS's regression loss is 2 * sum of squares; TF.js's MSE the mean.
    const lossScale = lossLayer === 'regression' ? 1 / (2 * outputs) : 1;
    return {inputVol: volDims(inputShape), ops, lossLayer, trainer, lossScale, outputs};
  }

  const outDims = (vol) => ({out_sx: vol.sx, out_sy: vol.sy, out_depth: vol.depth});

  function fcJson(op, weights) {
    const layer = op.layer;
    const {kernel, bias} = parts.weights.denseWeights(weights, {name: layer.name, inputs: op.inputs, units: layer.units,
                                                                useBias: true});
    const filters = new Array(layer.units);
    for (let j = 0; j < layer.units; ++j) {
      const column = new Float32Array(op.inputs);
      for (let i = 0; i < op.inputs; ++i) column[i] = kernel[i * layer.units + j];
      filters[j] = {sx: 1, sy: 1, depth: op.inputs, w: column};
    }
    return Object.assign({layer_type: 'fc', num_inputs: op.inputs, l1_decay_mul: 0, l2_decay_mul: 0,
                          filters, biases: {sx: 1, sy: 1, depth: layer.units, w: bias}}, outDims(op.vol));
  }

  function convJson(op, weights) {
    const layer = op.layer;
    const [kh, kw] = layer.kernelSize;
    const inDepth = op.inDepth;
    const count = layer.filters;
    const kernel = parts.weights.layerWeight(weights, layer, 'kernel', [kh, kw, inDepth, count]);
    const bias = parts.weights.layerWeight(weights, layer, 'bias', [count]);
    const filters = new Array(count);
    for (let f = 0; f < count; ++f) {
      // kernel[y][x][c][f] -> filter f at ((y * kw) + x) * in + c
      const w = new Float32Array(kh * kw * inDepth);
      for (let i = 0; i < w.length; ++i) w[i] = kernel[i * count + f];
      filters[f] = {sx: kw, sy: kh, depth: inDepth, w};
    }
    return Object.assign({layer_type: 'conv', sx: kw, sy: kh, stride: op.stride, pad: op.pad, in_depth: inDepth,
                          l1_decay_mul: 0, l2_decay_mul: 0, filters, biases: {sx: 1, sy: 1, depth: count, w: bias}},
                         outDims(op.vol));
  }

  function poolJson(op) {
    const [ph, pw] = op.layer.poolSize;
    return Object.assign({layer_type: 'pool', sx: pw, sy: ph, stride: op.stride, pad: op.pad, in_depth: op.vol.depth},
                         outDims(op.vol));
  }

  function netJson(p, weights) {
    const layers = [Object.assign({layer_type: 'input'}, outDims(p.inputVol))];
    for (const op of p.ops) {
      if (op.kind === 'fc') layers.push(fcJson(op, weights));
      else if (op.kind === 'conv') layers.push(convJson(op, weights));
      else if (op.kind === 'pool') layers.push(poolJson(op));
      else layers.push(Object.assign({layer_type: op.layerType}, outDims(op.vol)));
    }
    layers.push({layer_type: p.lossLayer, num_inputs: p.outputs, out_sx: 1, out_sy: 1, out_depth: p.outputs});
    return {layers};
  }

  async function createAdapter(job) {
    const convnetjs = await parts.scriptLoader.loadFramework('convnetjs');
    const model = job.model;
    const p = plan(model);
    const data = job.data;
    if (p.lossLayer === 'softmax')
      parts.frameworkCommon.checkClassTargets(FRAMEWORK, model.loss, data.y, data.rows, data.targetSize, p.outputs);
    else if (data.targetSize !== p.outputs)
      unsupported(`the data has ${data.targetSize} target values per row, the model ${p.outputs} outputs`);
    const inputs = model.inputSize;
    const sparse = model.loss === 'sparse_categorical_crossentropy';
    const {sx, sy, depth} = p.inputVol;

    // The row as is: Vol(W, H, C) holds [H, W, C] channels-last values in row order.
    function volOf(x, offset) {
      const vol = new convnetjs.Vol(sx, sy, depth, 0.0);
      const w = vol.w;
      for (let i = 0; i < inputs; ++i) w[i] = x[offset + i];
      return vol;
    }

    return {
      backend: job.backend,
      framework: FRAMEWORK,
      capabilities: parts.frameworkCommon.frameworkCapabilities(FRAMEWORK, '0.3.0', {arithmetic: 'float64'}),
      trainNotes: {gradient: 'summed over the batch rows, divided by batch_size, one update per batch (Trainer batch_size)',
                   framework_learning_rate: p.trainer.learning_rate !== undefined ? p.trainer.learning_rate : 1},
      load() {
        const net = new convnetjs.Net();
        net.fromJSON(netJson(p, job.weights));
        return net;
      },
      prepare(net) {
        return new convnetjs.Trainer(net, Object.assign({batch_size: job.protocol.batch_size}, p.trainer));
      },
      predict(net, x, rows) {
        const out = new Float64Array(rows * p.outputs);
        for (let r = 0; r < rows; ++r) {
          const w = net.forward(volOf(x, r * inputs), false).w;
          for (let j = 0; j < p.outputs; ++j) out[r * p.outputs + j] = w[j];
        }
        return out;
      },
      trainBatch(net, trainer, x, y, rows) {
        if (rows !== trainer.batch_size) throw new Error(`batch of ${rows} rows, the trainer was made for ${trainer.batch_size}`);
        const targets = y.length / rows;
        let loss = 0;
        for (let r = 0; r < rows; ++r) {
          let target;
          if (p.lossLayer === 'regression') target = Array.from(y.subarray(r * targets, (r + 1) * targets));
          else target = sparse ? y[r] : parts.frameworkCommon.argmax(y, r * targets, targets);
          loss += trainer.train(volOf(x, r * inputs), target).cost_loss;
        }
        return (loss / rows) * p.lossScale;
      },
      dispose() {},
      memory: parts.frameworkCommon.heapSnapshot,
    };
  }

  parts.convnetjsRunner = {createAdapter, plan};
})(typeof window !== 'undefined' ? window : globalThis);
