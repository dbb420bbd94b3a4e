// layer_normalization, and batch_normalization with center and scale, in the
// web harness (TF.js 4.22's LayerNormalization and BatchNormalization).
// layer_normalization normalises each position over the last axis: (x -
// mean) / sqrt(variance + epsilon) (biased variance) * gamma + beta; weights
// gamma [C] (scale), beta [C] (center). batch_normalization with center or
// scale false has no beta or gamma: weights gamma (scale), beta (center),
// moving_mean, moving_variance, in that order. Run: node --test tests/web/
// The first group needs only node: reading the fields (defaults, axis forms,
// every error), the weights TF.js makes (names, shapes, order), what
// ConvNetJS, brain.js and synaptic refuse; and (with resources/web/node_modules)
// TF.js in node against a plain-JS forward pass, inference and training mode
// (batch statistics). The second opens the page in headless Debian chromium:
// model.json files written by TF.js 4.22 in this node process, run as jobs
// on tfjs-cpu, tfjs-wasm and tfjs-webgl: predictions equal to TF.js in node's
// and the plain-JS pass's, three training steps' losses equal to TF.js in
// node's, falling.
import {test, describe} from 'node:test';
import assert from 'node:assert/strict';
import * as L from './layer_fixtures.mjs';
import {loadHarnessParts, unsupportedBy} from './browser.mjs';

const parts = loadHarnessParts();
const read = (s) => parts.modelSpec.readModelSpec(s);
const {chain, graph} = L;

// Layer normalization per pixel (over channels), of every form: default;
// without gamma, axis 3 (the last axis counted with the batch axis); on a
// vector without beta and epsilon 0.01. A dense layer per pixel before it
// (trains on tfjs-wasm, which has no conv2d weight gradient).
const LN_CHAIN = chain('ln-chain', [4, 4, 3], [
  {type: 'dense', name: 'mix', units: 6},
  {type: 'layer_normalization', name: 'ln'},
  {type: 'relu'},
  {type: 'layer_normalization', name: 'ln_no_gamma', scale: false, axis: 3},
  {type: 'global_average_pooling2d'},
  {type: 'dense', units: 5},
  {type: 'layer_normalization', name: 'ln_no_beta', center: false, epsilon: 0.01},
  {type: 'dense', units: 3, activation: 'softmax'},
], 'categorical_crossentropy', {type: 'sgd', learning_rate: 0.5});

// Batch normalization without beta, without gamma, without either.
const BN_CHAIN = chain('bn-chain', [4, 4, 3], [
  {type: 'dense', name: 'mix', units: 6},
  {type: 'batch_normalization', name: 'bn_no_beta', center: false},
  {type: 'relu'},
  {type: 'batch_normalization', name: 'bn_no_gamma', scale: false, epsilon: 0.01},
  {type: 'global_average_pooling2d'},
  {type: 'dense', units: 5},
  {type: 'batch_normalization', name: 'bn_bare', center: false, scale: false, momentum: 0.9},
  {type: 'dense', units: 3, activation: 'softmax'},
], 'categorical_crossentropy', {type: 'sgd', learning_rate: 0.5});

// A transformer-like residual block on a sequence (a graph): layer
// normalization of the input and of the residual sum, over features.
const LN_RESIDUAL = graph('ln-residual', {shape: [5, 4], name: 'tokens'}, [
  {type: 'layer_normalization', name: 'pre_ln'},
  {type: 'dense', name: 'ff', units: 4, activation: 'relu'},
  {type: 'add', name: 'residual', inputs: ['tokens', 'ff']},
  {type: 'layer_normalization', name: 'post_ln', axis: 2, epsilon: 1e-5},
  {type: 'flatten'},
  {type: 'dense', name: 'out', units: 3, activation: 'softmax'},
], 'categorical_crossentropy', {type: 'sgd', learning_rate: 0.5});

// On vectors, for the dense-only frameworks' refusals.
const LN_VECTOR = chain('ln-vector', [6], [
  {type: 'dense', units: 5, activation: 'relu'},
  {type: 'layer_normalization'},
  {type: 'dense', units: 2},
], 'mean_squared_error');

