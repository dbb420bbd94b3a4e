// Global pooling, zero padding, cropping and the relu/softmax layers in the web
// harness (global_average_pooling2d, global_max_pooling2d, zero_padding2d,
// cropping2d, relu, softmax: TF.js 4.22's GlobalAveragePooling2D,
// GlobalMaxPooling2D, ZeroPadding2D, Cropping2D, ReLU, Softmax). Run:
// node --test tests/web/
// The first group needs only node: reading the layers (every padding/cropping
// form, defaults, shapes) and every error; what ConvNetJS, brain.js and
// synaptic map and what they refuse; and (with resources/web/node_modules)
// TF.js-in-node against a plain-JS forward pass of the same layers. The second
// opens the page in headless Debian chromium (skipped, with the reason, where
// chromium or resources/web/node_modules is missing): model.json files written
// by TF.js 4.22 in this node process (layer_fixtures.mjs), run as jobs on
// tfjs-cpu and tfjs-wasm, predictions and first losses equal to TF.js-in-node's
// own on the same weights (and to the plain-JS pass for the chain); ConvNetJS
// against TF.js where it maps.
import {test, describe} from 'node:test';
import assert from 'node:assert/strict';
import * as F from './fixtures.mjs';
import * as L from './layer_fixtures.mjs';
import {loadHarnessParts, unsupportedBy} from './browser.mjs';

const parts = loadHarnessParts();
const read = (s) => parts.modelSpec.readModelSpec(s);
const {chain, graph} = L;

// All six on an image: padding in Keras's form, a convolution, relu6, an
// asymmetric crop, average and max pooling branches concatenated, a plain
// relu, a softmax layer (axis left out: -1). Inputs are scaled to [0, 8) so
// relu6's ceiling is reached.
const IMAGE_GRAPH = graph('image-graph', {shape: [7, 7, 2], name: 'image'}, [
  {type: 'zero_padding2d', name: 'pad', padding: [[1, 2], [0, 1]]},
  {type: 'conv2d', name: 'conv', filters: 3, kernel_size: [3, 3]},
  {type: 'relu', name: 'relu6', max_value: 6},
  {type: 'cropping2d', name: 'crop', cropping: [[1, 0], [1, 1]]},
  {type: 'global_average_pooling2d', name: 'gap', inputs: ['crop']},
  {type: 'global_max_pooling2d', name: 'gmp', inputs: ['crop']},
  {type: 'concatenate', name: 'pooled', inputs: ['gap', 'gmp']},
  {type: 'dense', name: 'hidden', units: 5},
  {type: 'relu', name: 'plain'},
  {type: 'dense', name: 'logits', units: 4},
  {type: 'softmax', name: 'probs'},
]);

// The same layers without a convolution (trains on tfjs-wasm, which has no
// conv2d weight gradient): a dense layer per pixel, relu6, padding of 1 on
// every side (default), a crop that keeps a padded row and column, the
// pooling branches, softmax with axis 1 (the last axis counted with the batch
// axis).
const DENSE_IMAGE_GRAPH = graph('dense-image-graph', {shape: [6, 6, 2]}, [
  {type: 'dense', name: 'mix', units: 3},
  {type: 'relu', name: 'relu6', max_value: 6},
  {type: 'zero_padding2d', name: 'pad'},
  {type: 'cropping2d', name: 'crop', cropping: [0, 2, 1, 0]},
  {type: 'global_max_pooling2d', name: 'gmp', inputs: ['crop']},
  {type: 'global_average_pooling2d', name: 'gap', inputs: ['crop']},
  {type: 'concatenate', name: 'pooled', inputs: ['gmp', 'gap']},
  {type: 'dense', name: 'hidden', units: 5},
  {type: 'relu', name: 'plain'},
  {type: 'dense', name: 'logits', units: 3},
  {type: 'softmax', name: 'probs', axis: 1},
], 'categorical_crossentropy', {type: 'sgd', learning_rate: 0.5});

// A chain (gapscope.model/1; tf.sequential) with padding in the canonical
// form and symmetric [h, w] cropping, names left to the defaults: checked
// against the plain-JS forward pass as well.
const IMAGE_CHAIN = chain('image-chain', [7, 7, 2], [
  {type: 'zero_padding2d', padding: [1, 2, 0, 1]},
  {type: 'conv2d', filters: 3, kernel_size: [3, 3]},
  {type: 'relu', max_value: 6},
  {type: 'cropping2d', cropping: [1, 2]},
  {type: 'global_max_pooling2d'},
  {type: 'dense', units: 4},
  {type: 'softmax', axis: 1},
]);

