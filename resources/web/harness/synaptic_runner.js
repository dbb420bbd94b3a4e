// synaptic 1.1.4, a Network of neurons (the form Architect.Perceptron builds),
// restored with Network.fromJSON.
//
// Supported — the model maps exactly:
//   * dense layers with a bias; each layer's activation one of linear
//     (IDENTITY), sigmoid (LOGISTIC), tanh (TANH), relu (RELU) — synaptic
//     keeps a squash per neuron, so layers may differ; an `activation` layer,
//     or a `relu` layer without max_value, right after a linear dense layer
//     is fused into it (a `softmax` layer too, and then refused as softmax
//     is);
//   * the output rule of synaptic is fixed: an output neuron's error is
//     target - activation, with no derivative. That is the exact gradient of
//     mean_squared_error after a linear last layer, and of binary_crossentropy
//     after a sigmoid last layer, and those are the two pairs accepted;
//   * optimizer sgd (synaptic's only update: weight += rate * gradient).
// flatten and reshape map (the flat row is the same), as long as every dense
// layer gets a vector.
// Not supported (rejected with "unsupported by synaptic: ..."): graphs
// (gapscope.model/2 specs with merge layers or a layer read by 2 or more
// layers: the harness builds one chain of layers), conv2d, depthwise_conv2d,
// separable_conv2d, pooling (global pooling too), zero_padding2d, cropping2d,
// batch_normalization, layer_normalization, embedding (only fully connected
// layers), relu layers with max_value (no capped relu),
// simple_rnn/lstm/gru (its Architect.LSTM is a different cell: peepholes,
// logistic gates, trained online by traces), dense on a non-vector, dropout,
// dense without bias, softmax and elu/selu/softplus/softsign/relu6/hard_sigmoid/
// swish/mish/gelu, any other loss/last-activation pair (e.g. categorical
// cross-entropy), every optimizer but sgd.
//
// Training differs from TF.js in ways that cannot be mapped away:
//   * no mini-batches: network.activate(row) then network.propagate(rate,
//     target) per row, as synaptic's Trainer does. The harness passes rate =
//     learning_rate * k / (outputs * batch_size) (k = 2 for MSE, 1 for BCE) so
//     a batch's row steps add up, to first order, to TF.js's one mean-gradient
//     step;
//   * synaptic's propagate updates the output layer's incoming weights before
//     the hidden layers compute their error from those same (already updated)
//     weights.
// synaptic reports no loss: the harness computes the spec's loss from each
// row's outputs (before that row's update; TF.js's formulas, BCE clipped at
// 1e-7) and reports the mean over the batch.
//
// load:  Network.fromJSON({neurons, connections}) built from the weight bytes:
//        one neuron per unit (bias, squash), one connection per kernel entry
//        (kernel[i][j] = weight from input neuron i to unit j).
// infer: network.activate(row). The first activate of a network compiles it
//        into one generated function (synaptic's optimize()); that lands in
//        `warmup`, which times the first inference of each fresh network.
// Arithmetic is float64.
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});
  const FRAMEWORK = 'synaptic';
  const SQUASH = {linear: 'IDENTITY', sigmoid: 'LOGISTIC', tanh: 'TANH', relu: 'RELU'};
  const EPSILON = 1e-7;
  // Why the layers other than dense/activation/flatten/reshape do not map.
  const RECURRENT_REASON = 'synaptic\'s Architect.LSTM is another cell (peephole connections, logistic gates, ' +
      'trained online by eligibility traces), and it has no simple RNN or GRU layer';
  const LAYER_REASONS = {default: 'synaptic has only fully connected layers',
                         simple_rnn: RECURRENT_REASON, lstm: RECURRENT_REASON, gru: RECURRENT_REASON};

  function unsupported(reason) {
    throw new Error(`unsupported by ${FRAMEWORK}: ${reason}`);
  }

  function plan(model, batchSize) {
    const stack = parts.modelSpec.denseStack(model, FRAMEWORK, 'synaptic has no dropout', LAYER_REASONS, 'synaptic');
    for (const layer of stack) {
      if (!layer.useBias) unsupported(`dense layer '${layer.name}' has no bias; synaptic always trains one`);
      if (!SQUASH[layer.activation])
        unsupported(`activation '${layer.activation}' (${parts.frameworkCommon.activationSource(layer)}); synaptic has identity, logistic, tanh, relu (and hlim)`);
    }
    const last = stack[stack.length - 1];
    let k;
    if (model.loss === 'mean_squared_error' && last.activation === 'linear') k = 2;
    else if (model.loss === 'binary_crossentropy' && last.activation === 'sigmoid') k = 1;
    else unsupported(`loss ${model.loss} after a '${last.activation}' last layer (its output error is target - output: ` +
                     'mean_squared_error after linear, or binary_crossentropy after sigmoid)');
    if (model.optimizer.type !== 'sgd') unsupported(`optimizer ${model.optimizer.type} (synaptic has plain sgd only)`);
    const outputs = last.units;
    return {stack, outputs, loss: model.loss, rowRate: model.optimizer.learning_rate * k / (outputs * batchSize)};
  }

  function networkJson(stack, inputs, weights) {
    const neurons = [];
    const connections = [];
    const neuron = (layer, squash, bias) => {
      neurons.push({trace: {elegibility: {}, extended: {}}, state: 0, old: 0, activation: 0, bias, layer, squash});
      return neurons.length - 1;
    };
    let previous = [];
    for (let i = 0; i < inputs; ++i) previous.push(neuron('input', 'IDENTITY', 0));
    stack.forEach((layer, l) => {
      const {kernel, bias} = parts.weights.denseWeights(weights, layer);
      const name = l === stack.length - 1 ? 'output' : l;
      const current = [];
      for (let j = 0; j < layer.units; ++j) current.push(neuron(name, SQUASH[layer.activation], bias[j]));
      for (let i = 0; i < layer.inputs; ++i)
        for (let j = 0; j < layer.units; ++j)
          connections.push({from: previous[i], to: current[j], weight: kernel[i * layer.units + j], gater: null});
      previous = current;
    });
    return {neurons, connections};
  }

  function rowLoss(loss, out, y, offset, n) {
    let sum = 0;
    for (let j = 0; j < n; ++j) {
      const t = y[offset + j];
      if (loss === 'mean_squared_error') {
        const d = out[j] - t;
        sum += d * d;
      } else {
        const p = Math.min(Math.max(out[j], EPSILON), 1 - EPSILON);
        sum -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
      }
    }
    return sum / n;
  }

  async function createAdapter(job) {
    const synaptic = await parts.scriptLoader.loadFramework('synaptic');
    const model = job.model;
    const p = plan(model, job.protocol.batch_size);
    if (job.data.targetSize !== p.outputs)
      unsupported(`the data has ${job.data.targetSize} target values per row, the model ${p.outputs} outputs`);
    const inputs = model.inputSize;
    const targets = job.data.targetSize;

    return {
      backend: job.backend,
      framework: FRAMEWORK,
      capabilities: parts.frameworkCommon.frameworkCapabilities(FRAMEWORK, '1.1.4', {arithmetic: 'float64'}),
      trainNotes: {gradient: 'per row: batch_size updates of one row each (synaptic has no mini-batches), ' +
                             `rate scaled by ${p.loss === 'mean_squared_error' ? 2 : 1} / (outputs * batch_size)`,
                   framework_learning_rate: p.rowRate},
      load() {
        return synaptic.Network.fromJSON(networkJson(p.stack, inputs, job.weights));
      },
      prepare() {
        return {};
      },
      predict(net, x, rows) {
        const out = new Float64Array(rows * p.outputs);
        for (let r = 0; r < rows; ++r) out.set(net.activate(x.subarray(r * inputs, (r + 1) * inputs)), r * p.outputs);
        return out;
      },
      trainBatch(net, trainer, x, y, rows) {
        let loss = 0;
        for (let r = 0; r < rows; ++r) {
          const out = net.activate(x.subarray(r * inputs, (r + 1) * inputs));
          loss += rowLoss(p.loss, out, y, r * targets, targets);
          net.propagate(p.rowRate, y.subarray(r * targets, (r + 1) * targets));
        }
        return loss / rows;
      },
      dispose() {},
      memory: parts.frameworkCommon.heapSnapshot,
    };
  }

  parts.synapticRunner = {createAdapter, plan};
})(typeof window !== 'undefined' ? window : globalThis);
