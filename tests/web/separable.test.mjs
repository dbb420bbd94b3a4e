// separable_conv2d in the web harness (TF.js 4.22's SeparableConv2D,
// channels-last: a depthwise convolution with depth_multiplier M, no bias and
// no activation, then a 1x1 convolution to `filters` with the bias and the
// activation; weights depthwise_kernel [kh, kw, C, M], pointwise_kernel
// [1, 1, C * M, filters], bias [filters]). Run: node --test tests/web/
// The first group needs only node: reading the layer (defaults, every field,
// one-integer sizes), its shapes (depth_multiplier 1 and 2; strides 2 with same
// padding, odd pixel at the bottom/right), every error; what ConvNetJS,
// brain.js and synaptic refuse; and (with resources/web/node_modules)
// TF.js-in-node against a plain-JS forward pass of the same layers (the
// depthwise pass, then the pointwise one), which pins both kernels' layouts;
// that TF.js 4.22 writes no depth_multiplier for SeparableConv2D (the C++
// exporter and these fixtures add it); and, for batch normalization after it,
// TF.js's first training loss (batch statistics) against the plain-JS pass.
// The second opens the page in headless Debian chromium (skipped, with the
// reason, where chromium or resources/web/node_modules is missing): model.json
// files written by TF.js 4.22 in this node process (layer_fixtures.mjs), an
// Xception-like chain and residual graph among them, run as jobs on tfjs-cpu
// and tfjs-wasm, predictions equal to TF.js-in-node's own on the same weights
// (and to the plain-JS pass for the chains), first losses too where the
// backend trains them; TF.js 4.22's wasm backend has no
// DepthwiseConv2dNativeBackpropFilter/Input and no Conv2DBackpropFilter, so
// training is refused there by the first missing kernel's name before
// anything is timed.
import {test, describe} from 'node:test';
import assert from 'node:assert/strict';
import * as L from './layer_fixtures.mjs';
import {loadHarnessParts, unsupportedBy} from './browser.mjs';

const parts = loadHarnessParts();
const read = (s) => parts.modelSpec.readModelSpec(s);
const {chain, graph} = L;

// depth_multiplier 2, strides 2, padding same, relu on an [8, 7, 3] image:
// TF.js pads the height by 1 (at the bottom: asymmetric) and the width by 2
// (one each side); sizes as one integer (Keras's form).
const SEPARABLE_S2 = chain('separable-s2', [8, 7, 3], [
  {type: 'separable_conv2d', name: 'sep', filters: 5, kernel_size: 3, strides: 2, padding: 'same', depth_multiplier: 2,
   activation: 'relu'},
  {type: 'flatten'},
  {type: 'dense', units: 4, activation: 'softmax'},
]);

// Xception's separable blocks as a chain: 3x3 separable convolutions with
// same padding and no bias (depth_multiplier 1, left out, then 2), each
// followed by batch normalization, relu between; a 3x3 stride-2 same max pool;
// global pooling and a classifier. Names left to the defaults.
const XCEPTION_CHAIN = chain('xception-chain', [8, 8, 3], [
  {type: 'separable_conv2d', filters: 8, kernel_size: [3, 3], padding: 'same', use_bias: false},
  {type: 'batch_normalization'},
  {type: 'relu'},
  {type: 'separable_conv2d', filters: 8, kernel_size: 3, padding: 'same', depth_multiplier: 2, use_bias: false},
  {type: 'batch_normalization'},
  {type: 'max_pooling2d', pool_size: 3, strides: 2, padding: 'same'},
  {type: 'global_average_pooling2d'},
  {type: 'dense', units: 3, activation: 'softmax'},
], 'categorical_crossentropy', {type: 'sgd', learning_rate: 0.1});

// Xception's entry-flow residual block (a graph): two separable 3x3
// convolutions with batch normalization and relu between, a stride-2 max
// pool, added to a strided 1x1 convolution of the input (with its own batch
// normalization).
const XCEPTION_RESIDUAL = graph('xception-residual', {shape: [8, 8, 4], name: 'image'}, [
  {type: 'separable_conv2d', name: 'sep1', filters: 8, kernel_size: 3, padding: 'same', use_bias: false},
  {type: 'batch_normalization', name: 'sep1_bn'},
  {type: 'relu', name: 'sep1_relu'},
  {type: 'separable_conv2d', name: 'sep2', filters: 8, kernel_size: 3, padding: 'same', depth_multiplier: 2, use_bias: false},
  {type: 'batch_normalization', name: 'sep2_bn'},
  {type: 'max_pooling2d', name: 'pool', pool_size: 3, strides: 2, padding: 'same'},
  {type: 'conv2d', name: 'shortcut', filters: 8, kernel_size: 1, strides: 2, use_bias: false, inputs: ['image']},
  {type: 'batch_normalization', name: 'shortcut_bn'},
  {type: 'add', name: 'residual', inputs: ['pool', 'shortcut_bn']},
  {type: 'global_average_pooling2d', name: 'gap'},
  {type: 'dense', name: 'logits', units: 3, activation: 'softmax'},
], 'categorical_crossentropy', {type: 'sgd', learning_rate: 0.1});