// What ConvNetJS maps: zero padding on every side before a convolution (its
// conv pad), relu and softmax layers.
const CONVNET_PAD = chain('convnet-pad', [7, 7, 2], [
  {type: 'zero_padding2d', padding: 1},
  {type: 'conv2d', filters: 3, kernel_size: [3, 3]},
  {type: 'relu'},
  {type: 'max_pooling2d', pool_size: [2, 2]},
  {type: 'zero_padding2d', padding: [[1, 1], [1, 1]]},
  {type: 'conv2d', filters: 2, kernel_size: [3, 3], padding: 'same', activation: 'tanh'},
  {type: 'flatten'},
  {type: 'dense', units: 3},
  {type: 'softmax'},
], 'categorical_crossentropy', {type: 'momentum', learning_rate: 0.05, momentum: 0.9});

const MODELS = {
  'image-graph': {spec: IMAGE_GRAPH, data: {inputShape: [7, 7, 2], classes: 4, scale: 8}},
  'dense-image-graph': {spec: DENSE_IMAGE_GRAPH, data: {inputShape: [6, 6, 2], classes: 3, scale: 8}},
  'image-chain': {spec: IMAGE_CHAIN, data: {inputShape: [7, 7, 2], classes: 4, scale: 8}},
  'convnet-pad': {spec: CONVNET_PAD, data: {inputShape: [7, 7, 2], classes: 3}},
};

// core/layers/layer_registry.cpp's order.
const REGISTRY = ['dense', 'activation', 'relu', 'softmax', 'dropout', 'conv2d', 'depthwise_conv2d', 'separable_conv2d',
                  'max_pooling2d', 'average_pooling2d', 'global_average_pooling2d', 'global_max_pooling2d', 'zero_padding2d',
                  'cropping2d', 'flatten', 'reshape', 'batch_normalization', 'layer_normalization', 'embedding', 'simple_rnn',
                  'lstm', 'gru', 'add', 'average', 'multiply', 'concatenate'];

