// CNN and RNN layers in the web harness. Run: node --test tests/web/
// Model files come from TF.js itself (layer_fixtures.mjs: tf.sequential saved
// in this node process, deterministic weights put in); expected outputs from a
// plain-JS forward pass with TF.js's equations. The first group needs only
// node; the second opens the page in headless Debian chromium (skipped, with
// the reason, where chromium or resources/web/node_modules is missing).
import {test, describe} from 'node:test';
import assert from 'node:assert/strict';
import * as F from './fixtures.mjs';
import * as L from './layer_fixtures.mjs';
import {loadHarnessParts, runJob, unsupportedBy} from './browser.mjs';

const parts = loadHarnessParts();

const spec = L.chain;

// name -> {spec, data: makeLayerData options}
const MODELS = {
  cnn: {spec: spec('cnn', [8, 8, 1], [{type: 'conv2d', filters: 4, kernel_size: [3, 3], activation: 'relu'},
                                      {type: 'max_pooling2d', pool_size: [2, 2]}, {type: 'flatten'},
                                      {type: 'dense', units: 3, activation: 'softmax'}]),
        data: {inputShape: [8, 8, 1], classes: 3}},
  // stride-2 same convolution and stride-1 same average pooling: TF.js pads
  // the odd pixel at the bottom/right, and averages real pixels only
  'cnn-batchnorm': {spec: spec('cnn-batchnorm', [6, 6, 2],
                               [{type: 'conv2d', filters: 3, kernel_size: [3, 3], strides: [2, 2], padding: 'same'},
                                {type: 'batch_normalization'}, {type: 'activation', activation: 'relu'},
                                {type: 'average_pooling2d', pool_size: [2, 2], strides: [1, 1], padding: 'same'},
                                {type: 'flatten'}, {type: 'dense', units: 3, activation: 'softmax'}]),
                    data: {inputShape: [6, 6, 2], classes: 3}},
  lstm: {spec: spec('lstm', [5, 4], [{type: 'lstm', units: 6}, {type: 'dense', units: 4, activation: 'softmax'}],
                    'categorical_crossentropy', {type: 'sgd', learning_rate: 0.5}),
         data: {inputShape: [5, 4], classes: 4}},
  // per-step outputs [T, classes] with one class index per step
  gru: {spec: spec('gru', [5, 4], [{type: 'gru', units: 6, return_sequences: true}, {type: 'dense', units: 4, activation: 'softmax'}],
                   'sparse_categorical_crossentropy', {type: 'sgd', learning_rate: 0.5}),
        data: {inputShape: [5, 4], classes: 4, predictions: 5, targets: 'sparse'}},
  // one-hot steps in, one-hot targets per step
  simple_rnn: {spec: spec('simple-rnn', [5, 4], [{type: 'simple_rnn', units: 6, return_sequences: true},
                                                 {type: 'dense', units: 4, activation: 'softmax'}],
                          'categorical_crossentropy', {type: 'sgd', learning_rate: 0.5}),
               data: {inputShape: [5, 4], input: 'onehot', classes: 4, predictions: 5}},
  // batch normalization over image channels without a convolution (trains on
  // tfjs-wasm, which has no conv2d weight gradient); same max pooling with
  // stride 1 pads bottom/right only
  'pool-batchnorm': {spec: spec('pool-batchnorm', [6, 6, 2],
                                [{type: 'max_pooling2d', pool_size: [2, 2], strides: [1, 1], padding: 'same'},
                                 {type: 'batch_normalization', epsilon: 0.01}, {type: 'flatten'},
                                 {type: 'dense', units: 3, activation: 'softmax'}]),
                     data: {inputShape: [6, 6, 2], classes: 3}},
  embedding: {spec: spec('embedding-lstm', [5], [{type: 'embedding', input_dim: 7, output_dim: 3},
                                                 {type: 'lstm', units: 4, return_sequences: true},
                                                 {type: 'dense', units: 7, activation: 'softmax'}],
                         'sparse_categorical_crossentropy', {type: 'sgd', learning_rate: 0.5}),
              data: {inputShape: [5], input: 'ids', vocabulary: 7, classes: 7, predictions: 5, targets: 'sparse'}},
};
// What ConvNetJS can run beyond the plain CNN: same padding it pads
// symmetrically, a square-stride same max pool, a second convolution,
// tanh/sigmoid activations, two dense layers, momentum.
const CNN_SAME = spec('cnn-same', [7, 7, 2],
                      [{type: 'conv2d', filters: 3, kernel_size: [3, 3], padding: 'same', activation: 'tanh'},
                       {type: 'max_pooling2d', pool_size: [3, 3], strides: [2, 2], padding: 'same'},
                       {type: 'conv2d', filters: 2, kernel_size: [2, 2], activation: 'sigmoid'},
                       {type: 'flatten'}, {type: 'dense', units: 5, activation: 'relu'},
                       {type: 'dense', units: 3, activation: 'softmax'}],
                      'categorical_crossentropy', {type: 'momentum', learning_rate: 0.05, momentum: 0.9});

