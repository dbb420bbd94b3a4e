// depthwise_conv2d in the web harness (TF.js 4.22's DepthwiseConv2D,
// channels-last: depth_multiplier filters per input channel, each reading that
// channel only; weights depthwise_kernel [kh, kw, C, M], bias [C * M]). Run:
// node --test tests/web/
// The first group needs only node: reading the layer (defaults, every field,
// one-integer sizes), its shapes (depth_multiplier 1 and 2; strides 2 with same
// padding, odd pixel at the bottom/right), every error; what ConvNetJS,
// brain.js and synaptic refuse; and (with resources/web/node_modules)
// TF.js-in-node against a plain-JS forward pass of the same layers, which pins
// the kernel layout and the output channel order c * M + m. The second opens
// the page in headless Debian chromium (skipped, with the reason, where
// chromium or resources/web/node_modules is missing): model.json files written
// by TF.js 4.22 in this node process (layer_fixtures.mjs), run as jobs on
// tfjs-cpu and tfjs-wasm, predictions equal to TF.js-in-node's own on the same
// weights (and to the plain-JS pass for the chains), first losses too where
// the backend trains them; TF.js 4.22's wasm backend has no
// DepthwiseConv2dNativeBackpropFilter/Input (nor Conv2DBackpropFilter), so
// training is refused there by the kernel's name before anything is timed.
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
const DEPTHWISE_S2 = chain('depthwise-s2', [8, 7, 3], [
  {type: 'depthwise_conv2d', name: 'dw', kernel_size: 3, strides: 2, padding: 'same', depth_multiplier: 2,
   activation: 'relu'},
  {type: 'flatten'},
  {type: 'dense', units: 4, activation: 'softmax'},
]);

// A MobileNet (v1) block: a 3x3 depthwise convolution (depth_multiplier 1,
// left out; no bias, as MobileNet has before its batch norm), relu6, a 1x1
// conv2d (the pointwise convolution), relu6; then global pooling and a
// classifier. Names left to the defaults.
const MOBILENET_BLOCK = chain('mobilenet-block', [6, 6, 4], [
  {type: 'depthwise_conv2d', kernel_size: [3, 3], padding: 'same', use_bias: false},
  {type: 'relu', max_value: 6},
  {type: 'conv2d', filters: 8, kernel_size: [1, 1]},
  {type: 'relu', max_value: 6},
  {type: 'global_average_pooling2d'},
  {type: 'dense', units: 3},
  {type: 'softmax'},
], 'categorical_crossentropy', {type: 'sgd', learning_rate: 0.5});

// A MobileNetV2 inverted residual (a graph): 1x1 expansion, relu6, 3x3
// depthwise, relu6, 1x1 linear projection back to the input's channels, added
// to the input.
const INVERTED_RESIDUAL = graph('inverted-residual', {shape: [6, 6, 4], name: 'image'}, [
  {type: 'conv2d', name: 'expand', filters: 8, kernel_size: 1},
  {type: 'relu', name: 'expand_relu6', max_value: 6},
  {type: 'depthwise_conv2d', name: 'dw', kernel_size: 3, padding: 'same'},
  {type: 'relu', name: 'dw_relu6', max_value: 6},
  {type: 'conv2d', name: 'project', filters: 4, kernel_size: 1},
  {type: 'add', name: 'residual', inputs: ['image', 'project']},
  {type: 'global_average_pooling2d', name: 'gap'},
  {type: 'dense', name: 'logits', units: 3, activation: 'softmax'},
], 'categorical_crossentropy', {type: 'sgd', learning_rate: 0.5});

// Checked against the plain-JS pass in node only: an asymmetric kernel,
// strides that differ per axis, valid padding, depth_multiplier 3, tanh.
const DEPTHWISE_VALID = chain('depthwise-valid', [7, 6, 2], [
  {type: 'depthwise_conv2d', kernel_size: [3, 2], strides: [2, 1], depth_multiplier: 3, activation: 'tanh'},
  {type: 'flatten'},
  {type: 'dense', units: 3, activation: 'softmax'},
]);

