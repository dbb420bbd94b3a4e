// relu with negative_slope, threshold and any max_value, and leaky_relu, in the
// web harness. Keras's ReLU: f(x) = max_value where x >= max_value, x where
// threshold < x < max_value, negative_slope * (x - threshold) at or below the
// threshold; TF.js 4.22's ReLU layer has only maxValue (and reads a model.json
// ReLU with negative_slope or threshold as a plain relu), so the harness loads
// such a layer as its own GapscopeReLU (harness/tfjs_layers.js); leaky_relu
// is TF.js's LeakyReLU (x where x > 0, else alpha * x). Run:
// node --test tests/web/
// The first group needs only node: reading the fields (defaults, every
// error), what ConvNetJS, brain.js and synaptic refuse; and (with
// resources/web/node_modules) TF.js in node, loaded as the harness loads the
// model, against a plain-JS forward pass, on inputs that hit the kinks
// exactly; the gradient TF.js takes at each kink (left-hand derivatives);
// TF.js's own ReLU ignoring negative_slope and threshold. The second opens the
// page in headless Debian chromium: model.json files written by TF.js 4.22 in
// this node process (with the fields Keras's ReLU writes), run as jobs on
// tfjs-cpu, tfjs-wasm and tfjs-webgl: predictions equal to TF.js in node's
// and the plain-JS pass's, and three training steps' losses equal to TF.js in
// node's, falling.
import {test, describe} from 'node:test';
import assert from 'node:assert/strict';
import * as F from './fixtures.mjs';
import * as L from './layer_fixtures.mjs';
import {loadHarnessParts, unsupportedBy} from './browser.mjs';

const parts = loadHarnessParts();
const read = (s) => parts.modelSpec.readModelSpec(s);
const {chain} = L;

// The relu with all three fields first, on inputs in steps of 0.25 in [-2, 2]
// (data 'grid'): x = threshold (0.5) and x = max_value (1.5) occur exactly.
// Then, on the trained path (its gradient reaches 'hidden'), one with a
// negative threshold, a slope and a cap that is not 6.
const RELU_CHAIN = chain('relu-chain', [4, 4, 2], [
  {type: 'relu', name: 'kinked', negative_slope: 0.1, threshold: 0.5, max_value: 1.5},
  {type: 'flatten'},
  {type: 'dense', name: 'hidden', units: 12},
  {type: 'relu', name: 'sloped', negative_slope: 0.2, threshold: -0.25, max_value: 2.5},
  {type: 'dense', units: 3, activation: 'softmax'},
], 'categorical_crossentropy', {type: 'sgd', learning_rate: 0.5});

// leaky_relu with its default alpha (0.3) and another; a relu with only a
// threshold (no slope: 0 below it); a capped relu of any max_value (TF.js's
// ReLU layer).
const LEAKY_CHAIN = chain('leaky-chain', [6], [
  {type: 'dense', units: 8},
  {type: 'leaky_relu'},
  {type: 'dense', units: 8},
  {type: 'leaky_relu', name: 'leaky', alpha: 0.05},
  {type: 'dense', units: 6},
  {type: 'relu', name: 'thresholded', threshold: 0.1},
  {type: 'dense', units: 6},
  {type: 'relu', name: 'capped', max_value: 0.75},
  {type: 'dense', units: 3, activation: 'softmax'},
], 'categorical_crossentropy', {type: 'sgd', learning_rate: 0.5});

const MODELS = {
  'relu-chain': {spec: RELU_CHAIN, data: {inputShape: [4, 4, 2], input: 'grid', classes: 3}},
  'leaky-chain': {spec: LEAKY_CHAIN, data: {inputShape: [6], classes: 3, scale: 4}},
};

const leakyRefusal = {
  convnetjs: 'ConvNetJS 0.3.0 has no leaky or thresholded relu: its relu layer is max(x, 0)',
  brainjs: 'brain.js 1.6.1 has no leaky or thresholded relu: its \'leaky-relu\' activation computes x < 0 ? 0 : 0.01 * x',
  synaptic: 'synaptic has no leaky or thresholded relu: its squashes are identity, logistic, tanh, relu (max(x, 0)) and hlim',
};