// Checked against the plain-JS pass in node only: an asymmetric kernel,
// strides that differ per axis, valid padding, depth_multiplier 3, tanh.
const SEPARABLE_VALID = chain('separable-valid', [7, 6, 2], [
  {type: 'separable_conv2d', filters: 4, kernel_size: [3, 2], strides: [2, 1], depth_multiplier: 3, activation: 'tanh'},
  {type: 'flatten'},
  {type: 'dense', units: 3, activation: 'softmax'},
]);

// ConvNetJS's refusal of a separable_conv2d layer.
const convnetRefusal = (name) => `unsupported by convnetjs: separable_conv2d layer '${name}' (a depthwise convolution then a 1x1 ` +
                                 'convolution; ConvNetJS\'s conv layer mixes all input channels: each filter spans the whole input ' +
                                 'depth; it has no per-channel (depthwise) filters for the first half)';

const MODELS = {
  'separable-s2': {spec: SEPARABLE_S2, data: {inputShape: [8, 7, 3], classes: 4}},
  'xception-chain': {spec: XCEPTION_CHAIN, data: {inputShape: [8, 8, 3], classes: 3, scale: 4}},
  'xception-residual': {spec: XCEPTION_RESIDUAL, data: {inputShape: [8, 8, 4], classes: 3, scale: 4}},
};

