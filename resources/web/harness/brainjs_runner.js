// brain.js 1.6.1, NeuralNetwork (the feed-forward net; browser.min.js).
//
// Supported — the model maps exactly:
//   * dense layers with a bias, all with the same activation, output layer
//     included (brain.js applies one activation to every layer): sigmoid,
//     relu or tanh; an `activation` layer, or a `relu` layer without
//     max_value, right after a linear dense layer is fused into it (a
//     `softmax` layer too, and then refused as softmax is);
//   * mean_squared_error (brain.js's output delta is (target - output) *
//     f'(output), the squared-error gradient; its reported error is the mean
//     over outputs of the squared error, which is TF.js's MSE);
//   * optimizers sgd and momentum without nesterov (brain.js's step is
//     change = rate * delta * input + momentum * change, TF.js's momentum).
// flatten and reshape map (the flat row is the same), as long as every dense
// layer gets a vector.
// Not supported (rejected with "unsupported by brainjs: ..."): graphs
// (gapscope.model/2 specs with merge layers or a layer read by 2 or more
// layers: NeuralNetwork is one chain of layers), conv2d, depthwise_conv2d,
// separable_conv2d, pooling (global pooling too), zero_padding2d, cropping2d,
// batch_normalization, layer_normalization, embedding (NeuralNetwork has only fully
// connected layers), relu layers with max_value (no capped relu), simple_rnn/lstm/gru (its recurrent nets are whole
// next-character models with their own vocabulary, sigmoid gates, and an LSTM
// without cell state), dense on a non-vector, dropout, dense
// without bias, layers with different activations, linear/softmax/elu/selu/
// softplus/softsign/relu6/hard_sigmoid/swish/mish/gelu (its leaky-relu is not
// in the spec's list), the cross-entropy losses, adam (its 'adam' praxis
// steps per row and its bias step reads the moments before updating them),
// adamax, adagrad, adadelta, rmsprop, nesterov momentum.
//
// Training differs from TF.js in one way that cannot be mapped away: brain.js
// has no mini-batches. It updates after every row (trainPattern: forward,
// deltas, adjustWeights). One harness training step is batch_size such row
// updates; the harness passes learningRate = learning_rate * 2 / (outputs *
// batch_size), so that the batch's row steps add up (to first order) to
// TF.js's one step on the mean gradient. Momentum then acts per row. The step's
// loss is the mean over the rows of brain.js's error, each taken before that
// row's own update (after the previous rows' updates). The loss curve record
// says so (gradient: "per row ...").
// The harness sets trainOpts.learningRate/momentum directly and calls
// trainPattern(row, true) — the call train() makes per row — because train()'s
// option check refuses momentum 0 (plain SGD) and learning rates >= 1.
//
// load:  net.fromJSON() on brain.js's own JSON form (what toJSON writes),
//        built from the weight bytes: kernel [in, out] -> weights[layer][j][i]
//        (one array of inputs per unit); fromJSON copies them into
//        Float32Arrays, its storage.
// infer: net.run(row) on the row's Float32Array (it copies the output out).
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});
  const FRAMEWORK = 'brainjs';
  const ACTIVATIONS = {sigmoid: 'sigmoid', relu: 'relu', tanh: 'tanh'};
  // Why the layers other than dense/activation/flatten/reshape do not map.
  const RECURRENT_REASON = 'brain.js 1.6.1\'s recurrent nets (recurrent.RNN/LSTM/GRU) are whole next-character models ' +
      'over their own vocabulary with START/END tokens and fixed sigmoid gates, not layers of a stack, and its LSTM keeps ' +
      'no cell state (the forget gate multiplies the previous output)';
  const LAYER_REASONS = {default: 'brain.js has only fully connected layers',
                         simple_rnn: RECURRENT_REASON, lstm: RECURRENT_REASON, gru: RECURRENT_REASON};

  function unsupported(reason) {
    throw new Error(`unsupported by ${FRAMEWORK}: ${reason}`);
  }

  function plan(model, batchSize) {
    const stack = parts.modelSpec.denseStack(model, FRAMEWORK, 'brain.js NeuralNetwork has no dropout', LAYER_REASONS,
                                             'brain.js');
    const activation = stack[0].activation;
    for (const layer of stack) {
      if (!layer.useBias) unsupported(`dense layer '${layer.name}' has no bias; brain.js always trains one`);
      if (!ACTIVATIONS[layer.activation])
        unsupported(`activation '${layer.activation}' (${parts.frameworkCommon.activationSource(layer)}); NeuralNetwork has sigmoid, relu, leaky-relu, tanh`);
      if (layer.activation !== activation)
        unsupported(`dense layer '${layer.name}' applies '${layer.activation}' but '${stack[0].name}' applies '${activation}'; ` +
                    'NeuralNetwork uses one activation for every layer, output included');
    }
    if (model.loss !== 'mean_squared_error')
      unsupported(`loss ${model.loss} (NeuralNetwork trains on the squared error only)`);
    const o = model.optimizer;
    let momentum;
    if (o.type === 'sgd') momentum = 0;
    else if (o.type === 'momentum') {
      if (o.nesterov) unsupported('nesterov momentum (brain.js has plain momentum only)');
      momentum = o.momentum;
    } else {
      unsupported(`optimizer ${o.type} (NeuralNetwork has sgd with momentum, and an 'adam' praxis that steps per row)`);
    }
    const outputs = stack[stack.length - 1].units;
    return {stack, activation: ACTIVATIONS[activation], outputs, momentum,
            rowLearningRate: o.learning_rate * 2 / (outputs * batchSize)};
  }

  function netJson(stack, inputs, activation, weights) {
    const sizes = [inputs].concat(stack.map((l) => l.units));
    const layers = [Array.from({length: inputs}, () => ({}))];
    for (const layer of stack) {
      const {kernel, bias} = parts.weights.denseWeights(weights, layer);
      const nodes = new Array(layer.units);
      for (let j = 0; j < layer.units; ++j) {
        const w = new Float32Array(layer.inputs);
        for (let i = 0; i < layer.inputs; ++i) w[i] = kernel[i * layer.units + j];
        nodes[j] = {bias: bias[j], weights: w};
      }
      layers.push(nodes);
    }
    return {sizes, layers, outputLookup: false, inputLookup: false, activation, trainOpts: {}};
  }

  async function createAdapter(job) {
    const brain = await parts.scriptLoader.loadFramework('brainjs');
    const model = job.model;
    const p = plan(model, job.protocol.batch_size);
    if (job.data.targetSize !== p.outputs)
      unsupported(`the data has ${job.data.targetSize} target values per row, the model ${p.outputs} outputs`);
    const inputs = model.inputSize;
    const targets = job.data.targetSize;

    return {
      backend: job.backend,
      framework: FRAMEWORK,
      capabilities: parts.frameworkCommon.frameworkCapabilities(FRAMEWORK, '1.6.1', {arithmetic: 'float32 storage, float64 math'}),
      trainNotes: {gradient: 'per row: batch_size updates of one row each (brain.js has no mini-batches), ' +
                             'learning rate scaled by 2 / (outputs * batch_size)',
                   framework_learning_rate: p.rowLearningRate},
      load() {
        const net = new brain.NeuralNetwork();
        net.fromJSON(netJson(p.stack, inputs, p.activation, job.weights));
        return net;
      },
      prepare(net) {
        net.trainOpts.learningRate = p.rowLearningRate;
        net.trainOpts.momentum = p.momentum;
        net.trainOpts.praxis = null;
        return {};
      },
      predict(net, x, rows) {
        const out = new Float32Array(rows * p.outputs);
        for (let r = 0; r < rows; ++r) out.set(net.run(x.subarray(r * inputs, (r + 1) * inputs)), r * p.outputs);
        return out;
      },
      trainBatch(net, trainer, x, y, rows) {
        let loss = 0;
        for (let r = 0; r < rows; ++r)
          loss += net.trainPattern({input: x.subarray(r * inputs, (r + 1) * inputs),
                                    output: y.subarray(r * targets, (r + 1) * targets)}, true);
        return loss / rows;
      },
      dispose() {},
      memory: parts.frameworkCommon.heapSnapshot,
    };
  }

  parts.brainjsRunner = {createAdapter, plan};
})(typeof window !== 'undefined' ? window : globalThis);