describe('relu fields and leaky_relu: harness logic (node)', () => {
  const layer = (l, shape = [5]) => read(chain('t', shape, [l])).layers[0];
  const fields = (l) => [l.maxValue, l.negativeSlope, l.threshold];

  test('leaky_relu comes right after relu in LAYER_TYPES (the C++ registry\'s order)', () => {
    const types = parts.modelSpec.LAYER_TYPES;
    assert.equal(types.indexOf('leaky_relu'), types.indexOf('relu') + 1);
  });

  test('relu reads max_value, negative_slope and threshold with Keras\'s defaults; leaky_relu alpha (0.3); any shape', () => {
    assert.deepEqual(fields(layer({type: 'relu'})), [null, 0, 0]);
    assert.deepEqual(fields(layer({type: 'relu', max_value: null, negative_slope: null, threshold: null})), [null, 0, 0]);
    assert.deepEqual(fields(layer({type: 'relu', max_value: 1.5, negative_slope: 0.1, threshold: 0.5})), [1.5, 0.1, 0.5]);
    assert.deepEqual(fields(layer({type: 'relu', max_value: 0, negative_slope: 0, threshold: -3})), [0, 0, -3]);
    assert.deepEqual(fields(layer({type: 'relu', max_value: 1e6})), [1e6, 0, 0]);
    assert.equal(layer({type: 'leaky_relu'}).alpha, 0.3);
    assert.deepEqual([0, 0.01, 2].map((alpha) => layer({type: 'leaky_relu', alpha}).alpha), [0, 0.01, 2]);
    assert.equal(layer({type: 'leaky_relu', alpha: null}).alpha, 0.3);
    for (const shape of [[5], [4, 3], [4, 4, 2]]) {
      assert.deepEqual(layer({type: 'leaky_relu'}, shape).outputShape, shape);
      assert.deepEqual(layer({type: 'relu', negative_slope: 0.5}, shape).outputShape, shape);
    }
    assert.deepEqual(read(RELU_CHAIN).layers.map((l) => [l.name, l.outputShape]),
                     [['kinked', [4, 4, 2]], ['flatten_1', [32]], ['hidden', [12]], ['sloped', [12]], ['dense_2', [3]]]);
    assert.deepEqual(read(LEAKY_CHAIN).layers.map((l) => l.name),
                     ['dense_1', 'leaky_relu_1', 'dense_2', 'leaky', 'dense_3', 'thresholded', 'dense_4', 'capped', 'dense_5']);
  });

  test('malformed relu and leaky_relu layers give spec errors that name the layer and field', () => {
    const escape = (text) => text.replace(/[[\]{}().*+?^$|\\]/g, '\\$&');
    const error = (message) => new RegExp(`^Error: spec: layers\\[0\\]\\.${escape(message)}$`);
    const cases = [
      ...[-0.1, '0.1', true, [0.1]].map((v) =>
        [{type: 'relu', negative_slope: v}, error(`negative_slope must be a number >= 0, got ${JSON.stringify(v)}`)]),
      ...['0.5', false, {}].map((v) =>
        [{type: 'relu', threshold: v}, error(`threshold must be a finite number, got ${JSON.stringify(v)}`)]),
      [{type: 'relu', max_value: -0.5}, error('max_value must be null (no ceiling) or a number >= 0, got -0.5')],
      ...[-0.3, '0.3', false].map((v) =>
        [{type: 'leaky_relu', alpha: v}, error(`alpha must be a number >= 0, got ${JSON.stringify(v)}`)]),
    ];
    for (const [l, pattern] of cases) assert.throws(() => read(chain('t', [5], [l])), pattern, JSON.stringify(l));
  });

  test('ConvNetJS, brain.js and synaptic refuse leaky_relu and relu with negative_slope or threshold, naming the layer and why', () => {
    const mse = (layers) => chain('t', [6], layers, 'mean_squared_error');
    const dense = {type: 'dense', units: 4};
    for (const framework of ['brainjs', 'synaptic']) {
      assert.equal(unsupportedBy(framework, mse([dense, {type: 'leaky_relu', name: 'lr'}, {type: 'dense', units: 2}])),
                   `unsupported by ${framework}: leaky_relu layer 'lr' (${leakyRefusal[framework]})`);
      assert.equal(unsupportedBy(framework, mse([dense, {type: 'relu', name: 'r', negative_slope: 0.1}, {type: 'dense', units: 2}])),
                   `unsupported by ${framework}: relu layer 'r' has negative_slope 0.1 (${leakyRefusal[framework]})`);
      // the slope and threshold are named before the ceiling
      assert.equal(unsupportedBy(framework, mse([dense, {type: 'relu', name: 'r', threshold: -1, max_value: 6}])),
                   `unsupported by ${framework}: relu layer 'r' has threshold -1 (${leakyRefusal[framework]})`);
      assert.match(unsupportedBy(framework, mse([dense, {type: 'relu', name: 'r', max_value: 2.5}, {type: 'dense', units: 2}])),
                   new RegExp(`^unsupported by ${framework}: relu layer 'r' has max_value 2\\.5 \\(a capped relu, min\\(max\\(x, 0\\), 2\\.5\\)`));
    }
    // a plain relu (every field 0 or null, written out) still fuses into the dense layer before
    const plain = read(mse([dense, {type: 'relu', negative_slope: 0, threshold: 0, max_value: null},
                            {type: 'dense', units: 2, activation: 'relu'}]));
    assert.deepEqual(parts.brainjsRunner.plan(plain, 64).stack.map((l) => l.activation), ['relu', 'relu']);
    assert.deepEqual(parts.synapticRunner.plan(read(mse([dense, {type: 'relu', threshold: 0}, {type: 'dense', units: 2}])), 64)
        .stack.map((l) => l.activation), ['relu', 'linear']);
    assert.equal(unsupportedBy('brainjs', RELU_CHAIN),
                 `unsupported by brainjs: relu layer 'kinked' has negative_slope 0.1 and threshold 0.5 (${leakyRefusal.brainjs})`);
    assert.equal(unsupportedBy('synaptic', LEAKY_CHAIN),
                 `unsupported by synaptic: leaky_relu layer 'leaky_relu_1' (${leakyRefusal.synaptic})`);
    // ConvNetJS: after a conv2d, which it maps
    const conv = {type: 'conv2d', filters: 2, kernel_size: 3};
    const tail = [{type: 'flatten'}, {type: 'dense', units: 3, activation: 'softmax'}];
    const image = (l) => unsupportedBy('convnetjs', chain('t', [6, 6, 1], [conv, l, ...tail]));
    assert.equal(image({type: 'leaky_relu', name: 'lr', alpha: 0.1}),
                 `unsupported by convnetjs: leaky_relu layer 'lr' (${leakyRefusal.convnetjs})`);
    assert.equal(image({type: 'relu', name: 'r', negative_slope: 0.2, threshold: 1, max_value: 6}),
                 `unsupported by convnetjs: relu layer 'r' has negative_slope 0.2 and threshold 1 (${leakyRefusal.convnetjs})`);
    assert.equal(image({type: 'relu', name: 'r', max_value: 3}),
                 'unsupported by convnetjs: relu layer \'r\' has max_value 3 (a capped relu; ConvNetJS\'s relu layer has no ceiling)');
    assert.equal(image({type: 'relu', negative_slope: 0, threshold: 0}), 'no error');
    assert.equal(unsupportedBy('convnetjs', RELU_CHAIN),
                 `unsupported by convnetjs: relu layer 'kinked' has negative_slope 0.1 and threshold 0.5 (${leakyRefusal.convnetjs})`);
  });

  test('the harness loads a relu with negative_slope or threshold as GapscopeReLU (found by name, spec fields); others as they are', () => {
    const topology = {class_name: 'Sequential', config: {name: 't', layers: [
      {class_name: 'ReLU', config: {name: 'kinked', max_value: null, negative_slope: 0.1, trainable: true,
                                    batch_input_shape: [null, 4, 4, 2], dtype: 'float32'}},
      {class_name: 'Flatten', config: {name: 'flatten_1'}},
      {class_name: 'Dense', config: {name: 'hidden', units: 12}},
      {class_name: 'ReLU', config: {name: 'sloped', max_value: 2.5}},
      {class_name: 'Dense', config: {name: 'dense_1', units: 3}}]}};
    const loaded = parts.tfjsLayers.topologyFor(topology, read(RELU_CHAIN));
    assert.notEqual(loaded, topology);
    assert.deepEqual(loaded.config.layers.map((l) => l.class_name), ['GapscopeReLU', 'Flatten', 'Dense', 'GapscopeReLU', 'Dense']);
    assert.deepEqual(loaded.config.layers[0].config, {name: 'kinked', max_value: 1.5, negative_slope: 0.1, threshold: 0.5,
                                                      trainable: true, batch_input_shape: [null, 4, 4, 2], dtype: 'float32'});
    assert.deepEqual(loaded.config.layers[3].config, {name: 'sloped', max_value: 2.5, negative_slope: 0.2, threshold: -0.25});
    assert.equal(topology.config.layers[0].class_name, 'ReLU', 'the job\'s model.json is left as it is');
    // no such relu: the topology itself
    const plain = read(chain('p', [4], [{type: 'relu', max_value: 6}, {type: 'leaky_relu'}]));
    assert.equal(parts.tfjsLayers.topologyFor(topology, plain), topology);
    assert.throws(() => parts.tfjsLayers.topologyFor(topology, read(chain('q', [4], [{type: 'relu', name: 'other', threshold: 1}]))),
                  /^Error: model_json has no layer 'other' \(relu layer of the spec\)$/);
  });

  const noTfjs = L.noNodeTfjs();
  test('TF.js in node (as the harness loads the models) computes the chains as the plain-JS pass does, kinks included', {skip: noTfjs}, async () => {
    // and the kinked relu alone: its whole output on inputs that hit threshold and max_value exactly
    await L.checkTfjsAgainstPlainPass([['relu-chain', RELU_CHAIN, {input: 'grid', classes: 3}],
                                       ['leaky-chain', LEAKY_CHAIN, {classes: 3, scale: 4}]], {firstLayerAlone: true});
    const data = L.makeLayerData({rows: 8, inputShape: [4, 4, 2], input: 'grid', classes: 3});
    const values = Array.from(data.x);
    assert.ok(values.includes(0.5) && values.includes(1.5) && values.includes(0), 'the grid hits the kinks');
    // the rule, on the kinks
    const kinked = RELU_CHAIN.layers[0];
    assert.deepEqual([-2, 0, 0.25, 0.5, 1, 1.5, 2].map((x) => L.reluValue(x, kinked)),
                     [0.1 * (-2 - 0.5), 0.1 * (0 - 0.5), 0.1 * (0.25 - 0.5), 0, 1, 1.5, 1.5]);  // 0 at the threshold, as Keras
  });

  test('TF.js\'s own ReLU layer reads negative_slope and threshold in a model.json as a plain (capped) relu', {skip: noTfjs}, async () => {
    const tf = L.nodeTfjs();
    const alone = chain('alone', [4, 4, 2], [RELU_CHAIN.layers[0]]);
    const exported = await L.exportWithTfjs(alone, 5);
    const entry = exported.modelJson.modelTopology.config.layers[0];
    assert.deepEqual([entry.class_name, entry.config.max_value, entry.config.negative_slope, entry.config.threshold],
                     ['ReLU', 1.5, 0.1, 0.5], 'the fixture writes Keras\'s ReLU fields');
    const model = await L.loadExported(tf, exported);
    const data = L.makeLayerData({rows: 4, inputShape: [4, 4, 2], input: 'grid', classes: 3});
    const xs = tf.tensor(data.x.subarray(0, 32 * 4), [4, 4, 4, 2]);
    const out = model.predict(xs);
    const values = Array.from(await out.data());
    xs.dispose();
    assert.deepEqual(values, Array.from(data.x.subarray(0, 32 * 4)).map((x) => Math.min(Math.max(x, 0), 1.5)));
    out.dispose();
    model.dispose();
  });

  test('gradients at the kinks are left-hand derivatives: GapscopeReLU, TF.js\'s ReLU (max_value) and LeakyReLU', {skip: noTfjs}, () => {
    const tf = L.nodeTfjs();
    const {GapscopeReLU} = parts.tfjsLayers.register(tf);
    const gradient = (layer, xs) => {
      const x = tf.tensor1d(xs);
      const g = tf.grad((input) => layer.apply(input).sum())(x);
      const values = Array.from(g.dataSync());
      x.dispose();
      g.dispose();
      return values;
    };
    const f32 = (v) => Math.fround(v);
    // slope 0.1, threshold 0.5, max 1.5: x <= threshold -> slope, (threshold, max] -> 1, above -> 0
    const kinked = new GapscopeReLU({maxValue: 1.5, negativeSlope: 0.1, threshold: 0.5});
    assert.deepEqual(gradient(kinked, [-1, 0.5, 0.75, 1.5, 2]), [f32(0.1), f32(0.1), 1, 1, 0]);
    assert.deepEqual(Array.from(kinked.apply(tf.tensor1d([-1, 0.5, 0.75, 1.5, 2])).dataSync()),
                     [-0.15, 0, 0.75, 1.5, 1.5].map(f32));
    // a threshold above max_value: the ceiling first (value), left-hand slope at max_value
    const inverted = new GapscopeReLU({maxValue: 1, negativeSlope: 0.5, threshold: 2});
    assert.deepEqual(Array.from(inverted.apply(tf.tensor1d([0, 1, 1.5, 3])).dataSync()), [-1, 1, 1, 1]);
    assert.deepEqual(gradient(inverted, [0, 1, 1.5, 3]), [0.5, 0.5, 0, 0]);
    // TF.js's own ReLU layer: clipByValue(relu(x), 0, max) -> 0 at x = 0, 1 at x = max_value
    assert.deepEqual(gradient(tf.layers.reLU({maxValue: 1.5}), [-1, 0, 0.75, 1.5, 2]), [0, 0, 1, 1, 0]);
    assert.deepEqual(gradient(tf.layers.reLU({maxValue: 6}), [0, 6, 6.5]), [0, 1, 0]);
    assert.deepEqual(gradient(tf.layers.reLU(), [-1, 0, 1]), [0, 0, 1]);
    // LeakyReLU: alpha at x <= 0
    assert.deepEqual(gradient(tf.layers.leakyReLU({alpha: 0.2}), [-1, 0, 1]), [f32(0.2), f32(0.2), 1]);
    // the harness's relu with slope 0 and threshold 0 would agree with TF.js's ReLU everywhere
    assert.deepEqual(gradient(new GapscopeReLU({maxValue: 1.5}), [-1, 0, 0.75, 1.5, 2]), [0, 0, 1, 1, 0]);
  });
});

