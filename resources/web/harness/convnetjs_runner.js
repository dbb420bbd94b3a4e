// ConvNetJS 0.3.0 (npm), fully connected nets only.
//
// Supported — the model maps exactly:
//   * dense layers with a bias and activation linear, relu, sigmoid or tanh
//     ('fc' then a 'relu'/'sigmoid'/'tanh' layer); an `activation` layer right
//     after a linear dense layer is fused into it;
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
// Not supported (the job is rejected with "unsupported by convnetjs: ..."):
//   dropout (its dropout layer is not inverted dropout: it drops without
//   rescaling in training and scales by drop_prob at inference, a different
//   function), dense without bias (a bias is always trained), softmax before
//   the last layer, elu/selu/softplus/softsign/relu6/hard_sigmoid/swish/mish/
//   gelu, binary_crossentropy (no sigmoid cross-entropy loss layer), a loss
//   that does not fit the last activation, adam/adamax/rmsprop and nesterov
//   (not in 0.3.0), adagrad with a non-zero initial accumulator, adadelta (its
//   step divides by the accumulator after adding the current gradient, TF.js's
//   by the one before, and it has no learning rate), mean_squared_error with
//   adagrad (its step does not scale with the gradient, so 2/outputs cannot be
//   folded into the learning rate).
//
// load:  net.fromJSON() on the JSON ConvNetJS itself saves (Net.toJSON form),
//        built from the weight bytes: kernel [in, out] row-major -> one
//        filter Vol per output unit holding column j (ConvNetJS's layout).
// infer: a Vol made from the row, net.forward(vol, false), outputs copied out.
// train: a Trainer with batch_size = the batch; trainer.train(vol, label) per
//        row accumulates the gradient and the update after the batch's last
//        row divides it by batch_size: the mean over the batch, one update per
//        batch, as in TF.js. The step's loss is the mean of the rows'
//        cost_loss, all computed before the update.
// Arithmetic is float64 (ConvNetJS's Vols are Float64Array).
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});
  const FRAMEWORK = 'convnetjs';
  const ACTIVATION_LAYERS = {relu: 'relu', sigmoid: 'sigmoid', tanh: 'tanh'};
  const CLASS_LOSSES = ['categorical_crossentropy', 'sparse_categorical_crossentropy'];

  function unsupported(reason) {
    throw new Error(`unsupported by ${FRAMEWORK}: ${reason}`);
  }

  // -> {stack, lossLayer: 'softmax'|'regression', trainer options, lrScale, lossScale}
  function plan(model, outputsOf) {
    const stack = parts.modelSpec.denseStack(model, FRAMEWORK,
        'its dropout layer is not inverted dropout (no rescaling in training, scaled by drop_prob at inference)');
    stack.forEach((layer, i) => {
      const last = i === stack.length - 1;
      if (!layer.useBias) unsupported(`dense layer '${layer.name}' has no bias; ConvNetJS always trains one`);
      if (layer.activation === 'softmax' && !last)
        unsupported(`softmax on dense layer '${layer.name}' before the last layer (softmax exists only as the loss layer)`);
      if (layer.activation !== 'softmax' && layer.activation !== 'linear' && !ACTIVATION_LAYERS[layer.activation])
        unsupported(`activation '${layer.activation}' (dense layer '${layer.name}'); it has relu, sigmoid, tanh and softmax (last layer)`);
    });
    const last = stack[stack.length - 1];
    let lossLayer;
    if (CLASS_LOSSES.includes(model.loss)) {
      if (last.activation !== 'softmax')
        unsupported(`${model.loss} needs a softmax last layer here (its softmax loss layer), the last layer applies '${last.activation}'`);
      lossLayer = 'softmax';
    } else if (model.loss === 'mean_squared_error') {
      if (last.activation === 'softmax')
        unsupported('mean_squared_error after softmax (softmax exists only with its cross-entropy loss)');
      lossLayer = 'regression';
    } else {
      unsupported(`loss ${model.loss} (it has softmax cross-entropy, L2 regression and SVM hinge losses)`);
    }
    const o = model.optimizer;
    const outputs = last.units;
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
    return {stack, lossLayer, trainer, lossScale, outputs};
  }

  function netJson(stack, inputs, lossLayer, weights) {
    const shape = (depth) => ({out_sx: 1, out_sy: 1, out_depth: depth});
    const layers = [Object.assign({layer_type: 'input'}, shape(inputs))];
    for (const layer of stack) {
      const {kernel, bias} = parts.weights.denseWeights(weights, layer);
      const filters = new Array(layer.units);
      for (let j = 0; j < layer.units; ++j) {
        const column = new Float32Array(layer.inputs);
        for (let i = 0; i < layer.inputs; ++i) column[i] = kernel[i * layer.units + j];
        filters[j] = {sx: 1, sy: 1, depth: layer.inputs, w: column};
      }
      layers.push(Object.assign({layer_type: 'fc', num_inputs: layer.inputs, l1_decay_mul: 0, l2_decay_mul: 0,
                                 filters, biases: {sx: 1, sy: 1, depth: layer.units, w: bias}}, shape(layer.units)));
      if (ACTIVATION_LAYERS[layer.activation])
        layers.push(Object.assign({layer_type: ACTIVATION_LAYERS[layer.activation]}, shape(layer.units)));
    }
    const outputs = stack[stack.length - 1].units;
    layers.push(Object.assign({layer_type: lossLayer, num_inputs: outputs}, shape(outputs)));
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

    function volOf(x, offset) {
      const vol = new convnetjs.Vol(1, 1, inputs, 0.0);
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
        net.fromJSON(netJson(p.stack, inputs, p.lossLayer, job.weights));
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