describe('global pooling, padding, cropping, relu and softmax layers: harness logic (node)', () => {
  test('LAYER_TYPES is the C++ registry\'s list, in its order', () => {
    assert.deepEqual(parts.modelSpec.LAYER_TYPES, REGISTRY);
  });

  test('padding and cropping read in every form, as [top, bottom, left, right], with TF.js\'s defaults', () => {
    const layer = (l, shape = [8, 6, 2]) => read(chain('t', shape, [l])).layers[0];
    const padding = (value) => layer({type: 'zero_padding2d', padding: value});
    assert.deepEqual([undefined, null, 0, 2, [1, 3], [[1, 2], [0, 3]], [1, 2, 0, 3]].map((v) => padding(v).padding),
                     [[1, 1, 1, 1], [1, 1, 1, 1], [0, 0, 0, 0], [2, 2, 2, 2], [1, 1, 3, 3], [1, 2, 0, 3], [1, 2, 0, 3]]);
    assert.deepEqual([undefined, 2, [1, 3], [[1, 2], [0, 3]], [1, 2, 0, 3]].map((v) => padding(v).outputShape),
                     [[10, 8, 2], [12, 10, 2], [10, 12, 2], [11, 9, 2], [11, 9, 2]]);
    const cropping = (value) => layer({type: 'cropping2d', cropping: value});
    assert.deepEqual([undefined, null, 1, [2, 1], [[3, 0], [0, 5]], [3, 0, 0, 5]].map((v) => cropping(v).cropping),
                     [[0, 0, 0, 0], [0, 0, 0, 0], [1, 1, 1, 1], [2, 2, 1, 1], [3, 0, 0, 5], [3, 0, 0, 5]]);
    assert.deepEqual([undefined, 1, [2, 1], [[3, 0], [0, 5]], [[7, 0], [2, 3]]].map((v) => cropping(v).outputShape),
                     [[8, 6, 2], [6, 4, 2], [4, 4, 2], [5, 1, 2], [1, 1, 2]]);
    // global pooling: [H, W, C] -> [C]
    for (const type of ['global_average_pooling2d', 'global_max_pooling2d'])
      assert.deepEqual(layer({type}).outputShape, [2], type);
  });

  test('relu and softmax read their fields and keep any shape', () => {
    const layer = (l, shape) => read(chain('t', shape, [l])).layers[0];
    assert.deepEqual([layer({type: 'relu'}, [5]).maxValue, layer({type: 'relu', max_value: null}, [5]).maxValue,
                      layer({type: 'relu', max_value: 6}, [5]).maxValue, layer({type: 'relu', max_value: 0.5}, [5]).maxValue,
                      layer({type: 'relu', max_value: 0}, [5]).maxValue], [null, null, 6, 0.5, 0]);
    assert.deepEqual(layer({type: 'relu', max_value: 6}, [4, 4, 3]).outputShape, [4, 4, 3]);
    assert.deepEqual(layer({type: 'softmax'}, [5]).axis, -1);
    // -1 or the rank of the per-sample shape (the last axis counted with the batch axis)
    for (const [shape, axis] of [[[5], 1], [[5, 4], 2], [[4, 4, 3], 3], [[4, 4, 3], -1], [[5, 4], null]])
      assert.deepEqual(layer({type: 'softmax', axis}, shape).outputShape, shape, `${shape} axis ${axis}`);
  });

  test('the graph of all six gets its shapes', () => {
    const model = read(IMAGE_GRAPH);
    assert.deepEqual(Object.fromEntries(model.layers.map((l) => [l.name, l.outputShape])),
                     {pad: [10, 8, 2], conv: [8, 6, 3], relu6: [8, 6, 3], crop: [7, 4, 3], gap: [3], gmp: [3], pooled: [6],
                      hidden: [5], plain: [5], logits: [4], probs: [4]});
    const dense = read(DENSE_IMAGE_GRAPH);
    assert.deepEqual(dense.layers.map((l) => l.outputShape),
                     [[6, 6, 3], [6, 6, 3], [8, 8, 3], [6, 7, 3], [3], [3], [6], [5], [5], [3], [3]]);
    assert.deepEqual(read(IMAGE_CHAIN).layers.map((l) => [l.name, l.outputShape]),
                     [['zero_padding2d_1', [10, 8, 2]], ['conv2d_1', [8, 6, 3]], ['relu_1', [8, 6, 3]],
                      ['cropping2d_1', [6, 2, 3]], ['global_max_pooling2d_1', [3]], ['dense_1', [4]], ['softmax_1', [4]]]);
  });

  test('malformed layers give spec errors that name the layer and field', () => {
    const sides = 'must be an integer, \\[height, width\\], \\[\\[top, bottom\\], \\[left, right\\]\\] or \\[top, bottom, left, right\\] \\(integers >= 0\\)';
    const cases = [
      [[{type: 'zero_padding2d', padding: -1}], new RegExp(`^Error: spec: layers\\[0\\]\\.padding ${sides}, got -1$`)],
      [[{type: 'zero_padding2d', padding: [1]}], new RegExp(`^Error: spec: layers\\[0\\]\\.padding ${sides}, got \\[1\\]$`)],
      [[{type: 'zero_padding2d', padding: [1, 2, 3]}], /^Error: spec: layers\[0\]\.padding must be an integer, .* got \[1,2,3\]$/],
      [[{type: 'zero_padding2d', padding: [[1, 2], [3]]}], /^Error: spec: layers\[0\]\.padding must be an integer, .* got \[\[1,2\],\[3\]\]$/],
      [[{type: 'zero_padding2d', padding: [[1, -1], [0, 0]]}], /^Error: spec: layers\[0\]\.padding must be an integer/],
      [[{type: 'zero_padding2d', padding: [1.5, 1]}], /^Error: spec: layers\[0\]\.padding must be an integer, .* got \[1\.5,1\]$/],
      [[{type: 'zero_padding2d', padding: 'same'}], /^Error: spec: layers\[0\]\.padding must be an integer, .* got "same"$/],
      [[{type: 'zero_padding2d', padding: [1, 2, 3, -4]}], /^Error: spec: layers\[0\]\.padding must be an integer/],
      [[{type: 'zero_padding2d', padding: [[1, 2], 3]}], /^Error: spec: layers\[0\]\.padding must be an integer/],
      [[{type: 'cropping2d', cropping: -2}], new RegExp(`^Error: spec: layers\\[0\\]\\.cropping ${sides}, got -2$`)],
      [[{type: 'cropping2d', cropping: [[1, 2, 3], [0, 0]]}], /^Error: spec: layers\[0\]\.cropping must be an integer/],
      [[{type: 'cropping2d', cropping: {top: 1}}], /^Error: spec: layers\[0\]\.cropping must be an integer, .* got \{"top":1\}$/],
      // the crop must leave a row and a column
      [[{type: 'cropping2d', cropping: [[4, 4], [0, 0]]}],
       /^Error: spec: layers\[0\] \(cropping2d 'cropping2d_1'\): cropping \[4,4,0,0\] \(top, bottom, left, right\) leaves 0 rows and 8 columns of its \[8,8,1\] input; at least 1 of each must remain$/],
      [[{type: 'cropping2d', cropping: [0, 0, 3, 5]}],
       /^Error: spec: layers\[0\] \(cropping2d 'cropping2d_1'\): cropping \[0,0,3,5\] \(top, bottom, left, right\) leaves 8 rows and 0 columns/],
      [[{type: 'cropping2d', name: 'crop', cropping: 5}],
       /^Error: spec: layers\[0\] \(cropping2d 'crop'\): cropping \[5,5,5,5\] \(top, bottom, left, right\) leaves -2 rows and -2 columns/],
      // image layers need [H, W, C]
      ...['global_average_pooling2d', 'global_max_pooling2d', 'zero_padding2d', 'cropping2d'].map((type) =>
        [[{type: 'flatten'}, {type}], new RegExp(`^Error: spec: layers\\[1\\] \\(${type} '${type}_1'\\) needs a \\[height, width, channels\\] input, got \\[64\\]$`)]),
      [[{type: 'reshape', target_shape: [8, 8]}, {type: 'zero_padding2d'}],
       /^Error: spec: layers\[1\] \(zero_padding2d 'zero_padding2d_1'\) needs a \[height, width, channels\] input, got \[8,8\]$/],
      // relu's ceiling
      [[{type: 'relu', max_value: -1}], /^Error: spec: layers\[0\]\.max_value must be null \(no ceiling\) or a number >= 0, got -1$/],
      [[{type: 'relu', max_value: '6'}], /^Error: spec: layers\[0\]\.max_value must be null \(no ceiling\) or a number >= 0, got "6"$/],
      [[{type: 'relu', max_value: [6]}], /^Error: spec: layers\[0\]\.max_value must be null/],
      [[{type: 'relu', max_value: true}], /^Error: spec: layers\[0\]\.max_value must be null/],
      // softmax over the last axis only
      [[{type: 'softmax', axis: 'last'}], /^Error: spec: layers\[0\]\.axis must be an integer, got "last"$/],
      [[{type: 'softmax', axis: 1.5}], /^Error: spec: layers\[0\]\.axis must be an integer, got 1\.5$/],
      ...[0, 1, 2, 4, -2, -3].map((axis) =>
        [[{type: 'softmax', axis}], new RegExp(`^Error: spec: layers\\[0\\] \\(softmax 'softmax_1'\\): axis ${axis} is not the last axis; ` +
                                              'softmax normalises over the last axis only \\(-1, or 3 for this input of rank 3\\)$')]),
      [[{type: 'flatten'}, {type: 'softmax', name: 'sm', axis: 2}],
       /^Error: spec: layers\[1\] \(softmax 'sm'\): axis 2 is not the last axis; softmax normalises over the last axis only \(-1, or 1 for this input of rank 1\)$/],
      // the known types, in the registry's order
      [[{type: 'relu6'}], new RegExp(`^Error: spec: layers\\[0\\]\\.type: unknown layer type "relu6"; known: ${REGISTRY.join(', ')}$`)],
    ];
    for (const [layers, pattern] of cases)
      assert.throws(() => read(chain('t', [8, 8, 1], layers)), pattern, JSON.stringify(layers));
    // inside a graph, a shape error names the layer as before
    assert.throws(() => read(graph('g', {shape: [4, 4, 1], name: 'img'}, [
      {type: 'cropping2d', name: 'crop', cropping: [[1, 1], [0, 0]]},
      {type: 'zero_padding2d', name: 'pad', padding: [[0, 0], [1, 1]], inputs: ['img']},
      {type: 'add', inputs: ['crop', 'pad']}])),
    /^Error: spec: layers\[2\] \(add 'add_1'\): its inputs have different shapes: 'crop' \[2,4,1\], 'pad' \[4,6,1\]/);
  });

  test('brain.js and synaptic fuse relu and softmax layers into the dense layer before, and refuse the rest by name', () => {
    const mse = (layers, shape = [6]) => chain('t', shape, layers, 'mean_squared_error');
    // relu layers after linear dense layers: one relu for every layer, as brain.js needs
    const relu = mse([{type: 'dense', units: 5}, {type: 'relu'}, {type: 'dense', units: 3}, {type: 'relu', max_value: null}]);
    assert.deepEqual(parts.brainjsRunner.plan(read(relu), 64).stack.map((l) => [l.name, l.activation, l.activationFrom]),
                     [['dense_1', 'relu', 'relu layer \'relu_1\''], ['dense_2', 'relu', 'relu layer \'relu_2\'']]);
    const synaptic = mse([{type: 'dense', units: 5}, {type: 'relu'}, {type: 'dense', units: 3}]);
    assert.deepEqual(parts.synapticRunner.plan(read(synaptic), 64).stack.map((l) => l.activation), ['relu', 'linear']);
    // a softmax layer becomes the dense layer's softmax, which neither has
    const softmax = chain('t', [6], [{type: 'dense', units: 3}, {type: 'softmax'}]);
    assert.equal(unsupportedBy('brainjs', softmax), 'unsupported by brainjs: activation \'softmax\' (softmax layer \'softmax_1\' ' +
                 'after dense layer \'dense_1\'); NeuralNetwork has sigmoid, relu, leaky-relu, tanh');
    assert.equal(unsupportedBy('synaptic', softmax), 'unsupported by synaptic: activation \'softmax\' (softmax layer \'softmax_1\' ' +
                 'after dense layer \'dense_1\'); synaptic has identity, logistic, tanh, relu (and hlim)');
    // where it does not fuse
    const cases = [
      [mse([{type: 'dense', units: 3}, {type: 'relu', max_value: 6}]),
       'relu layer \'relu_1\' has max_value 6 (a capped relu, min(max(x, 0), 6); {title} has no capped relu)'],
      [mse([{type: 'relu'}, {type: 'dense', units: 3}]), 'relu layer \'relu_1\' comes before any dense layer'],
      [mse([{type: 'dense', units: 3, activation: 'sigmoid'}, {type: 'relu'}]),
       'relu layer \'relu_1\' follows dense layer \'dense_1\' that already applies \'sigmoid\' (two activations in a row cannot be mapped)'],
      [mse([{type: 'dense', units: 6}, {type: 'reshape', target_shape: [2, 3]}, {type: 'softmax'}, {type: 'flatten'}]),
       'softmax layer \'softmax_1\' applies softmax over the last axis of its [2,3] input, not over dense layer \'dense_1\'\'s 6 outputs'],
      [mse([{type: 'dense', units: 6}, {type: 'reshape', target_shape: [2, 3]}, {type: 'activation', activation: 'softmax'},
            {type: 'flatten'}]),
       'activation layer \'activation_1\' applies softmax over the last axis of its [2,3] input, not over dense layer \'dense_1\'\'s 6 outputs'],
      ...['global_average_pooling2d', 'global_max_pooling2d', 'zero_padding2d', 'cropping2d'].map((type) =>
        [mse([{type}, {type: 'flatten'}, {type: 'dense', units: 3}], [4, 4, 2]), `${type} layer '${type}_1' ({title} has only fully connected layers)`]),
    ];
    for (const [s, reason] of cases) {
      assert.equal(unsupportedBy('brainjs', s), `unsupported by brainjs: ${reason.replace('{title}', 'brain.js')}`);
      assert.equal(unsupportedBy('synaptic', s), `unsupported by synaptic: ${reason.replace('{title}', 'synaptic')}`);
    }
  });

  test('ConvNetJS adds zero padding to the next convolution\'s pad, takes relu and softmax layers, and says why not otherwise', () => {
    const p = parts.convnetjsRunner.plan(read(CONVNET_PAD));
    assert.deepEqual(p.ops.map((op) => [op.kind, op.layerType || op.layer.name, op.pad, op.vol]),
                     [['conv', 'conv2d_1', 1, {sx: 7, sy: 7, depth: 3}], ['act', 'relu', undefined, {sx: 7, sy: 7, depth: 3}],
                      ['pool', 'max_pooling2d_1', 0, {sx: 3, sy: 3, depth: 3}],
                      ['conv', 'conv2d_2', 2, {sx: 5, sy: 5, depth: 2}], ['act', 'tanh', undefined, {sx: 5, sy: 5, depth: 2}],
                      ['fc', 'dense_1', undefined, {sx: 1, sy: 1, depth: 3}]]);
    assert.deepEqual([p.inputVol, p.lossLayer], [{sx: 7, sy: 7, depth: 2}, 'softmax']);
    // padding of 0 pads nothing, anywhere
    const tail = [{type: 'flatten'}, {type: 'dense', units: 3, activation: 'softmax'}];
    const none = parts.convnetjsRunner.plan(read(chain('t', [8, 8, 1], [{type: 'zero_padding2d', padding: 0},
                                                                        {type: 'max_pooling2d'}, ...tail])));
    assert.deepEqual(none.ops.map((op) => op.kind), ['pool', 'fc']);
    const plan = (layers) => parts.convnetjsRunner.plan(read(chain('t', [8, 8, 1], layers)));
    const conv = {type: 'conv2d', filters: 2, kernel_size: [3, 3]};
    const reasons = [
      [[{type: 'zero_padding2d', padding: [[1, 2], [1, 1]]}, conv, ...tail],
       /^Error: unsupported by convnetjs: zero_padding2d layer 'zero_padding2d_1' pads \[1,2,1,1\] \(top, bottom, left, right\); ConvNetJS pads only inside a conv layer, by one pad on every side$/],
      [[{type: 'zero_padding2d', padding: [1, 2]}, conv, ...tail], /^Error: unsupported by convnetjs: zero_padding2d layer 'zero_padding2d_1' pads \[1,1,2,2\]/],
      [[{type: 'zero_padding2d'}, {type: 'max_pooling2d'}, ...tail],
       /^Error: unsupported by convnetjs: zero_padding2d layer 'zero_padding2d_1' is followed by max_pooling2d layer 'max_pooling2d_1' \(ConvNetJS has no padding layer; it pads only inside a conv layer, so zero padding maps right before a conv2d\)$/],
      [[{type: 'zero_padding2d'}, {type: 'zero_padding2d'}, conv, ...tail],
       /^Error: unsupported by convnetjs: zero_padding2d layer 'zero_padding2d_1' is followed by zero_padding2d layer 'zero_padding2d_2'/],
      [[conv, {type: 'zero_padding2d', padding: 2}],
       /^Error: unsupported by convnetjs: zero_padding2d layer 'zero_padding2d_1' is followed by nothing/],
      [[{type: 'cropping2d', cropping: 1}, conv, ...tail],
       /^Error: unsupported by convnetjs: cropping2d layer 'cropping2d_1' \(ConvNetJS has no layer that crops a volume\)$/],
      [[conv, {type: 'global_average_pooling2d'}, {type: 'dense', units: 3, activation: 'softmax'}],
       /^Error: unsupported by convnetjs: global_average_pooling2d layer 'global_average_pooling2d_1' \(ConvNetJS 0\.3\.0 has no global pooling, and its pool layer takes the maximum only\)$/],
      [[conv, {type: 'global_max_pooling2d'}, {type: 'dense', units: 3, activation: 'softmax'}],
       /^Error: unsupported by convnetjs: global_max_pooling2d layer 'global_max_pooling2d_1' \(ConvNetJS 0\.3\.0 has no global pooling; a pool layer over the whole volume takes the same maxima, but its gradient goes to one position of tied maxima/],
      [[conv, {type: 'relu', max_value: 6}, ...tail],
       /^Error: unsupported by convnetjs: relu layer 'relu_1' has max_value 6 \(a capped relu; ConvNetJS's relu layer has no ceiling\)$/],
      [[conv, {type: 'softmax'}, ...tail],
       /^Error: unsupported by convnetjs: softmax layer 'softmax_1' before the last layer \(softmax exists only as the loss layer\)$/],
      [[conv, {type: 'relu'}, {type: 'flatten'}, {type: 'dense', units: 3}, {type: 'softmax'}, {type: 'relu'}],
       /^Error: unsupported by convnetjs: softmax layer 'softmax_1' before the last layer/],
    ];
    for (const [layers, pattern] of reasons) assert.throws(() => plan(layers), pattern, JSON.stringify(layers));
    // a graph is refused as a graph first
    assert.match(unsupportedBy('convnetjs', IMAGE_GRAPH), /^unsupported by convnetjs: ConvNetJS runs a chain of layers; layer 'crop' is used by 2 layers \('gap', 'gmp'\)$/);
  });

  test('TF.js in node computes the chains as the plain-JS forward pass does (padding, cropping sides; relu6; pooling)', {skip: L.noNodeTfjs()}, () =>
    L.checkTfjsAgainstPlainPass(['image-chain', 'convnet-pad'].map((name) => [name, MODELS[name].spec, MODELS[name].data])));
});

describe('global pooling, padding, cropping, relu and softmax layers: harness page in headless chromium (file://)', () => {
  const {skip, fixtures, layerConfigs: configs, referenceRunTests, refusalTests, convnetjsAgainstTfjs, noErrorsTest} =
      L.layerPage(MODELS, {seed: 3, reference: true});

  test('the fixtures are TF.js 4.22 models of those layers, with the fields the C++ exporter writes', {skip}, () => {
    const g = configs('image-graph');
    assert.deepEqual([g.pad[0], g.pad[1].padding, g.pad[1].data_format], ['ZeroPadding2D', [[1, 2], [0, 1]], 'channels_last']);
    assert.deepEqual([g.crop[0], g.crop[1].cropping], ['Cropping2D', [[1, 0], [1, 1]]]);
    assert.deepEqual([g.relu6[0], g.relu6[1].max_value, g.plain[0], g.plain[1].max_value], ['ReLU', 6, 'ReLU', null]);
    assert.deepEqual([g.gap[0], g.gmp[0]], ['GlobalAveragePooling2D', 'GlobalMaxPooling2D']);
    assert.deepEqual([g.probs[0], g.probs[1].axis], ['Softmax', -1]);
    const c = configs('image-chain');
    assert.deepEqual([c.zero_padding2d_1[1].padding, c.cropping2d_1[1].cropping, c.softmax_1[1].axis],
                     [[[1, 2], [0, 1]], [[1, 1], [2, 2]], 1]);
    // relu6's ceiling is reached in these rows (inputs in [0, 8))
    const relu6 = L.referenceForward(chain('probe', [7, 7, 2], IMAGE_CHAIN.layers.slice(0, 3)), fixtures['image-chain'].exported,
                                     fixtures['image-chain'].data.x, 5);
    const values = relu6.flat();
    assert.ok(values.filter((v) => v === 6).length > 0 && values.filter((v) => v === 0).length > 0,
              'relu6 reaches neither its ceiling nor 0');
  });

  // TF.js 4.22's wasm backend has no Conv2DBackpropFilter: the models with a
  // convolution run inference only there.
  const noConvGradient = (layer) => L.wasmNoGradient('conv2d', layer, 'Conv2DBackpropFilter');
  referenceRunTests([['tfjs-cpu', 'image-graph'], ['tfjs-cpu', 'dense-image-graph'], ['tfjs-cpu', 'image-chain'],
                     ['tfjs-wasm', 'image-graph', noConvGradient('conv')], ['tfjs-wasm', 'dense-image-graph'],
                     ['tfjs-wasm', 'image-chain', noConvGradient('conv2d_1')]]);

  test('convnetjs: convnet-pad (zero padding into the conv pad, relu and softmax layers) predictions and training steps equal TF.js\'s', {skip}, async () => {
    const {predictions, losses} = await convnetjsAgainstTfjs('convnet-pad');
    const reference = fixtures['convnet-pad'].reference;
    assert.ok(F.maxViolation(predictions, reference.predictions.slice(0, 5)) <= 0);
    assert.ok(L.near(losses[0], reference.firstLoss));
  });

  refusalTests([
    ['convnetjs', 'image-chain', 'unsupported by convnetjs: zero_padding2d layer \'zero_padding2d_1\' pads [1,2,0,1] (top, bottom, ' +
                                 'left, right); ConvNetJS pads only inside a conv layer, by one pad on every side'],
    ['convnetjs', 'dense-image-graph', 'unsupported by convnetjs: ConvNetJS runs a chain of layers; layer \'crop\' is used by 2 layers ' +
                                       '(\'gmp\', \'gap\')'],
    ['brainjs', 'image-chain', 'unsupported by brainjs: zero_padding2d layer \'zero_padding2d_1\' (brain.js has only fully ' +
                               'connected layers)'],
    ['synaptic', 'convnet-pad', 'unsupported by synaptic: zero_padding2d layer \'zero_padding2d_1\' (synaptic has only fully ' +
                                'connected layers)'],
  ]);

  noErrorsTest();
});