describe('relu fields and leaky_relu: harness page in headless chromium (file://)', () => {
  const {skip, layerConfigs: configs, referenceRunTests, refusalTests, noErrorsTest} =
      L.layerPage(MODELS, {seed: 3, reference: true, steps: 3});

  test('the fixtures are TF.js 4.22 ReLU (with Keras\'s negative_slope and threshold) and LeakyReLU layers', {skip}, () => {
    const r = configs('relu-chain');
    assert.deepEqual([r.kinked[0], r.kinked[1].max_value, r.kinked[1].negative_slope, r.kinked[1].threshold],
                     ['ReLU', 1.5, 0.1, 0.5]);
    assert.deepEqual([r.sloped[1].max_value, r.sloped[1].negative_slope, r.sloped[1].threshold], [2.5, 0.2, -0.25]);
    const l = configs('leaky-chain');
    assert.deepEqual([l.leaky_relu_1[0], l.leaky_relu_1[1].alpha, l.leaky[1].alpha], ['LeakyReLU', 0.3, 0.05]);
    assert.deepEqual([l.thresholded[0], l.thresholded[1].threshold, l.capped[0], l.capped[1].max_value], ['ReLU', 0.1, 'ReLU', 0.75]);
  });

  referenceRunTests(['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl'].flatMap((backend) => [[backend, 'relu-chain'], [backend, 'leaky-chain']]));

  refusalTests([
    ['convnetjs', 'relu-chain', `unsupported by convnetjs: relu layer 'kinked' has negative_slope 0.1 and threshold 0.5 (${leakyRefusal.convnetjs})`],
    ['convnetjs', 'leaky-chain', `unsupported by convnetjs: leaky_relu layer 'leaky_relu_1' (${leakyRefusal.convnetjs})`],
    ['brainjs', 'leaky-chain', `unsupported by brainjs: leaky_relu layer 'leaky_relu_1' (${leakyRefusal.brainjs})`],
    ['synaptic', 'relu-chain', `unsupported by synaptic: relu layer 'kinked' has negative_slope 0.1 and threshold 0.5 (${leakyRefusal.synaptic})`],
  ]);

  noErrorsTest();
});