// ConvNetJS's refusal of a depthwise_conv2d layer.
const convnetRefusal = (name) => `unsupported by convnetjs: depthwise_conv2d layer '${name}' (ConvNetJS's conv layer mixes all ` +
                                 'input channels: each filter spans the whole input depth; it has no per-channel (depthwise) filters)';

const MODELS = {
  'depthwise-s2': {spec: DEPTHWISE_S2, data: {inputShape: [8, 7, 3], classes: 4}},
  'mobilenet-block': {spec: MOBILENET_BLOCK, data: {inputShape: [6, 6, 4], classes: 3, scale: 4}},
  'inverted-residual': {spec: INVERTED_RESIDUAL, data: {inputShape: [6, 6, 4], classes: 3, scale: 4}},
};

describe('depthwise_conv2d: harness logic (node)', () => {
  const layer = (l, shape = [8, 8, 3]) => read(chain('t', shape, [l])).layers[0];

  test('depthwise_conv2d comes right after conv2d in LAYER_TYPES (the C++ registry\'s order)', () => {
    const types = parts.modelSpec.LAYER_TYPES;
    assert.equal(types.indexOf('depthwise_conv2d'), types.indexOf('conv2d') + 1);
  });

  test('the layer reads its fields with TF.js\'s defaults; initializers pass through', () => {
    const plain = layer({type: 'depthwise_conv2d', kernel_size: 3});
    assert.deepEqual(Object.fromEntries(['type', 'name', 'kernelSize', 'strides', 'padding', 'depthMultiplier', 'activation', 'useBias']
                                          .map((k) => [k, plain[k]])),
                     {type: 'depthwise_conv2d', name: 'depthwise_conv2d_1', kernelSize: [3, 3], strides: [1, 1], padding: 'valid',
                      depthMultiplier: 1, activation: 'linear', useBias: true});
    assert.deepEqual([plain.inputShape, plain.outputShape], [[8, 8, 3], [6, 6, 3]]);
    const full = layer({type: 'depthwise_conv2d', name: 'dw', kernel_size: [3, 1], strides: [2, 1], padding: 'valid',
                        depth_multiplier: 2, activation: 'relu6', use_bias: false, depthwise_initializer: 'he_normal',
                        bias_initializer: 'zeros'});
    assert.deepEqual([full.name, full.kernelSize, full.strides, full.depthMultiplier, full.activation, full.useBias],
                     ['dw', [3, 1], [2, 1], 2, 'relu6', false]);
    assert.deepEqual(layer({type: 'depthwise_conv2d', kernel_size: 3, depth_multiplier: null}).depthMultiplier, 1);
    assert.deepEqual(layer({type: 'depthwise_conv2d', kernel_size: 3, strides: 2}).strides, [2, 2]);
  });

  test('shapes: [H, W, C] -> [OH, OW, C * depth_multiplier] with conv2d\'s window arithmetic', () => {
    const shape = (fields, input = [8, 8, 3]) => layer({type: 'depthwise_conv2d', ...fields}, input).outputShape;
    // depth_multiplier 1 and 2, valid
    assert.deepEqual(shape({kernel_size: 3}), [6, 6, 3]);
    assert.deepEqual(shape({kernel_size: 3, depth_multiplier: 2}), [6, 6, 6]);
    assert.deepEqual(shape({kernel_size: [3, 1], depth_multiplier: 4}, [5, 5, 1]), [3, 5, 4]);
    // same padding keeps the size at stride 1, ceil(in / 2) at stride 2
    assert.deepEqual(shape({kernel_size: 3, padding: 'same'}), [8, 8, 3]);
    assert.deepEqual(shape({kernel_size: 3, padding: 'same', strides: 2, depth_multiplier: 2}), [4, 4, 6]);
    assert.deepEqual(shape({kernel_size: 3, padding: 'same', strides: 2, depth_multiplier: 2}, [8, 7, 3]), [4, 4, 6]);
    assert.deepEqual(shape({kernel_size: 3, padding: 'same', strides: 2}, [9, 9, 2]), [5, 5, 2]);
    // valid with stride 2: floor((in - k) / s) + 1
    assert.deepEqual(shape({kernel_size: 3, strides: 2}, [7, 8, 2]), [3, 3, 2]);
    assert.deepEqual(shape({kernel_size: [3, 2], strides: [2, 1], depth_multiplier: 3}, [7, 6, 2]), [3, 5, 6]);
    // a window as large as the input, valid: one pixel
    assert.deepEqual(shape({kernel_size: [8, 8]}), [1, 1, 3]);
    // the test models
    assert.deepEqual(read(DEPTHWISE_S2).layers.map((l) => [l.name, l.outputShape]),
                     [['dw', [4, 4, 6]], ['flatten_1', [96]], ['dense_1', [4]]]);
    assert.deepEqual(read(MOBILENET_BLOCK).layers.map((l) => l.outputShape), [[6, 6, 4], [6, 6, 4], [6, 6, 8], [6, 6, 8], [8], [3], [3]]);
    assert.deepEqual(Object.fromEntries(read(INVERTED_RESIDUAL).layers.map((l) => [l.name, l.outputShape])),
                     {expand: [6, 6, 8], expand_relu6: [6, 6, 8], dw: [6, 6, 8], dw_relu6: [6, 6, 8], project: [6, 6, 4],
                      residual: [6, 6, 4], gap: [4], logits: [3]});
    // the same-padding geometry of DEPTHWISE_S2: height 1 pixel (at the bottom), width 1 each side
    assert.deepEqual([parts.modelSpec.windowAxis(8, 3, 2, 'same'), parts.modelSpec.windowAxis(7, 3, 2, 'same')],
                     [{out: 4, padBefore: 0, padTotal: 1}, {out: 4, padBefore: 1, padTotal: 2}]);
  });

  test('malformed depthwise_conv2d layers give spec errors that name the layer and field', () => {
    const cases = L.convolutionErrorCases({type: 'depthwise_conv2d', kernel_size: [3, 3]}, 'dw');
    for (const [layers, pattern] of cases)
      assert.throws(() => read(chain('t', [8, 8, 1], layers)), pattern, JSON.stringify(layers));
    // with same padding, a window larger than the input is fine (TF.js pads)
    assert.deepEqual(layer({type: 'depthwise_conv2d', kernel_size: [9, 3], padding: 'same'}, [8, 8, 1]).outputShape, [8, 8, 1]);
  });

  test('ConvNetJS, brain.js and synaptic refuse depthwise_conv2d, naming the layer and why', () => {
    assert.equal(unsupportedBy('convnetjs', DEPTHWISE_S2), convnetRefusal('dw'));
    assert.equal(unsupportedBy('convnetjs', MOBILENET_BLOCK), convnetRefusal('depthwise_conv2d_1'));
    // after layers ConvNetJS maps; zero padding maps only right before a conv2d
    const {afterConv, afterPadding} = L.convnetjsAfterMappedLayers({type: 'depthwise_conv2d', name: 'dw', kernel_size: 3});
    assert.equal(afterConv, convnetRefusal('dw'));
    assert.match(afterPadding,
                 /^unsupported by convnetjs: zero_padding2d layer 'zero_padding2d_1' is followed by depthwise_conv2d layer 'dw' \(ConvNetJS has no padding layer/);
    // a graph is refused as a graph first
    assert.equal(unsupportedBy('convnetjs', INVERTED_RESIDUAL), 'unsupported by convnetjs: ConvNetJS runs a chain of layers; ' +
                 'the input \'image\' is used by 2 layers (\'expand\', \'residual\')');
    for (const s of [DEPTHWISE_S2, chain('t', [8, 8, 2], DEPTHWISE_S2.layers, 'mean_squared_error')]) {
      assert.equal(unsupportedBy('brainjs', s), L.denseOnlyRefusal('brainjs', 'depthwise_conv2d', 'dw'));
      assert.equal(unsupportedBy('synaptic', s), L.denseOnlyRefusal('synaptic', 'depthwise_conv2d', 'dw'));
    }
    assert.equal(unsupportedBy('brainjs', MOBILENET_BLOCK), L.denseOnlyRefusal('brainjs', 'depthwise_conv2d', 'depthwise_conv2d_1'));
  });

  test('TF.js in node computes the depthwise chains as the plain-JS forward pass does (kernel [kh, kw, C, M], channel c * M + m)', {skip: L.noNodeTfjs()}, () =>
    // and the depthwise layer alone: its [OH, OW, C * M] output, before anything mixes its channels
    L.checkTfjsAgainstPlainPass([['depthwise-s2', DEPTHWISE_S2, {classes: 3}], ['mobilenet-block', MOBILENET_BLOCK, {classes: 3}],
                                 ['depthwise-valid', DEPTHWISE_VALID, {classes: 3}]], {firstLayerAlone: true}));
});

describe('depthwise_conv2d: harness page in headless chromium (file://)', () => {
  const {skip, layerConfigs: configs, weightShapes: weights, referenceRunTests, refusalTests, noErrorsTest} =
      L.layerPage(MODELS, {seed: 3, reference: true});

  test('the fixtures are TF.js 4.22 DepthwiseConv2D models with the fields and weights the C++ exporter writes', {skip}, () => {
    const [cls, dw] = configs('depthwise-s2').dw;
    assert.deepEqual([cls, dw.kernel_size, dw.strides, dw.padding, dw.depth_multiplier, dw.activation, dw.use_bias, dw.data_format],
                     ['DepthwiseConv2D', [3, 3], [2, 2], 'same', 2, 'relu', true, 'channels_last']);
    assert.deepEqual(weights('depthwise-s2'), {'dw/depthwise_kernel': [3, 3, 3, 2], 'dw/bias': [6], 'dense_1/kernel': [96, 4],
                                               'dense_1/bias': [4]});
    const block = configs('mobilenet-block');
    assert.deepEqual([block.depthwise_conv2d_1[1].depth_multiplier, block.depthwise_conv2d_1[1].use_bias,
                      block.conv2d_1[1].kernel_size, block.relu_1[1].max_value], [1, false, [1, 1], 6]);
    // no bias weight for a depthwise layer without bias
    assert.deepEqual(Object.keys(weights('mobilenet-block')).filter((n) => n.startsWith('depthwise_conv2d_1/')),
                     ['depthwise_conv2d_1/depthwise_kernel']);
    assert.deepEqual(weights('inverted-residual')['dw/depthwise_kernel'], [3, 3, 8, 1]);
    assert.equal(configs('inverted-residual').residual[0], 'Add');
  });

  // TF.js 4.22's wasm backend has no gradient kernels for either convolution:
  // the runner names the first layer listed whose gradient needs a missing one.
  const noGradient = L.wasmNoGradient;
  referenceRunTests([
    ['tfjs-cpu', 'depthwise-s2'], ['tfjs-cpu', 'mobilenet-block'], ['tfjs-cpu', 'inverted-residual'],
    ['tfjs-wasm', 'depthwise-s2', noGradient('depthwise_conv2d', 'dw', 'DepthwiseConv2dNativeBackpropFilter')],
    ['tfjs-wasm', 'mobilenet-block', noGradient('depthwise_conv2d', 'depthwise_conv2d_1', 'DepthwiseConv2dNativeBackpropFilter')],
    ['tfjs-wasm', 'inverted-residual', noGradient('conv2d', 'expand', 'Conv2DBackpropFilter')],
    // webgl has every gradient kernel; one model there (SwiftShader renders it in software: seconds per model)
    ['tfjs-webgl', 'depthwise-s2'],
  ]);

  refusalTests([
    ['convnetjs', 'depthwise-s2', convnetRefusal('dw')],
    ['convnetjs', 'mobilenet-block', convnetRefusal('depthwise_conv2d_1')],
    ['brainjs', 'depthwise-s2', L.denseOnlyRefusal('brainjs', 'depthwise_conv2d', 'dw')],
    ['synaptic', 'mobilenet-block', L.denseOnlyRefusal('synaptic', 'depthwise_conv2d', 'depthwise_conv2d_1')],
  ]);

  noErrorsTest();
});