const MODELS = {
  'ln-chain': {spec: LN_CHAIN, data: {inputShape: [4, 4, 3], classes: 3, scale: 4}},
  'bn-chain': {spec: BN_CHAIN, data: {inputShape: [4, 4, 3], classes: 3, scale: 4}},
  'ln-residual': {spec: LN_RESIDUAL, data: {inputShape: [5, 4], classes: 3, scale: 4}},
  'ln-vector': {spec: LN_VECTOR, data: {inputShape: [6], classes: 2}},  // refusals only
};
const RUN = ['ln-chain', 'bn-chain', 'ln-residual'];

const convnetLnRefusal = (name) => `unsupported by convnetjs: layer_normalization layer '${name}' (ConvNetJS 0.3.0 has no ` +
                                   'layer normalization; its lrn layer is local response normalization, another function)';

describe('layer and batch normalization: harness logic (node)', () => {
  const layer = (l, shape = [4, 4, 3]) => read(chain('t', shape, [l])).layers[0];
  const fields = (l) => [l.axis, l.epsilon, l.center, l.scale];

  test('layer_normalization comes right after batch_normalization in LAYER_TYPES (the C++ registry\'s order)', () => {
    const types = parts.modelSpec.LAYER_TYPES;
    assert.equal(types.indexOf('layer_normalization'), types.indexOf('batch_normalization') + 1);
  });

  test('both read axis, epsilon, center and scale with TF.js\'s defaults and keep any shape', () => {
    assert.deepEqual(fields(layer({type: 'layer_normalization'})), [-1, 1e-3, true, true]);
    assert.deepEqual(fields(layer({type: 'layer_normalization', axis: null, epsilon: null, center: null, scale: null})),
                     [-1, 1e-3, true, true]);
    assert.deepEqual(fields(layer({type: 'layer_normalization', axis: 3, epsilon: 1e-5, center: false, scale: false})),
                     [3, 1e-5, false, false]);
    const bn = layer({type: 'batch_normalization', center: false});
    assert.deepEqual([bn.axis, bn.epsilon, bn.momentum, bn.center, bn.scale], [-1, 1e-3, 0.99, false, true]);
    assert.deepEqual([layer({type: 'batch_normalization'}).center, layer({type: 'batch_normalization', scale: false}).scale],
                     [true, false]);
    // the last axis: -1, or the per-sample rank (Keras's count with the batch axis)
    for (const [shape, axis] of [[[6], 1], [[5, 4], 2], [[4, 4, 3], 3], [[4, 4, 3], -1], [[7], -1]]) {
      assert.deepEqual(layer({type: 'layer_normalization', axis}, shape).outputShape, shape, `${shape} axis ${axis}`);
      assert.deepEqual(layer({type: 'batch_normalization', axis}, shape).outputShape, shape, `${shape} axis ${axis}`);
    }
    assert.deepEqual(read(LN_CHAIN).layers.map((l) => l.outputShape),
                     [[4, 4, 6], [4, 4, 6], [4, 4, 6], [4, 4, 6], [6], [5], [5], [3]]);
    assert.deepEqual(Object.fromEntries(read(LN_RESIDUAL).layers.map((l) => [l.name, l.outputShape])),
                     {pre_ln: [5, 4], ff: [5, 4], residual: [5, 4], post_ln: [5, 4], flatten_1: [20], out: [3]});
  });

  test('malformed normalization layers give spec errors that name the layer and field', () => {
    const cases = [];
    for (const type of ['layer_normalization', 'batch_normalization']) {
      cases.push(
        [{type, axis: 1}, `^Error: spec: layers\\[0\\] \\(${type} '${type}_1'\\): axis 1 is not the last axis; ${type} normalises ` +
                          'over the last axis only \\(-1, or 3 for this input of rank 3\\)$'],
        ...[0, 2, 4, -2].map((axis) => [{type, axis}, `^Error: spec: layers\\[0\\] \\(${type} '${type}_1'\\): axis ${axis} is not the last axis`]),
        [{type, axis: 'last'}, '^Error: spec: layers\\[0\\]\\.axis must be an integer, got "last"$'],
        [{type, axis: [3]}, '^Error: spec: layers\\[0\\]\\.axis must be an integer, got \\[3\\]$'],
        ...[0, -1e-3, '1e-3'].map((epsilon) =>
          [{type, epsilon}, `^Error: spec: layers\\[0\\]\\.epsilon must be a number > 0, got ${JSON.stringify(epsilon)}$`]),
        [{type, center: 'no'}, '^Error: spec: layers\\[0\\]\\.center must be true or false, got "no"$'],
        [{type, scale: 0}, '^Error: spec: layers\\[0\\]\\.scale must be true or false, got 0$']);
    }
    for (const [l, pattern] of cases) assert.throws(() => read(chain('t', [4, 4, 3], [l])), new RegExp(pattern), JSON.stringify(l));
  });

  test('ConvNetJS, brain.js and synaptic refuse layer_normalization (and batch_normalization without gamma or beta)', () => {
    assert.equal(unsupportedBy('convnetjs', chain('t', [6], [{type: 'dense', units: 5}, {type: 'layer_normalization', name: 'ln'},
                                                            {type: 'dense', units: 3, activation: 'softmax'}])), convnetLnRefusal('ln'));
    const conv = {type: 'conv2d', filters: 2, kernel_size: 3};
    assert.equal(unsupportedBy('convnetjs', chain('t', [6, 6, 1], [conv, {type: 'layer_normalization'}, {type: 'flatten'},
                                                                  {type: 'dense', units: 3, activation: 'softmax'}])),
                 convnetLnRefusal('layer_normalization_1'));
    assert.equal(unsupportedBy('convnetjs', chain('t', [6, 6, 1], [conv, {type: 'batch_normalization', center: false, scale: false},
                                                                  {type: 'flatten'}, {type: 'dense', units: 3, activation: 'softmax'}])),
                 'unsupported by convnetjs: batch_normalization layer \'batch_normalization_1\' (ConvNetJS 0.3.0 has no batch ' +
                 'normalization; its lrn layer is local response normalization, another function)');
    for (const framework of ['brainjs', 'synaptic']) {
      const title = {brainjs: 'brain.js', synaptic: 'synaptic'}[framework];
      assert.equal(unsupportedBy(framework, LN_VECTOR), L.denseOnlyRefusal(framework, 'layer_normalization', 'layer_normalization_1'));
      assert.equal(unsupportedBy(framework, chain('t', [6], [{type: 'dense', units: 5}, {type: 'batch_normalization', scale: false},
                                                             {type: 'dense', units: 2}], 'mean_squared_error')),
                   `unsupported by ${framework}: batch_normalization layer 'batch_normalization_1' (${title} has only fully connected layers)`);
    }
    // the image chains: dense on an image first (brain.js, synaptic), the layer itself (ConvNetJS after its dense refusal)
    assert.match(unsupportedBy('brainjs', LN_CHAIN), /^unsupported by brainjs: dense layer 'mix' gets a \[4,4,3\] input, not a vector/);
    assert.match(unsupportedBy('convnetjs', LN_RESIDUAL), /^unsupported by convnetjs: ConvNetJS runs a chain of layers; the input 'tokens' is used by 2 layers/);
  });

  const noTfjs = L.noNodeTfjs();
  test('TF.js writes gamma (scale), beta (center), moving_mean, moving_variance, each left out where the layer has none', {skip: noTfjs}, async () => {
    const tf = L.nodeTfjs();
    const names = async (s) => (await L.exportWithTfjs(s, 7)).weights.map((w) => [w.name, w.shape]);
    // a model's manifest: its trainable weights in layer order, then the non-trainable ones
    assert.deepEqual(await names(BN_CHAIN), [
      ['mix/kernel', [3, 6]], ['mix/bias', [6]], ['bn_no_beta/gamma', [6]], ['bn_no_gamma/beta', [6]], ['dense_2/kernel', [6, 5]],
      ['dense_2/bias', [5]], ['dense_3/kernel', [5, 3]], ['dense_3/bias', [3]],
      ['bn_no_beta/moving_mean', [6]], ['bn_no_beta/moving_variance', [6]], ['bn_no_gamma/moving_mean', [6]],
      ['bn_no_gamma/moving_variance', [6]], ['bn_bare/moving_mean', [5]], ['bn_bare/moving_variance', [5]]]);
    assert.deepEqual((await names(LN_CHAIN)).filter(([n]) => n.startsWith('ln')),
                     [['ln/gamma', [6]], ['ln/beta', [6]], ['ln_no_gamma/beta', [6]], ['ln_no_beta/gamma', [5]]]);
    // one layer's getWeights(): gamma, beta, moving_mean, moving_variance
    const bn = tf.layers.batchNormalization({name: 'bn'});
    bn.apply(tf.input({shape: [4]}));
    assert.deepEqual(bn.weights.map((w) => w.originalName), ['bn/gamma', 'bn/beta', 'bn/moving_mean', 'bn/moving_variance']);
    const ln = tf.layers.layerNormalization({name: 'ln'});
    ln.apply(tf.input({shape: [3, 4]}));
    assert.deepEqual(ln.weights.map((w) => [w.originalName, w.shape]), [['ln/gamma', [4]], ['ln/beta', [4]]]);
    bn.dispose();
    ln.dispose();
  });

  test('TF.js in node computes the normalization models as the plain-JS pass does (moving statistics)', {skip: noTfjs}, () =>
    L.checkTfjsAgainstPlainPass([['ln-chain', LN_CHAIN, {classes: 3, scale: 4}], ['bn-chain', BN_CHAIN, {classes: 3, scale: 4}],
                                 ['ln-residual', LN_RESIDUAL, {classes: 3, scale: 4}]]));

  test('TF.js in node\'s first training loss (batch statistics in batch normalization) equals the plain-JS pass\'s', {skip: noTfjs}, async () => {
    for (const s of [BN_CHAIN, LN_CHAIN, LN_RESIDUAL]) {
      const exported = await L.exportWithTfjs(s, 3);
      const data = L.makeLayerData({rows: 64, inputShape: s.input.shape, classes: 3, scale: 4});
      const tfjs = await L.tfjsReference(s, exported, data.x, 64, {y: data.y, loss: s.loss, training: true});
      const step = L.referenceLossAndAccuracy(s.loss, L.referenceForward(s, exported, data.x, 64, {training: true}), data.y, 3);
      assert.ok(L.near(tfjs.firstLoss, step.loss), `${s.name}: TF.js ${tfjs.firstLoss}, plain JS ${step.loss}`);
    }
  });

  test('TF.js 4.22\'s own classes cannot train without gamma or beta (BatchNormalization reads both, the fused gradient needs both)', {skip: noTfjs}, async () => {
    const tf = L.nodeTfjs();
    const errors = {batchNormalization: /Cannot read properties of undefined \(reading 'read'\)/,
                    layerNormalization: /Cannot read properties of undefined \(reading '(dataId|id)'\)/};
    for (const [make, pattern] of Object.entries(errors))
      for (const fields of [{center: false}, {scale: false}, {center: false, scale: false}]) {
        const model = tf.sequential({layers: [tf.layers.dense({inputShape: [3], units: 3}), tf.layers[make](fields)]});
        model.compile({optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError'});
        const x = tf.tensor([[1, 2, 3], [2, 0, 1]]);
        await assert.rejects(model.trainOnBatch(x, x), pattern, `${make} ${JSON.stringify(fields)}`);
        const out = model.predict(x);  // inference works
        assert.deepEqual(out.shape, [2, 3]);
        tf.dispose([x, out]);
        model.dispose();
      }
  });

  test('the harness\'s classes (ones/zeros for a missing gamma/beta) train exactly as TF.js\'s own with gamma 1 and beta 0 do', {skip: noTfjs}, async () => {
    const tf = L.nodeTfjs();
    for (const type of ['batch_normalization', 'layer_normalization'])
      for (const fields of [{center: false}, {scale: false}, {center: false, scale: false}]) {
        const layers = (own) => [{type: 'dense', name: 'mix', units: 5}, {type, name: 'n', ...own}, {type: 'flatten'},
                                 {type: 'dense', name: 'out', units: 3, activation: 'softmax'}];
        const spec = chain('without', [4, 3], layers(fields));
        const full = chain('with', [4, 3], layers({}));
        const exported = await L.exportWithTfjs(spec, 3);
        const harness = await L.loadExported(tf, exported, L.harnessTopology(tf, spec, exported));
        assert.equal(harness.getLayer('n').getClassName(), {batch_normalization: 'GapscopeBatchNormalization',
                                                            layer_normalization: 'GapscopeLayerNormalization'}[type]);
        // TF.js's own layer with every weight: the same values, gamma 1, beta 0
        const own = await L.loadExported(tf, await L.exportWithTfjs(full, 3));
        assert.equal(own.getLayer('n').getClassName(), type === 'batch_normalization' ? 'BatchNormalization' : 'LayerNormalization');
        const values = new Map(exported.weights.map((w) => [w.name, w.values]));
        own.setWeights(own.weights.map((w) => (values.has(w.originalName) ? tf.tensor(values.get(w.originalName), w.shape)
                                               : w.originalName.endsWith('/gamma') ? tf.ones(w.shape) : tf.zeros(w.shape))));
        const data = L.makeLayerData({rows: 16, inputShape: [4, 3], classes: 3, scale: 4});
        const x = tf.tensor(data.x, [16, 4, 3]);
        const y = tf.tensor(data.y, [16, 3]);
        const losses = [];
        for (const model of [harness, own]) {
          model.compile({optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy'});
          losses.push(await model.trainOnBatch(x, y));
        }
        const what = `${type} ${JSON.stringify(fields)}`;
        assert.equal(losses[0], losses[1], what);
        // after the step: the same weights, moving statistics included (beta and gamma of TF.js's own aside)
        for (const w of harness.weights)
          assert.deepEqual(Array.from(w.read().dataSync()), Array.from(own.weights.find((o) => o.originalName === w.originalName).read().dataSync()),
                           `${what}: ${w.originalName}`);
        tf.dispose([x, y]);
        harness.dispose();
        own.dispose();
      }
  });
});

describe('layer and batch normalization: harness page in headless chromium (file://)', () => {
  const {skip, layerConfigs: configs, referenceRunTests, refusalTests, noErrorsTest} =
      L.layerPage(MODELS, {seed: 3, reference: true, steps: 3});

  test('the fixtures are TF.js 4.22 LayerNormalization and BatchNormalization layers with center and scale', {skip}, () => {
    const ln = configs('ln-chain');
    assert.deepEqual([ln.ln[0], ln.ln[1].epsilon, ln.ln[1].center, ln.ln[1].scale], ['LayerNormalization', 1e-3, true, true]);
    assert.deepEqual([ln.ln_no_gamma[1].scale, ln.ln_no_beta[1].center, ln.ln_no_beta[1].epsilon], [false, false, 0.01]);
    const bn = configs('bn-chain');
    assert.deepEqual([bn.bn_no_beta[0], bn.bn_no_beta[1].center, bn.bn_no_gamma[1].scale, bn.bn_bare[1].center, bn.bn_bare[1].scale],
                     ['BatchNormalization', false, false, false, false]);
  });

  // on webgl (SwiftShader renders it in software: seconds per model) the chains: every form of both layers
  referenceRunTests(['tfjs-cpu', 'tfjs-wasm'].flatMap((backend) => RUN.map((name) => [backend, name]))
                      .concat([['tfjs-webgl', 'ln-chain'], ['tfjs-webgl', 'bn-chain']]));

  refusalTests([
    ['convnetjs', 'ln-vector', convnetLnRefusal('layer_normalization_1')],
    ['brainjs', 'ln-vector', L.denseOnlyRefusal('brainjs', 'layer_normalization', 'layer_normalization_1')],
    ['synaptic', 'ln-vector', L.denseOnlyRefusal('synaptic', 'layer_normalization', 'layer_normalization_1')],
    ['convnetjs', 'bn-chain', 'unsupported by convnetjs: dense layer \'mix\' gets a [4,4,3] input (a dense layer acts on its last ' +
                              'axis, per position; ConvNetJS\'s fc layer takes the whole volume: flatten first)'],
  ]);

  noErrorsTest();
});
