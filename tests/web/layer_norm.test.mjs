// layer_normalization in the web harness (TF.js 4.22's LayerNormalization
// over the last axis: each position's own mean and biased variance, then
// gamma [C] where scale and beta [C] where center). Run: node --test tests/web/
// The first group needs only node: reading the layer (defaults, fields, any
// rank), every error; what ConvNetJS, brain.js and synaptic refuse; and (with
// resources/web/node_modules) TF.js-in-node against a plain-JS forward pass.
// The second opens the page in headless Debian chromium (skipped, with the
// reason, where chromium or resources/web/node_modules is missing): model.json
// files written by TF.js 4.22 in this node process (layer_fixtures.mjs), run
// as jobs on tfjs-cpu and tfjs-wasm, predictions and first losses equal to
// TF.js-in-node's own. TF.js 4.22 takes no gradient through a
// LayerNormalization without center or scale (on any backend): the harness
// loads such a layer as its own class with a fixed gamma 1 / beta 0
// (tfjs_layers.js), which trains.
import {test, describe} from 'node:test';
import assert from 'node:assert/strict';
import * as L from './layer_fixtures.mjs';
import {loadHarnessParts, unsupportedBy} from './browser.mjs';

const parts = loadHarnessParts();
const read = (s) => parts.modelSpec.readModelSpec(s);
const {chain} = L;

// Steps of a sequence, each normalised on its own: axis left out and given
// as Keras writes it (2 for [steps, features]).
const SEQUENCE_NORM = chain('sequence-norm', [5, 6], [
  {type: 'dense', units: 8, activation: 'tanh'},
  {type: 'layer_normalization'},
  {type: 'layer_normalization', name: 'steps_norm', axis: 2, epsilon: 0.01},
  {type: 'flatten'},
  {type: 'dense', units: 3, activation: 'softmax'},
]);

// Pixels normalised over their channels (axis 3), after a convolution.
const IMAGE_NORM = chain('image-norm', [6, 6, 2], [
  {type: 'conv2d', filters: 4, kernel_size: [3, 3], activation: 'relu'},
  {type: 'layer_normalization', axis: 3},
  {type: 'global_average_pooling2d'},
  {type: 'dense', units: 3, activation: 'softmax'},
]);

// Without beta, then without gamma: inference only in TF.js 4.22.
const BARE_NORM = chain('bare-norm', [6], [
  {type: 'dense', units: 5, activation: 'relu'},
  {type: 'layer_normalization', name: 'no_center', center: false},
  {type: 'layer_normalization', name: 'no_scale', scale: false},
  {type: 'dense', units: 3, activation: 'softmax'},
]);

// A layer norm first (on the model input), all of its output checked.
const NORM_FIRST = chain('norm-first', [4, 6], [
  {type: 'layer_normalization', epsilon: 0.1},
  {type: 'flatten'},
  {type: 'dense', units: 3, activation: 'softmax'},
]);

const MODELS = {
  'sequence-norm': {spec: SEQUENCE_NORM, data: {inputShape: [5, 6], classes: 3, scale: 4}},
  'image-norm': {spec: IMAGE_NORM, data: {inputShape: [6, 6, 2], classes: 3, scale: 4}},
  'bare-norm': {spec: BARE_NORM, data: {inputShape: [6], classes: 3, scale: 4}},
};