describe('separable_conv2d: harness logic (node)', () => {
  const layer = (l, shape = [8, 8, 3]) => read(chain('t', shape, [l])).layers[0];

  test('LAYER_TYPES has separable_conv2d right after depthwise_conv2d (the C++ registry\'s order)', () => {
    const types = parts.modelSpec.LAYER_TYPES;
    assert.equal(types.indexOf('separable_conv2d'), types.indexOf('depthwise_conv2d') + 1);
    assert.equal(types.indexOf('max_pooling2d'), types.indexOf('separable_conv2d') + 1);
  });

  test('the layer reads its fields with TF.js\'s defaults; initializers pass through', () => {
    const keys = ['type', 'name', 'filters', 'kernelSize', 'strides', 'padding', 'depthMultiplier', 'activation', 'useBias'];
    const plain = layer({type: 'separable_conv2d', filters: 4, kernel_size: 3});
    assert.deepEqual(Object.fromEntries(keys.map((k) => [k, plain[k]])),
                     {type: 'separable_conv2d', name: 'separable_conv2d_1', filters: 4, kernelSize: [3, 3], strides: [1, 1],
                      padding: 'valid', depthMultiplier: 1, activation: 'linear', useBias: true});
    assert.deepEqual([plain.inputShape, plain.outputShape], [[8, 8, 3], [6, 6, 4]]);
    const full = layer({type: 'separable_conv2d', name: 'sep', filters: 16, kernel_size: [3, 1], strides: [2, 1], padding: 'valid',
                        depth_multiplier: 2, activation: 'relu6', use_bias: false, depthwise_initializer: 'he_normal',
                        pointwise_initializer: 'glorot_uniform', bias_initializer: 'zeros'});
    assert.deepEqual([full.name, full.filters, full.kernelSize, full.strides, full.depthMultiplier, full.activation, full.useBias],
                     ['sep', 16, [3, 1], [2, 1], 2, 'relu6', false]);
    assert.deepEqual(full.outputShape, [3, 8, 16]);
    const nulls = layer({type: 'separable_conv2d', filters: 2, kernel_size: 3, depth_multiplier: null, strides: null,
                         padding: null, use_bias: null});
    assert.deepEqual([nulls.depthMultiplier, nulls.strides, nulls.padding, nulls.useBias], [1, [1, 1], 'valid', true]);
    assert.deepEqual(layer({type: 'separable_conv2d', filters: 2, kernel_size: 3, strides: 2}).strides, [2, 2]);
  });

  test('shapes: [H, W, C] -> [OH, OW, filters] with conv2d\'s window arithmetic, whatever the depth_multiplier', () => {
    const shape = (fields, input = [8, 8, 3]) => layer({type: 'separable_conv2d', filters: 5, ...fields}, input).outputShape;
    // depth_multiplier 1 and 2, valid: the channels are filters either way
    assert.deepEqual(shape({kernel_size: 3}), [6, 6, 5]);
    assert.deepEqual(shape({kernel_size: 3, depth_multiplier: 2}), [6, 6, 5]);
    assert.deepEqual(shape({kernel_size: [3, 1], depth_multiplier: 4, filters: 1}, [5, 5, 1]), [3, 5, 1]);
    // same padding keeps the size at stride 1, ceil(in / 2) at stride 2
    assert.deepEqual(shape({kernel_size: 3, padding: 'same'}), [8, 8, 5]);
    assert.deepEqual(shape({kernel_size: 3, padding: 'same', strides: 2, depth_multiplier: 2}), [4, 4, 5]);
    assert.deepEqual(shape({kernel_size: 3, padding: 'same', strides: 2, depth_multiplier: 2}, [8, 7, 3]), [4, 4, 5]);
    assert.deepEqual(shape({kernel_size: 3, padding: 'same', strides: 2}, [9, 9, 2]), [5, 5, 5]);
    // valid with stride 2: floor((in - k) / s) + 1
    assert.deepEqual(shape({kernel_size: 3, strides: 2}, [7, 8, 2]), [3, 3, 5]);
    assert.deepEqual(shape({kernel_size: [3, 2], strides: [2, 1], depth_multiplier: 3, filters: 4}, [7, 6, 2]), [3, 5, 4]);
    // a window as large as the input, valid: one pixel
    assert.deepEqual(shape({kernel_size: [8, 8]}), [1, 1, 5]);
    // the test models
    assert.deepEqual(read(SEPARABLE_S2).layers.map((l) => [l.name, l.outputShape]),
                     [['sep', [4, 4, 5]], ['flatten_1', [80]], ['dense_1', [4]]]);
    assert.deepEqual(read(XCEPTION_CHAIN).layers.map((l) => [l.name, l.outputShape]),
                     [['separable_conv2d_1', [8, 8, 8]], ['batch_normalization_1', [8, 8, 8]], ['relu_1', [8, 8, 8]],
                      ['separable_conv2d_2', [8, 8, 8]], ['batch_normalization_2', [8, 8, 8]], ['max_pooling2d_1', [4, 4, 8]],
                      ['global_average_pooling2d_1', [8]], ['dense_1', [3]]]);
    const residual = read(XCEPTION_RESIDUAL);
    assert.equal(residual.isGraph, true);
    assert.deepEqual(Object.fromEntries(residual.layers.map((l) => [l.name, l.outputShape])),
                     {sep1: [8, 8, 8], sep1_bn: [8, 8, 8], sep1_relu: [8, 8, 8], sep2: [8, 8, 8], sep2_bn: [8, 8, 8],
                      pool: [4, 4, 8], shortcut: [4, 4, 8], shortcut_bn: [4, 4, 8], residual: [4, 4, 8], gap: [8], logits: [3]});
    assert.deepEqual(read(SEPARABLE_VALID).layers[0].outputShape, [3, 5, 4]);
  });

  test('malformed separable_conv2d layers give spec errors that name the layer and field', () => {
    const base = {type: 'separable_conv2d', filters: 4, kernel_size: [3, 3]};
    const escape = (value) => JSON.stringify(value).replace(/[[\].]/g, '\\$&');
    const cases = [
      [[{type: 'separable_conv2d', kernel_size: 3}], /^Error: spec: layers\[0\]\.filters must be an integer >= 1, got undefined$/],
      ...[0, -2, 2.5, '8', null, [8]].map((f) =>
        [[{...base, filters: f}], new RegExp(`^Error: spec: layers\\[0\\]\\.filters must be an integer >= 1, got ${escape(f)}$`)]),
      ...L.convolutionErrorCases(base, 'sep'),
    ];
    for (const [layers, pattern] of cases)
      assert.throws(() => read(chain('t', [8, 8, 1], layers)), pattern, JSON.stringify(layers));
    // with same padding, a window larger than the input is fine (TF.js pads)
    assert.deepEqual(layer({type: 'separable_conv2d', filters: 2, kernel_size: [9, 3], padding: 'same'}, [8, 8, 1]).outputShape,
                     [8, 8, 2]);
  });

  test('ConvNetJS, brain.js and synaptic refuse separable_conv2d, naming the layer and why', () => {
    assert.equal(unsupportedBy('convnetjs', SEPARABLE_S2), convnetRefusal('sep'));
    assert.equal(unsupportedBy('convnetjs', SEPARABLE_VALID), convnetRefusal('separable_conv2d_1'));
    // after layers ConvNetJS maps; zero padding maps only right before a conv2d
    const {afterConv, afterPadding} = L.convnetjsAfterMappedLayers({type: 'separable_conv2d', name: 'sep', filters: 4, kernel_size: 3});
    assert.equal(afterConv, convnetRefusal('sep'));
    assert.match(afterPadding,
                 /^unsupported by convnetjs: zero_padding2d layer 'zero_padding2d_1' is followed by separable_conv2d layer 'sep' \(ConvNetJS has no padding layer/);
    // the first layer it cannot map is named: here the separable one, before the batch norm
    assert.equal(unsupportedBy('convnetjs', XCEPTION_CHAIN), convnetRefusal('separable_conv2d_1'));
    // a graph is refused as a graph first
    assert.equal(unsupportedBy('convnetjs', XCEPTION_RESIDUAL), 'unsupported by convnetjs: ConvNetJS runs a chain of layers; ' +
                 'the input \'image\' is used by 2 layers (\'sep1\', \'shortcut\')');
    for (const s of [SEPARABLE_S2, chain('t', [8, 8, 2], SEPARABLE_S2.layers, 'mean_squared_error')]) {
      assert.equal(unsupportedBy('brainjs', s), L.denseOnlyRefusal('brainjs', 'separable_conv2d', 'sep'));
      assert.equal(unsupportedBy('synaptic', s), L.denseOnlyRefusal('synaptic', 'separable_conv2d', 'sep'));
    }
    assert.equal(unsupportedBy('brainjs', XCEPTION_CHAIN), L.denseOnlyRefusal('brainjs', 'separable_conv2d', 'separable_conv2d_1'));
    assert.equal(unsupportedBy('synaptic', XCEPTION_RESIDUAL), 'unsupported by synaptic: synaptic runs a chain of layers; ' +
                 'the input \'image\' is used by 2 layers (\'sep1\', \'shortcut\')');
  });

  const noTfjs = L.noNodeTfjs();
  test('TF.js in node computes the separable chains as the plain-JS pass does (depthwise [kh, kw, C, M], then pointwise [1, 1, C*M, filters])', {skip: noTfjs}, () =>
    // and the separable layer alone: its [OH, OW, filters] output, before anything mixes its channels
    L.checkTfjsAgainstPlainPass([['separable-s2', SEPARABLE_S2, {classes: 3, scale: 4}],
                                 ['xception-chain', XCEPTION_CHAIN, {classes: 3, scale: 4}],
                                 ['separable-valid', SEPARABLE_VALID, {classes: 3, scale: 4}]], {firstLayerAlone: true}));

  test('TF.js 4.22 writes no depth_multiplier for SeparableConv2D: without it a depth_multiplier 2 model does not load', {skip: noTfjs}, async () => {
    const tf = L.nodeTfjs();
    const exported = await L.exportWithTfjs(SEPARABLE_S2, 7);
    const sep = exported.modelJson.modelTopology.config.layers.find((l) => l.config.name === 'sep');
    assert.equal(sep.config.depth_multiplier, 2, 'the fixtures write it, as the C++ exporter does');
    const topology = JSON.parse(JSON.stringify(exported.modelJson.modelTopology));
    delete topology.config.layers.find((l) => l.config.name === 'sep').config.depth_multiplier;
    await assert.rejects(L.loadExported(tf, exported, topology), /Shape mismatch: \[3,3,3,1\] vs\. \[3,3,3,2\]/);
  });

  test('TF.js in node\'s first training loss of the Xception chain (batch statistics) equals the plain-JS pass\'s', {skip: noTfjs}, async () => {
    const exported = await L.exportWithTfjs(XCEPTION_CHAIN, 3);
    const data = L.makeLayerData({rows: 64, inputShape: [8, 8, 3], classes: 3, scale: 4});
    const tfjs = await L.tfjsReference(XCEPTION_CHAIN, exported, data.x, 64, {y: data.y, loss: XCEPTION_CHAIN.loss});
    const step = L.referenceLossAndAccuracy(XCEPTION_CHAIN.loss,
                                            L.referenceForward(XCEPTION_CHAIN, exported, data.x, 64, {training: true}), data.y, 3);
    assert.ok(L.near(tfjs.firstLoss, step.loss), `TF.js ${tfjs.firstLoss}, plain JS ${step.loss}`);
    // the inference pass (moving statistics) gives another loss: the training pass is what is compared
    const inference = await L.tfjsReference(XCEPTION_CHAIN, exported, data.x, 64, {y: data.y, loss: XCEPTION_CHAIN.loss,
                                                                                   training: false});
    assert.ok(!L.near(inference.firstLoss, step.loss), `inference loss ${inference.firstLoss} equals the training one`);
  });
});

describe('separable_conv2d: harness page in headless chromium (file://)', () => {
  const {skip, fixtures, layerConfigs: configs, weightShapes: weights, referenceRunTests, refusalTests, noErrorsTest} =
      L.layerPage(MODELS, {seed: 3, reference: true});

  test('the fixtures are TF.js 4.22 SeparableConv2D models with the fields and weights the C++ exporter writes', {skip}, () => {
    const [cls, sep] = configs('separable-s2').sep;
    assert.deepEqual([cls, sep.filters, sep.kernel_size, sep.strides, sep.padding, sep.depth_multiplier, sep.activation,
                      sep.use_bias, sep.data_format, sep.dilation_rate],
                     ['SeparableConv2D', 5, [3, 3], [2, 2], 'same', 2, 'relu', true, 'channels_last', [1, 1]]);
    // in the manifest: depthwise, pointwise, bias (TF.js's order)
    assert.deepEqual(weights('separable-s2'), {'sep/depthwise_kernel': [3, 3, 3, 2], 'sep/pointwise_kernel': [1, 1, 6, 5],
                                               'sep/bias': [5], 'dense_1/kernel': [80, 4], 'dense_1/bias': [4]});
    assert.deepEqual(fixtures['separable-s2'].exported.weights.slice(0, 3).map((w) => w.name),
                     ['sep/depthwise_kernel', 'sep/pointwise_kernel', 'sep/bias']);
    const xception = configs('xception-chain');
    assert.deepEqual([xception.separable_conv2d_1[1].depth_multiplier, xception.separable_conv2d_1[1].use_bias,
                      xception.separable_conv2d_2[1].depth_multiplier, xception.batch_normalization_1[0]],
                     [1, false, 2, 'BatchNormalization']);
    // no bias weight for a separable layer without bias
    assert.deepEqual(Object.entries(weights('xception-chain')).filter(([n]) => n.startsWith('separable_conv2d_')),
                     [['separable_conv2d_1/depthwise_kernel', [3, 3, 3, 1]], ['separable_conv2d_1/pointwise_kernel', [1, 1, 3, 8]],
                      ['separable_conv2d_2/depthwise_kernel', [3, 3, 8, 2]], ['separable_conv2d_2/pointwise_kernel', [1, 1, 16, 8]]]);
    const residual = weights('xception-residual');
    assert.deepEqual([residual['sep2/depthwise_kernel'], residual['sep2/pointwise_kernel'], residual['shortcut/kernel']],
                     [[3, 3, 8, 2], [1, 1, 16, 8], [1, 1, 4, 8]]);
    assert.equal(configs('xception-residual').residual[0], 'Add');
  });

  // TF.js 4.22's wasm backend has no gradient kernels for the depthwise half
  // (nor for conv2d): the runner names the first layer listed whose gradient
  // needs a missing one, and the first such kernel.
  const noGradient = L.wasmNoGradient;
  referenceRunTests([
    ['tfjs-cpu', 'separable-s2'], ['tfjs-cpu', 'xception-chain'], ['tfjs-cpu', 'xception-residual'],
    ['tfjs-wasm', 'separable-s2', noGradient('separable_conv2d', 'sep', 'DepthwiseConv2dNativeBackpropFilter')],
    ['tfjs-wasm', 'xception-chain', noGradient('separable_conv2d', 'separable_conv2d_1', 'DepthwiseConv2dNativeBackpropFilter')],
    ['tfjs-wasm', 'xception-residual', noGradient('separable_conv2d', 'sep1', 'DepthwiseConv2dNativeBackpropFilter')],
    // webgl has every gradient kernel; one model there (SwiftShader renders it in software: seconds per model)
    ['tfjs-webgl', 'xception-residual'],
  ]);

  refusalTests([
    ['convnetjs', 'separable-s2', convnetRefusal('sep')],
    ['convnetjs', 'xception-chain', convnetRefusal('separable_conv2d_1')],
    ['brainjs', 'separable-s2', L.denseOnlyRefusal('brainjs', 'separable_conv2d', 'sep')],
    ['synaptic', 'xception-chain', L.denseOnlyRefusal('synaptic', 'separable_conv2d', 'separable_conv2d_1')],
  ]);

  noErrorsTest();
});