const withSpec = (changes) => spec('t', [8, 8, 1], changes);

describe('CNN and RNN layers: harness logic (node)', () => {
  test('specs with CNN/RNN layers get per-sample shapes and TF.js defaults', () => {
    const cnn = parts.modelSpec.readModelSpec(MODELS.cnn.spec);
    assert.deepEqual(cnn.layers.map((l) => [l.name, l.outputShape]),
                     [['conv2d_1', [6, 6, 4]], ['max_pooling2d_1', [3, 3, 4]], ['flatten_1', [36]], ['dense_1', [3]]]);
    assert.deepEqual([cnn.layers[0].strides, cnn.layers[0].padding, cnn.layers[1].strides], [[1, 1], 'valid', [2, 2]]);
    const pooled = parts.modelSpec.readModelSpec(withSpec([{type: 'average_pooling2d'}]));
    assert.deepEqual([pooled.layers[0].poolSize, pooled.layers[0].strides, pooled.outputShape], [[2, 2], [2, 2], [4, 4, 1]]);
    const bn = parts.modelSpec.readModelSpec(MODELS['cnn-batchnorm'].spec);
    assert.deepEqual(bn.layers.map((l) => l.outputShape), [[3, 3, 3], [3, 3, 3], [3, 3, 3], [3, 3, 3], [27], [3]]);
    assert.deepEqual([bn.layers[1].momentum, bn.layers[1].epsilon], [0.99, 1e-3]);
    const gru = parts.modelSpec.readModelSpec(MODELS.gru.spec);
    assert.deepEqual([gru.layers[0].activation, gru.layers[0].recurrentActivation, gru.layers[0].returnSequences],
                     ['tanh', 'hard_sigmoid', true]);
    assert.deepEqual(gru.outputShape, [5, 4]);
    assert.deepEqual(parts.modelSpec.targetLayout(gru), {predictions: 5, classes: 4, targetSize: 5});
    const lstm = parts.modelSpec.readModelSpec(MODELS.lstm.spec);
    assert.deepEqual([lstm.layers[0].unitForgetBias, lstm.outputShape], [true, [4]]);
    const embedding = parts.modelSpec.readModelSpec(MODELS.embedding.spec);
    assert.deepEqual(embedding.layers.map((l) => l.outputShape), [[5, 3], [5, 4], [5, 7]]);
    const square = parts.modelSpec.readModelSpec(withSpec([{type: 'conv2d', filters: 2, kernel_size: 3, strides: 2, padding: 'same'},
                                                           {type: 'reshape', target_shape: [32]}, {type: 'dense', units: 2}]));
    assert.deepEqual([square.layers[0].kernelSize, square.layers[0].strides, square.layers[0].outputShape], [[3, 3], [2, 2], [4, 4, 2]]);
  });

  test('malformed CNN/RNN layers give spec errors that name the layer and field', () => {
    const cases = [
      [[{type: 'conv2d', filters: 0, kernel_size: [3, 3]}], /^Error: spec: layers\[0\]\.filters must be an integer >= 1, got 0$/],
      [[{type: 'conv2d', filters: 2, kernel_size: [3]}], /^Error: spec: layers\[0\]\.kernel_size must be \[height, width\]/],
      [[{type: 'conv2d', filters: 2, kernel_size: [3, 3], padding: 'full'}], /^Error: spec: layers\[0\]\.padding must be "valid" or "same"/],
      [[{type: 'conv2d', filters: 2, kernel_size: [9, 3]}], /^Error: spec: layers\[0\] \(conv2d 'conv2d_1'\): window \[9,3\] is larger than the input's \[8,8\]/],
      [[{type: 'max_pooling2d', pool_size: [2, 0]}], /^Error: spec: layers\[0\]\.pool_size must be \[height, width\]/],
      [[{type: 'batch_normalization', center: false}], /^Error: spec: layers\[0\]\.center must be true/],
      [[{type: 'flatten'}, {type: 'max_pooling2d', pool_size: 2}], /^Error: spec: layers\[1\] \(max_pooling2d 'max_pooling2d_1'\) needs a \[height, width, channels\] input, got \[64\]/],
      [[{type: 'lstm', units: 4}], /^Error: spec: layers\[0\] \(lstm 'lstm_1'\) needs a \[steps, features\] input, got \[8,8,1\]/],
      [[{type: 'reshape', target_shape: [8, -1]}], /^Error: spec: layers\[0\]\.target_shape must be a non-empty array of integers >= 1 \(no -1\)/],
      [[{type: 'reshape', target_shape: [60]}], /^Error: spec: layers\[0\] \(reshape 'reshape_1'\): target_shape \[60\] holds 60 values, its input \[8,8,1\] 64$/],
      [[{type: 'batch_normalization', epsilon: 0}], /^Error: spec: layers\[0\]\.epsilon must be a number > 0, got 0$/],
      [[{type: 'embedding', input_dim: 3, output_dim: 2}], /^Error: spec: layers\[0\] \(embedding 'embedding_1'\) needs a \[timesteps\] input of token ids, got \[8,8,1\]$/],
      [[{type: 'reshape', target_shape: [8, 8]}, {type: 'gru', units: 2, reset_after: true}], /^Error: spec: layers\[1\]\.reset_after: only false/],
      [[{type: 'reshape', target_shape: [8, 8]}, {type: 'lstm', units: 2, return_sequences: 'yes'}], /^Error: spec: layers\[1\]\.return_sequences must be true or false/],
      [[{type: 'conv_2d'}], /^Error: spec: layers\[0\]\.type: unknown layer type "conv_2d"; known: dense, activation, relu, softmax, dropout, conv2d, depthwise_conv2d, separable_conv2d, max_pooling2d, average_pooling2d, global_average_pooling2d, global_max_pooling2d, zero_padding2d, cropping2d, flatten, reshape, batch_normalization, layer_normalization, embedding, simple_rnn, lstm, gru, add, average, multiply, concatenate$/],
      [[{type: 'flatten', name: 'x'}, {type: 'dense', units: 2, name: 'x'}], /^Error: spec: layers\[1\]\.name 'x' is used by an earlier layer/],
    ];
    for (const [layers, pattern] of cases)
      assert.throws(() => parts.modelSpec.readModelSpec(withSpec(layers)), pattern, JSON.stringify(layers));
    // fields the harness does not read pass through
    parts.modelSpec.readModelSpec(withSpec([{type: 'conv2d', filters: 2, kernel_size: [3, 3], kernel_initializer: 'he_normal',
                                             bias_initializer: 'zeros', dilation_rate: [1, 1]}, {type: 'flatten'}]));
  });

  test('jobs check targets against the output shape, and embedding ids', async () => {
    const {spec: gru, data: options} = MODELS.gru;
    const exported = F.exportModel(F.denseSpec('d', 1, [], 1));
    const data = L.makeLayerData({rows: 64, ...options});
    const job = (changes) => {
      const object = JSON.parse(F.makeJob({backend: 'tfjs-cpu', spec: gru, exported, data}));
      return JSON.stringify(Object.assign(object, changes));
    };
    // (any model.json will do: the weights are read, not matched to the spec)
    assert.equal(parts.job.parseJob(job({})).data.targetSize, 5);
    const perStep = L.makeLayerData({rows: 64, ...options, targets: 'onehot'});
    assert.throws(() => parts.job.parseJob(F.makeJob({backend: 'tfjs-cpu', spec: gru, exported, data: perStep})),
                  /^Error: job: data\.y_base64 holds 20 values per row; the model's output \[5,4\] with sparse_categorical_crossentropy needs 5 \(one class index per prediction\)$/);
    const {spec: embedding, data: idOptions} = MODELS.embedding;
    const ids = L.makeLayerData({rows: 64, ...idOptions});
    ids.x[7] = 7;
    assert.throws(() => parts.job.parseJob(F.makeJob({backend: 'tfjs-cpu', spec: embedding, exported, data: ids})),
                  /^Error: job: data\.x_base64 row 1 position 2: 7 is not an id in \[0, 7\) \(embedding layer 'embedding_1' reads integer ids\)$/);
  });

  test('dense-only frameworks name the first layer they cannot run, and take flatten', () => {
    assert.equal(unsupportedBy('brainjs', MODELS.cnn.spec),
                 'unsupported by brainjs: conv2d layer \'conv2d_1\' (brain.js has only fully connected layers)');
    assert.equal(unsupportedBy('synaptic', MODELS.cnn.spec),
                 'unsupported by synaptic: conv2d layer \'conv2d_1\' (synaptic has only fully connected layers)');
    assert.match(unsupportedBy('brainjs', MODELS.lstm.spec), /^unsupported by brainjs: lstm layer 'lstm_1' \(brain\.js 1\.6\.1's recurrent nets .*no cell state/);
    assert.match(unsupportedBy('synaptic', MODELS.gru.spec), /^unsupported by synaptic: gru layer 'gru_1' \(synaptic's Architect\.LSTM is another cell/);
    assert.match(unsupportedBy('synaptic', MODELS.embedding.spec), /^unsupported by synaptic: embedding layer 'embedding_1' \(synaptic has only/);
    assert.match(unsupportedBy('brainjs', withSpec([{type: 'dense', units: 3}])),
                 /^unsupported by brainjs: dense layer 'dense_1' gets a \[8,8,1\] input, not a vector/);
    // an MLP on images: flatten relabels the flat row, nothing else
    const mlp = parts.modelSpec.readModelSpec(spec('t', [8, 8, 1], [{type: 'flatten'}, {type: 'dense', units: 3, activation: 'sigmoid'}],
                                                   'mean_squared_error'));
    assert.deepEqual(parts.brainjsRunner.plan(mlp, 64).stack.map((l) => [l.inputs, l.units]), [[64, 3]]);
  });

  test('ConvNetJS maps square strides and symmetric padding, and says why not otherwise', () => {
    const plan = (layers) => parts.convnetjsRunner.plan(parts.modelSpec.readModelSpec(withSpec(layers)));
    const tail = [{type: 'flatten'}, {type: 'dense', units: 3, activation: 'softmax'}];
    const same = plan([{type: 'conv2d', filters: 2, kernel_size: [3, 3], padding: 'same', activation: 'relu'},
                       {type: 'max_pooling2d', pool_size: [3, 3], strides: [1, 1], padding: 'same'},
                       {type: 'conv2d', filters: 2, kernel_size: [1, 2], strides: [2, 2]}, ...tail]);
    assert.deepEqual(same.ops.map((op) => [op.kind, op.stride, op.pad, op.vol]),
                     [['conv', 1, 1, {sx: 8, sy: 8, depth: 2}], ['act', undefined, undefined, {sx: 8, sy: 8, depth: 2}],
                      ['pool', 1, 1, {sx: 8, sy: 8, depth: 2}], ['conv', 2, 0, {sx: 4, sy: 4, depth: 2}],
                      ['fc', undefined, undefined, {sx: 1, sy: 1, depth: 3}]]);
    assert.deepEqual([same.inputVol, same.lossLayer, same.outputs], [{sx: 8, sy: 8, depth: 1}, 'softmax', 3]);
    const reasons = [
      [[{type: 'conv2d', filters: 2, kernel_size: [3, 3], strides: [1, 2]}, ...tail], /^Error: unsupported by convnetjs: conv2d layer 'conv2d_1' has strides \[1,2\] \(ConvNetJS takes one stride for both axes\)$/],
      [[{type: 'conv2d', filters: 2, kernel_size: [2, 2], padding: 'same'}, ...tail], /^Error: unsupported by convnetjs: conv2d layer 'conv2d_1' with padding same pads its height by 1 pixels: TF\.js puts the odd one at the bottom/],
      [[{type: 'conv2d', filters: 2, kernel_size: [3, 5], padding: 'same'}, ...tail], /^Error: unsupported by convnetjs: conv2d layer 'conv2d_1' with padding same pads height by 2 and width by 4 \(ConvNetJS has one pad for both axes\)$/],
      [[{type: 'max_pooling2d', pool_size: [2, 2], strides: [2, 1]}, ...tail], /^Error: unsupported by convnetjs: max_pooling2d layer 'max_pooling2d_1' has strides \[2,1\]/],
      [[{type: 'conv2d', filters: 2, kernel_size: [3, 3], padding: 'same', use_bias: false}, ...tail], /^Error: unsupported by convnetjs: conv2d layer 'conv2d_1' has no bias/],
      [[{type: 'conv2d', filters: 2, kernel_size: [3, 3], activation: 'elu'}, ...tail], /^Error: unsupported by convnetjs: activation 'elu' \(conv2d layer 'conv2d_1'\)/],
      [[{type: 'average_pooling2d', pool_size: 2}, ...tail], /^Error: unsupported by convnetjs: average_pooling2d layer 'average_pooling2d_1' \(ConvNetJS 0\.3\.0's pool layer takes the maximum only\)$/],
      [[{type: 'batch_normalization'}, ...tail], /^Error: unsupported by convnetjs: batch_normalization layer 'batch_normalization_1' \(ConvNetJS 0\.3\.0 has no batch normalization/],
      [[{type: 'reshape', target_shape: [8, 8]}, {type: 'lstm', units: 3}, {type: 'dense', units: 3, activation: 'softmax'}], /^Error: unsupported by convnetjs: lstm layer 'lstm_1' \(ConvNetJS has no recurrent layers\)$/],
      [[{type: 'dense', units: 3, activation: 'softmax'}], /^Error: unsupported by convnetjs: dense layer 'dense_1' gets a \[8,8,1\] input \(a dense layer acts on its last axis/],
      [[{type: 'conv2d', filters: 2, kernel_size: [3, 3], activation: 'softmax'}, ...tail], /^Error: unsupported by convnetjs: softmax on conv2d layer 'conv2d_1' before the last layer/],
      [[{type: 'conv2d', filters: 2, kernel_size: [3, 3]}, {type: 'reshape', target_shape: [6, 12, 1]}, ...tail], /^Error: unsupported by convnetjs: reshape layer 'reshape_1' to \[6,12,1\] after other layers/],
    ];
    for (const [layers, pattern] of reasons) assert.throws(() => plan(layers), pattern, JSON.stringify(layers[0]));
    assert.match(unsupportedBy('convnetjs', MODELS.embedding.spec), /^unsupported by convnetjs: embedding layer 'embedding_1' \(ConvNetJS has no embedding layer\)$/);
    // a flat input reshaped to an image before anything else: the input Vol takes its shape
    const reshaped = parts.convnetjsRunner.plan(parts.modelSpec.readModelSpec(spec('t', [64], [
      {type: 'reshape', target_shape: [8, 8, 1]}, {type: 'conv2d', filters: 2, kernel_size: [3, 3]}, ...tail])));
    assert.deepEqual(reshaped.inputVol, {sx: 8, sy: 8, depth: 1});
  });
});

describe('CNN and RNN layers: harness page in headless chromium (file://)', () => {
  const {skip, session, fixtures, jobFor, convnetjsAgainstTfjs, noErrorsTest} = L.layerPage(
      {...MODELS, 'cnn-same': {spec: CNN_SAME, seed: 5, data: {inputShape: [7, 7, 2], classes: 3, seed: 3}}});
  const tfjsPredictions = {};

  // Runs a job with the ticket API, collecting its progress events.
  function runWithProgress(jobJson) {
    return session().page.evaluate((text) => new Promise((resolve) => {
      const harness = window.gapscopeHarness;
      const events = [];
      harness.onProgress = (ticket, event) => events.push(JSON.parse(event));
      harness.onSettled = (ticket, outcome) => {
        harness.onProgress = null;
        harness.onSettled = null;
        resolve({outcome: JSON.parse(outcome), events});
      };
      harness.start(text);
    }), jobJson);
  }

  // TF.js 4.22's wasm backend has no Conv2DBackpropFilter and no
  // UnsortedSegmentSum kernel: these models run inference only there.
  const WASM_CANNOT_TRAIN = {cnn: ['conv2d_1', 'Conv2DBackpropFilter'], 'cnn-batchnorm': ['conv2d_1', 'Conv2DBackpropFilter'],
                             embedding: ['embedding_1', 'UnsortedSegmentSum']};

  // samples per phase: L.PROTOCOL's runs
  const checkPhases = (records, backend, phases) =>
    L.checkPhases(records, backend, phases, {load: 2, warmup: 2, infer: 5, train: 2});

  function checkPredictions(name, records) {
    const f = fixtures[name];
    const predictions = records.find((r) => r.kind === 'predictions').outputs;
    const reference = L.referenceForward(f.spec, f.exported, f.data.x, 5);
    assert.equal(predictions[0].length, reference[0].length);
    assert.ok(F.maxViolation(predictions, reference) <= 0,
              `predictions differ from the reference: ${JSON.stringify(predictions[0])} vs ${JSON.stringify(reference[0])}`);
    return predictions;
  }

  for (const backend of ['tfjs-cpu', 'tfjs-wasm']) {
    for (const name of Object.keys(MODELS)) {
      const wasmOnly = backend === 'tfjs-wasm' && WASM_CANNOT_TRAIN[name];
      if (wasmOnly) {
        test(`${backend}: ${name} job infers (predictions equal a plain-JS reference); training is refused with the missing kernel`, {skip}, async () => {
          const infer = await runJob(session().page, jobFor(name, backend, L.INFER_ONLY));
          assert.equal(infer.error, undefined, infer.error);
          checkPhases(infer.records, backend, ['load', 'warmup', 'infer']);
          checkPredictions(name, infer.records);
          const [layer, kernel] = WASM_CANNOT_TRAIN[name];
          const train = await runJob(session().page, jobFor(name, backend));
          assert.equal(train.records, undefined);
          assert.equal(train.error, `unsupported by tfjs-wasm: training ${layer.replace(/_\d+$/, '')} layer '${layer}' (TF.js 4.22.0's ` +
                                    `wasm backend has no '${kernel}' kernel, which its gradient needs; inference runs)`);
        });
        continue;
      }
      test(`${backend}: ${name} job runs every phase; predictions, first loss and accuracy equal a plain-JS reference`, {skip}, async () => {
        const f = fixtures[name];
        const {outcome, events} = await runWithProgress(jobFor(name, backend));
        assert.equal(outcome.state, 'done', outcome.error);
        const records = outcome.value;
        checkPhases(records, backend, ['load', 'warmup', 'infer', 'train']);
        const predictions = checkPredictions(name, records);
        if (backend === 'tfjs-cpu') tfjsPredictions[name] = predictions;

        // the first step's forward pass (batch statistics in batch norm) on rows 0..63
        const step = L.referenceLossAndAccuracy(f.spec.loss, L.referenceForward(f.spec, f.exported, f.data.x, 64, {training: true}),
                                                f.data.y, f.classes);
        const curve = records.find((r) => r.kind === 'loss_curve').losses;
        assert.ok(L.near(curve[0], step.loss), `first loss ${curve[0]}, reference ${step.loss}`);
        assert.ok(curve[2] < curve[0], `loss did not fall: ${curve}`);
        const first = events.find((e) => e.phase === 'train' && e.step === 1);
        assert.ok(L.near(first.loss, step.loss), `train step 1 loss ${first.loss}, reference ${step.loss}`);
        // accuracy: correct predictions / predictions (one near-tie may flip)
        assert.ok(Math.abs(first.accuracy - step.accuracy) <= 1 / step.predictions + 1e-6,
                  `train step 1 accuracy ${first.accuracy}, reference ${step.accuracy}`);
      });
    }
  }

  for (const name of ['cnn', 'cnn-same']) {
    test(`convnetjs: ${name} predictions and training steps equal TF.js's on the same job`, {skip}, async () => {
      const {predictions} = await convnetjsAgainstTfjs(name);
      if (tfjsPredictions[name]) assert.ok(F.maxViolation(predictions, tfjsPredictions[name]) <= 0);
    });
  }

  const refusals = [
    ['convnetjs', 'cnn-batchnorm', /^unsupported by convnetjs: conv2d layer 'conv2d_1' with padding same pads its height by 1 pixels/],
    ['convnetjs', 'avg', /^unsupported by convnetjs: average_pooling2d layer 'average_pooling2d_1' \(ConvNetJS 0\.3\.0's pool layer takes the maximum only\)$/],
    ['convnetjs', 'bn', /^unsupported by convnetjs: batch_normalization layer 'batch_normalization_1' \(ConvNetJS 0\.3\.0 has no batch normalization/],
    ['convnetjs', 'lstm', /^unsupported by convnetjs: lstm layer 'lstm_1' \(ConvNetJS has no recurrent layers\)$/],
    ['brainjs', 'cnn', /^unsupported by brainjs: conv2d layer 'conv2d_1' \(brain\.js has only fully connected layers\)$/],
    ['synaptic', 'cnn', /^unsupported by synaptic: conv2d layer 'conv2d_1' \(synaptic has only fully connected layers\)$/],
    ['brainjs', 'gru', /^unsupported by brainjs: gru layer 'gru_1' \(brain\.js 1\.6\.1's recurrent nets/],
    ['synaptic', 'embedding', /^unsupported by synaptic: embedding layer 'embedding_1' \(synaptic has only fully connected layers\)$/],
  ];
  for (const [backend, name, pattern] of refusals) {
    test(`${backend} refuses ${name}: ${pattern.source.slice(1, 70)}`, {skip}, async () => {
      if (!fixtures[name]) {  // CNN variants on the cnn job's data
        const layers = MODELS.cnn.spec.layers.slice();
        if (name === 'avg') layers[1] = {type: 'average_pooling2d', pool_size: [2, 2]};
        else layers.splice(1, 0, {type: 'batch_normalization'});
        const s = Object.assign({}, MODELS.cnn.spec, {layers});
        fixtures[name] = {spec: s, exported: await L.exportWithTfjs(s), data: fixtures.cnn.data};
      }
      const result = await runJob(session().page, jobFor(name, backend));
      assert.equal(result.records, undefined);
      assert.match(result.error, pattern);
    });
  }

  test('tfjs refuses flatten on a vector (TF.js\'s Flatten needs 2 axes per sample)', {skip}, async () => {
    const dense = F.denseSpec('flat', 12, [4], 3);
    const withFlatten = Object.assign({}, dense, {layers: [{type: 'flatten'}].concat(dense.layers)});
    const result = await runJob(session().page, F.makeJob({backend: 'tfjs-cpu', spec: withFlatten, exported: F.exportModel(dense),
                                                           data: F.makeData(64, 12, 3), protocol: L.PROTOCOL}));
    assert.match(result.error, /^unsupported by tfjs: flatten layer 'flatten_1' on a vector input \[12\] \(TF\.js's Flatten needs at least 2 axes/);
  });

  noErrorsTest();
});