describe('layer_normalization: harness logic (node)', () => {
  const layer = (l, shape) => read(chain('t', shape, [l])).layers[0];

  test('layer_normalization comes right after batch_normalization in LAYER_TYPES (the C++ registry\'s order)', () => {
    const types = parts.modelSpec.LAYER_TYPES;
    assert.equal(types.indexOf('layer_normalization'), types.indexOf('batch_normalization') + 1);
  });

  test('the layer reads its fields with TF.js\'s defaults and keeps any shape; initializers pass through', () => {
    const plain = layer({type: 'layer_normalization'}, [5]);
    assert.deepEqual(Object.fromEntries(['type', 'name', 'axis', 'epsilon', 'center', 'scale'].map((k) => [k, plain[k]])),
                     {type: 'layer_normalization', name: 'layer_normalization_1', axis: -1, epsilon: 1e-3, center: true,
                      scale: true});
    assert.deepEqual([plain.inputShape, plain.outputShape], [[5], [5]]);
    const full = layer({type: 'layer_normalization', name: 'n', axis: 2, epsilon: 0.01, center: false, scale: false,
                        gamma_initializer: 'random_normal', beta_initializer: 'zeros'}, [5, 6]);
    assert.deepEqual([full.name, full.axis, full.epsilon, full.center, full.scale, full.outputShape],
                     ['n', 2, 0.01, false, false, [5, 6]]);
    // -1 or the rank of the per-sample shape (the last axis counted with the batch axis)
    for (const [shape, axis] of [[[5], 1], [[5, 4], 2], [[4, 4, 3], 3], [[4, 4, 3], -1], [[5, 4], null]])
      assert.deepEqual(layer({type: 'layer_normalization', axis}, shape).outputShape, shape, `${shape} axis ${axis}`);
    assert.deepEqual(read(SEQUENCE_NORM).layers.map((l) => l.outputShape), [[5, 8], [5, 8], [5, 8], [40], [3]]);
    assert.deepEqual(read(IMAGE_NORM).layers.map((l) => l.outputShape), [[4, 4, 4], [4, 4, 4], [4], [3]]);
  });

  test('malformed layer_normalization layers give spec errors that name the layer and field', () => {
    const cases = [
      [[{type: 'layer_normalization', axis: 'last'}], /^Error: spec: layers\[0\]\.axis must be an integer, got "last"$/],
      [[{type: 'layer_normalization', axis: [3]}], /^Error: spec: layers\[0\]\.axis must be an integer, got \[3\]$/],
      ...[0, 1, 2, 4, -2].map((axis) =>
        [[{type: 'layer_normalization', axis}],
         new RegExp(`^Error: spec: layers\\[0\\] \\(layer_normalization 'layer_normalization_1'\\): axis ${axis} is not ` +
                    'the last axis; layer_normalization normalises over the last axis only \\(-1, or 3 for this input of ' +
                    'rank 3\\)$')]),
      [[{type: 'flatten'}, {type: 'layer_normalization', name: 'ln', axis: 2}],
       /^Error: spec: layers\[1\] \(layer_normalization 'ln'\): axis 2 is not the last axis; layer_normalization normalises over the last axis only \(-1, or 1 for this input of rank 1\)$/],
      [[{type: 'layer_normalization', epsilon: 0}], /^Error: spec: layers\[0\]\.epsilon must be a number > 0, got 0$/],
      [[{type: 'layer_normalization', epsilon: '1e-3'}], /^Error: spec: layers\[0\]\.epsilon must be a number > 0, got "1e-3"$/],
      [[{type: 'layer_normalization', center: 'no'}], /^Error: spec: layers\[0\]\.center must be true or false, got "no"$/],
      [[{type: 'layer_normalization', scale: 1}], /^Error: spec: layers\[0\]\.scale must be true or false, got 1$/],
    ];
    for (const [layers, pattern] of cases)
      assert.throws(() => read(chain('t', [8, 8, 1], layers)), pattern, JSON.stringify(layers));
  });

  test('ConvNetJS, brain.js and synaptic refuse layer_normalization, naming the layer and why', () => {
    assert.equal(unsupportedBy('convnetjs', IMAGE_NORM),
                 'unsupported by convnetjs: layer_normalization layer \'layer_normalization_1\' (ConvNetJS 0.3.0 has no ' +
                 'layer normalization; its lrn layer is local response normalization, another function)');
    for (const s of [BARE_NORM, chain('t', [6], BARE_NORM.layers, 'mean_squared_error')]) {
      assert.equal(unsupportedBy('brainjs', s), L.denseOnlyRefusal('brainjs', 'layer_normalization', 'no_center'));
      assert.equal(unsupportedBy('synaptic', s), L.denseOnlyRefusal('synaptic', 'layer_normalization', 'no_center'));
    }
  });

  test('TF.js in node computes layer normalization as the plain-JS forward pass does (any rank, without beta or gamma)',
       {skip: L.noNodeTfjs()}, () =>
    L.checkTfjsAgainstPlainPass([['sequence-norm', SEQUENCE_NORM, {classes: 3, scale: 4}],
                                 ['image-norm', IMAGE_NORM, {classes: 3, scale: 4}],
                                 ['bare-norm', BARE_NORM, {classes: 3, scale: 4}],
                                 ['norm-first', NORM_FIRST, {classes: 3, scale: 4}]], {firstLayerAlone: true}));
});

describe('layer_normalization: harness page in headless chromium (file://)', () => {
  const {skip, layerConfigs: configs, weightShapes: weights, referenceRunTests, refusalTests, noErrorsTest} =
      L.layerPage(MODELS, {seed: 3, reference: true});

  test('the fixtures are TF.js 4.22 LayerNormalization models; gamma and beta as center and scale have them', {skip}, () => {
    const s = configs('sequence-norm');
    const [cls, norm] = s.layer_normalization_1;
    assert.deepEqual([cls, norm.epsilon, norm.center, norm.scale], ['LayerNormalization', 1e-3, true, true]);
    assert.deepEqual(s.steps_norm[1].epsilon, 0.01);
    assert.deepEqual(Object.fromEntries(Object.entries(weights('sequence-norm')).filter(([n]) => n.includes('norm'))),
                     {'layer_normalization_1/gamma': [8], 'layer_normalization_1/beta': [8], 'steps_norm/gamma': [8],
                      'steps_norm/beta': [8]});
    assert.deepEqual(Object.keys(weights('bare-norm')).filter((n) => n.startsWith('no_')),
                     ['no_center/gamma', 'no_scale/beta']);
  });

  // TF.js 4.22's wasm backend has no Conv2DBackpropFilter: image-norm infers only there.
  referenceRunTests([
    ['tfjs-cpu', 'sequence-norm'], ['tfjs-cpu', 'image-norm'], ['tfjs-wasm', 'sequence-norm'],
    ['tfjs-wasm', 'image-norm', L.wasmNoGradient('conv2d', 'conv2d_1', 'Conv2DBackpropFilter')],
    ['tfjs-cpu', 'bare-norm'], ['tfjs-wasm', 'bare-norm'],
  ]);

  refusalTests([
    ['convnetjs', 'image-norm', 'unsupported by convnetjs: layer_normalization layer \'layer_normalization_1\' (ConvNetJS 0.3.0 ' +
                                'has no layer normalization; its lrn layer is local response normalization, another function)'],
    ['brainjs', 'bare-norm', L.denseOnlyRefusal('brainjs', 'layer_normalization', 'no_center')],
    ['synaptic', 'bare-norm', L.denseOnlyRefusal('synaptic', 'layer_normalization', 'no_center')],
  ]);

  noErrorsTest();
});
