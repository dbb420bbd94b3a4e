// Graph models (gapscope.model/2: layers with `inputs`, merge layers) in the
// web harness. Run: node --test tests/web/
// The first group needs only node: reading graph specs (names, inputs,
// topological order, shapes through add/multiply/average/maximum/concatenate)
// and every graph error; the chain-only frameworks refusing graphs; (with
// resources/web/node_modules) TF.js in node against the plain-JS graph pass,
// and where maximum's gradient goes on ties (TF.js: to the first input
// listed). The second opens the page in headless Debian chromium (skipped,
// with the reason, where chromium or resources/web/node_modules is missing):
// functional model.json files written by TF.js 4.22 in this node process
// (layer_fixtures.mjs: tf.model on tf.input), run as jobs on tfjs-cpu,
// tfjs-wasm and tfjs-webgl, predictions equal to TF.js-in-node's own on the
// same weights and to the plain-JS pass, first losses equal too (the maximum
// graph's first three).
import {test, describe} from 'node:test';
import assert from 'node:assert/strict';
import * as F from './fixtures.mjs';
import * as L from './layer_fixtures.mjs';
import {loadHarnessParts, runJob, unsupportedBy} from './browser.mjs';

const parts = loadHarnessParts();
const read = (s) => parts.modelSpec.readModelSpec(s);

const {graph} = L;

// Image graph: a residual add on the input, a concatenation of channels
// (axis 3, Keras's count with the batch axis) with a layer listed after it,
// then gated dense branches (multiply, add, average of 2 and 3 inputs)
// joined on the last axis (axis left out: -1).
const CNN_GRAPH = graph('cnn-graph', {shape: [6, 6, 2], name: 'image'}, [
  {type: 'conv2d', name: 'conv_a', filters: 2, kernel_size: [3, 3], padding: 'same', activation: 'relu', inputs: ['image']},
  {type: 'add', name: 'residual', inputs: ['image', 'conv_a']},
  {type: 'conv2d', name: 'conv_b', filters: 3, kernel_size: [3, 3], activation: 'tanh'},
  {type: 'concatenate', name: 'channels', axis: 3, inputs: ['conv_b', 'conv_c']},
  {type: 'conv2d', name: 'conv_c', filters: 2, kernel_size: [3, 3], inputs: ['image']},
  {type: 'flatten', name: 'flat', inputs: ['channels']},
  {type: 'dense', name: 'hidden', units: 6, activation: 'relu'},
  {type: 'dense', name: 'gate', units: 6, activation: 'sigmoid', inputs: ['flat']},
  {type: 'multiply', name: 'gated', inputs: ['hidden', 'gate']},
  {type: 'dense', name: 'other', units: 6, activation: 'tanh', inputs: ['flat']},
  {type: 'add', name: 'highest', inputs: ['gated', 'other']},
  {type: 'average', name: 'mean', inputs: ['highest', 'hidden', 'gate']},
  {type: 'concatenate', name: 'joined', inputs: ['mean', 'gated']},
  {type: 'dense', name: 'out', units: 3, activation: 'softmax'},
], 'categorical_crossentropy', {type: 'sgd', learning_rate: 0.5});

// Dense graph (trains on tfjs-wasm too: no conv2d): a skip connection, a
// 3-input average, the input concatenated back in (axis 1), names left to
// the defaults for the merges.
const DENSE_GRAPH = graph('dense-graph', {shape: [10]}, [
  {type: 'dense', name: 'a', units: 8, activation: 'tanh'},
  {type: 'dense', name: 'b', units: 8, activation: 'relu'},
  {type: 'add', inputs: ['a', 'b']},
  {type: 'dense', name: 'c', units: 8, activation: 'sigmoid', inputs: ['input']},
  {type: 'multiply', inputs: ['add_1', 'c']},
  {type: 'average', inputs: ['multiply_1', 'a', 'c']},
  {type: 'add', inputs: ['average_1', 'b']},
  {type: 'concatenate', axis: 1, inputs: ['add_2', 'input']},
  {type: 'dense', name: 'out', units: 4, activation: 'softmax'},
], 'categorical_crossentropy', {type: 'sgd', learning_rate: 0.5});

// maximum (TF.js's Maximum): of three branches, then of a relu with a
// threshold and slope (the harness's GapscopeReLU inside a functional
// model) and a branch again; the input named.
const MAX_GRAPH = graph('max-graph', {shape: [10], name: 'x'}, [
  {type: 'dense', name: 'a', units: 6, activation: 'tanh'},
  {type: 'dense', name: 'b', units: 6, activation: 'relu', inputs: ['x']},
  {type: 'dense', name: 'c', units: 6, inputs: ['x']},
  {type: 'maximum', name: 'max3', inputs: ['a', 'b', 'c']},
  {type: 'relu', name: 'thresholded', threshold: 0.25, negative_slope: 0.05},
  {type: 'maximum', name: 'max2', inputs: ['thresholded', 'a']},
  {type: 'dense', name: 'out', units: 4, activation: 'softmax'},
], 'categorical_crossentropy', {type: 'sgd', learning_rate: 0.5});

const MODELS = {
  'cnn-graph': {spec: CNN_GRAPH, data: {inputShape: [6, 6, 2], classes: 3}},
  'dense-graph': {spec: DENSE_GRAPH, data: {inputShape: [10], classes: 4}},
  'max-graph': {spec: MAX_GRAPH, data: {inputShape: [10], classes: 4, scale: 2}},
};

describe('graph models: harness logic (node)', () => {
  test('graph specs get resolved inputs, input shapes, a topological order and merged shapes', () => {
    // residual add of two dense layers
    const residual = read(graph('r', {shape: [8]}, [
      {type: 'dense', name: 'd1', units: 8}, {type: 'dense', name: 'd2', units: 8},
      {type: 'add', inputs: ['d1', 'd2']}, {type: 'dense', units: 3, activation: 'softmax'}]));
    assert.deepEqual(residual.layers.map((l) => [l.name, l.inputs, l.inputShapes, l.outputShape]),
                     [['d1', ['input'], [[8]], [8]], ['d2', ['d1'], [[8]], [8]], ['add_1', ['d1', 'd2'], [[8], [8]], [8]],
                      ['dense_3', ['add_1'], [[8]], [3]]]);  // <type>_<n> counts the named layers too
    assert.deepEqual([residual.inputName, residual.isGraph, residual.order, residual.outputShape, residual.outputSize],
                     ['input', true, [0, 1, 2, 3], [3], 3]);
    assert.deepEqual(residual.layers[2].inputShape, [8]);  // the first input's, as chain code reads it

    // the whole image graph: a layer listed after its reader runs before it
    const cnn = read(CNN_GRAPH);
    assert.equal(cnn.inputName, 'image');
    assert.deepEqual(cnn.order.map((i) => cnn.layers[i].name),
                     ['conv_a', 'residual', 'conv_b', 'conv_c', 'channels', 'flat', 'hidden', 'gate', 'gated', 'other',
                      'highest', 'mean', 'joined', 'out']);
    const shapes = Object.fromEntries(cnn.layers.map((l) => [l.name, l.outputShape]));
    assert.deepEqual(shapes, {conv_a: [6, 6, 2], residual: [6, 6, 2], conv_b: [4, 4, 3], channels: [4, 4, 5],
                              conv_c: [4, 4, 2], flat: [80], hidden: [6], gate: [6], gated: [6], other: [6], highest: [6],
                              mean: [6], joined: [12], out: [3]});
    const channels = cnn.layers[3];
    assert.deepEqual([channels.axis, channels.concatAxis, channels.inputShapes], [3, 2, [[4, 4, 3], [4, 4, 2]]]);
    assert.deepEqual(cnn.layers[1].inputShapes, [[6, 6, 2], [6, 6, 2]]);
    assert.deepEqual([cnn.layers[12].axis, cnn.layers[12].concatAxis], [-1, 0]);
    assert.deepEqual(cnn.layers[2].inputs, ['residual']);  // no inputs: the previous listed layer
    assert.deepEqual(cnn.outputShape, [3]);

    // concatenate on other image axes, Keras's count (1 = height) and negative
    const image = (axis) => read(graph('c', {shape: [4, 4, 2], name: 'img'}, [
      {type: 'conv2d', name: 'c', filters: 2, kernel_size: 3, padding: 'same'},
      {type: 'concatenate', axis, inputs: ['img', 'c']}])).outputShape;
    assert.deepEqual([1, 2, 3, -1, -2, -3].map(image), [[8, 4, 2], [4, 8, 2], [4, 4, 4], [4, 4, 4], [4, 8, 2], [8, 4, 2]]);

    // average, multiply, maximum, add of 3 inputs keep the shape; of sequences too
    for (const type of ['average', 'multiply', 'maximum', 'add']) {
      const m = read(graph('m', {shape: [5, 4]}, [
        {type: 'dense', name: 'p', units: 3}, {type: 'dense', name: 'q', units: 3, inputs: ['input']},
        {type: 'dense', name: 's', units: 3, inputs: ['input']}, {type, name: 'merged', inputs: ['p', 'q', 's']}]));
      assert.deepEqual([m.layers[3].inputShapes, m.outputShape], [[[5, 3], [5, 3], [5, 3]], [5, 3]], type);
    }
    // one name for inputs, as core/spec reads it
    assert.deepEqual(read(graph('one', {shape: [3]}, [{type: 'dense', name: 'd', units: 2, inputs: 'input'}])).layers[0].inputs,
                     ['input']);
    // a layer may merge one input with itself
    assert.deepEqual(read(graph('twice', {shape: [3]}, [{type: 'dense', units: 2}, {type: 'add', inputs: ['dense_1', 'dense_1']}]))
        .outputShape, [2]);
  });

  test('chains: model/1 and model/2 without inputs are not graphs; a chain may be listed out of order', () => {
    const chain = F.denseSpec('c', 4, [3], 2);
    const one = read(chain);
    assert.deepEqual([one.format, one.inputName, one.isGraph, one.order], ['gapscope.model/1', 'input', false, [0, 1]]);
    assert.deepEqual(one.layers.map((l) => [l.inputs, l.inputShape, l.inputShapes]), [[['input'], [4], [[4]]], [['dense_1'], [3], [[3]]]]);
    const two = read(Object.assign({}, chain, {format: 'gapscope.model/2', input: {shape: [4], name: 'x'}}));
    assert.deepEqual([two.inputName, two.isGraph, two.layers[0].inputs], ['x', false, ['x']]);
    // inputs written out as the chain default: still a chain
    const explicit = read(graph('e', {shape: [4]}, [{type: 'dense', units: 3, inputs: ['input']},
                                                    {type: 'dense', units: 2, inputs: ['dense_1']}]));
    assert.equal(explicit.isGraph, false);
    // listed out of order: a graph (the order differs from the list), run as a chain
    const shuffledSpec = graph('s', {shape: [4]}, [
      {type: 'dense', name: 'second', units: 3, activation: 'sigmoid', inputs: ['first']},
      {type: 'dense', name: 'first', units: 5, activation: 'sigmoid', inputs: ['input']},
      {type: 'dense', name: 'out', units: 2, activation: 'sigmoid', inputs: ['second']}], 'mean_squared_error');
    const shuffled = read(shuffledSpec);
    assert.deepEqual([shuffled.isGraph, shuffled.order, shuffled.layers[0].inputShape], [true, [1, 0, 2], [5]]);
    assert.deepEqual(parts.brainjsRunner.plan(shuffled, 64).stack.map((l) => [l.name, l.inputs, l.units]),
                     [['first', 4, 5], ['second', 5, 3], ['out', 3, 2]]);
    const binary = read(Object.assign({}, shuffledSpec, {loss: 'binary_crossentropy'}));
    assert.deepEqual(parts.synapticRunner.plan(binary, 64).stack.map((l) => l.name), ['first', 'second', 'out']);
  });

  test('graph errors name the layer (path, type, name) and what is wrong', () => {
    const d = (name, units, extra = {}) => Object.assign({type: 'dense', name, units}, extra);
    const vec = (layers, input = {shape: [8]}) => graph('t', input, layers);
    const cases = [
      // names and inputs
      [vec([d('d1', 8), d('d2', 8), {type: 'add', inputs: ['d1', 'd3']}]),
       /^Error: spec: layers\[2\] \(add 'add_1'\): input 'd3' is neither a layer nor the input \('input'\)$/],
      [vec([d('d1', 8), d('d2', 8), d('d1', 8, {inputs: ['d2']})]),
       /^Error: spec: layers\[2\]\.name 'd1' is used by an earlier layer, layers\[0\] \(weights are found by layer name\)$/],
      [vec([d('d1', 8), d('x', 8)], {shape: [8], name: 'x'}),
       /^Error: spec: layers\[1\]\.name 'x' is the input's name \(layers and the input share one namespace\)$/],
      [vec([d('input', 8)]), /^Error: spec: layers\[0\]\.name 'input' is the input's name/],
      [vec([d('d1', 8), d('d2', 8, {inputs: []})]),
       /^Error: spec: layers\[1\]\.inputs must be a non-empty array of layer names or the input's name, got \[\]$/],
      [vec([d('d1', 8), d('d2', 8, {inputs: ['d1', 3]})]), /^Error: spec: layers\[1\]\.inputs must be a non-empty array/],
      [vec([d('d1', 8), d('d2', 8, {inputs: ''})]), /^Error: spec: layers\[1\]\.inputs must be a non-empty array/],
      [vec([d('d1', 8)], {shape: [8], name: ''}), /^Error: spec: input\.name must be a non-empty string, got ""$/],
      // arity
      [vec([d('d1', 8), d('d2', 8), {type: 'add', inputs: ['d2']}]),
       /^Error: spec: layers\[2\] \(add 'add_1'\) merges 2 or more inputs, got 1 \('d2'\)$/],
      [vec([d('d1', 8), {type: 'average'}]),
       /^Error: spec: layers\[1\] \(average 'average_1'\) merges 2 or more inputs, got 1 \('d1'\); list them in its inputs$/],
      [vec([d('d1', 8), d('d2', 8), d('d3', 4, {inputs: ['d1', 'd2']})]),
       /^Error: spec: layers\[2\] \(dense 'd3'\) takes one input, got 2 \('d1', 'd2'\); the merge layers \(add, average, multiply, maximum, concatenate\) take several$/],
      // merged shapes
      [vec([d('d1', 8), d('d2', 5), {type: 'add', inputs: ['d1', 'd2']}]),
       /^Error: spec: layers\[2\] \(add 'add_1'\): its inputs have different shapes: 'd1' \[8\], 'd2' \[5\] \(add needs them all the same\)$/],
      [vec([d('d1', 8), d('d2', 5), {type: 'maximum', name: 'm', inputs: ['d1', 'd2', 'input']}]),
       /^Error: spec: layers\[2\] \(maximum 'm'\): its inputs have different shapes: 'd1' \[8\], 'd2' \[5\], 'input' \[8\] \(maximum needs them all the same\)$/],
      [vec([d('d1', 8), {type: 'maximum', inputs: ['d1']}]),
       /^Error: spec: layers\[1\] \(maximum 'maximum_1'\) merges 2 or more inputs, got 1 \('d1'\)$/],
      [vec([d('d1', 8), d('d2', 8), {type: 'reshape', name: 'r', target_shape: [2, 4]}, {type: 'average', inputs: ['d1', 'd2', 'r']}]),
       /^Error: spec: layers\[3\] \(average 'average_1'\): its inputs have different shapes: 'd1' \[8\], 'd2' \[8\], 'r' \[2,4\]/],
      [graph('t', {shape: [6, 6, 2], name: 'img'}, [{type: 'conv2d', name: 'c', filters: 2, kernel_size: 3},
                                                    {type: 'concatenate', axis: 3, inputs: ['img', 'c']}]),
       /^Error: spec: layers\[1\] \(concatenate 'concatenate_1'\): its inputs 'img' \[6,6,2\], 'c' \[4,4,2\] differ on an axis other than the concatenation axis 3$/],
      [vec([d('d1', 8), {type: 'reshape', name: 'r', target_shape: [2, 4]}, {type: 'concatenate', inputs: ['d1', 'r']}]),
       /^Error: spec: layers\[2\] \(concatenate 'concatenate_1'\): its inputs 'd1' \[8\], 'r' \[2,4\] differ on an axis other/],
      [vec([d('d1', 8), {type: 'concatenate', axis: 0, inputs: ['input', 'd1']}]),
       /^Error: spec: layers\[1\] \(concatenate 'concatenate_1'\): axis 0 is not an axis of its inputs of rank 1 \(-1\.\.-1, or 1\.\.1 counting the batch axis as 0\)$/],
      [graph('t', {shape: [6, 6, 2]}, [{type: 'conv2d', filters: 2, kernel_size: 3, padding: 'same'},
                                       {type: 'concatenate', axis: 4, inputs: ['input', 'conv2d_1']}]),
       /^Error: spec: layers\[1\] \(concatenate 'concatenate_1'\): axis 4 is not an axis of its inputs of rank 3 \(-3\.\.-1, or 1\.\.3/],
      [graph('t', {shape: [6, 6, 2]}, [{type: 'conv2d', filters: 2, kernel_size: 3, padding: 'same'},
                                       {type: 'concatenate', axis: -4, inputs: ['input', 'conv2d_1']}]),
       /^Error: spec: layers\[1\] \(concatenate 'concatenate_1'\): axis -4 is not an axis/],
      [vec([d('d1', 8), {type: 'concatenate', axis: 'last', inputs: ['input', 'd1']}]),
       /^Error: spec: layers\[1\]\.axis must be an integer, got "last"$/],
      // cycles, unused branches
      [vec([d('a', 8, {inputs: ['b']}), d('b', 8, {inputs: ['a']}), d('out', 2, {inputs: ['a']})]),
       /^Error: spec: layers\[0\] \(dense 'a'\), layers\[1\] \(dense 'b'\) form a cycle: 'a' -> 'b' -> 'a'$/],
      [vec([d('d1', 8), d('a', 8, {inputs: ['c']}), {type: 'add', name: 'b', inputs: ['d1', 'a']}, d('c', 8, {inputs: ['b']}),
            d('out', 2, {inputs: ['c']})]),
       /^Error: spec: layers\[1\] \(dense 'a'\), layers\[2\] \(add 'b'\), layers\[3\] \(dense 'c'\) form a cycle: 'a' -> 'b' -> 'c' -> 'a'$/],
      [vec([d('d1', 8), {type: 'add', name: 'loop', inputs: ['d1', 'loop']}]),
       /^Error: spec: layers\[1\] \(add 'loop'\) reads its own output \(a cycle: 'loop' -> 'loop'\)$/],
      [vec([d('d1', 8), d('aux', 4, {inputs: ['d1']}), d('out', 2, {inputs: ['d1']})]),
       /^Error: spec: unused branch: layers\[1\] \(dense 'aux'\) does not lead to the model's output, the last layer layers\[2\] \(dense 'out'\)$/],
      [vec([d('aux', 4), d('aux2', 4), d('out', 2, {inputs: ['input']})]),
       /^Error: spec: unused branch: layers\[0\] \(dense 'aux'\), layers\[1\] \(dense 'aux2'\) do not lead to the model's output/],
      // format
      [Object.assign(vec([d('d1', 8)]), {format: 'gapscope.model/3'}),
       /^Error: spec: format must be "gapscope\.model\/1" or "gapscope\.model\/2", got "gapscope\.model\/3"$/],
      [Object.assign(vec([d('d1', 8), d('d2', 8, {inputs: ['d1']})]), {format: 'gapscope.model/1'}),
       /^Error: spec: layers\[1\]\.inputs: a gapscope\.model\/1 spec is a chain \(each layer reads the previous one\); inputs needs format "gapscope\.model\/2"$/],
      [Object.assign(vec([d('d1', 8), {type: 'add'}]), {format: 'gapscope.model/1'}),
       /^Error: spec: layers\[1\] \(add 'add_1'\): merge layers need format "gapscope\.model\/2" and their inputs/],
      // shape errors inside a graph name the layer as before
      [graph('t', {shape: [6, 6, 2]}, [{type: 'flatten', name: 'f'}, {type: 'conv2d', filters: 2, kernel_size: 3, inputs: ['f']},
                                       {type: 'add', inputs: ['f', 'conv2d_1']}]),
       /^Error: spec: layers\[1\] \(conv2d 'conv2d_1'\) needs a \[height, width, channels\] input, got \[72\]$/],
    ];
    for (const [s, pattern] of cases) assert.throws(() => read(s), pattern, JSON.stringify(s.layers));
  });

  test('a few thousand layers read quickly (the topological order is quadratic)', () => {
    const layers = [];
    for (let i = 0; i < 1500; ++i) {
      const previous = i === 0 ? 'input' : `a${i - 1}`;
      layers.push({type: 'dense', name: `d${i}`, units: 4, inputs: [previous]});
      layers.push({type: 'add', name: `a${i}`, inputs: [`d${i}`, previous]});
    }
    const output = layers.pop();
    const started = Date.now();
    // listed backwards (the output last): the order is all work
    const m = read(graph('deep', {shape: [4]}, layers.reverse().concat([output])));
    assert.equal(m.order.length, 3000);
    assert.equal(m.layers[m.order[0]].name, 'd0');
    assert.ok(Date.now() - started < 5000, `${Date.now() - started} ms`);
  });

  test('the chain-only frameworks refuse graphs, naming the layer that branches or merges', () => {
    const d = (name, units, extra = {}) => Object.assign({type: 'dense', name, units, activation: 'sigmoid'}, extra);
    const residual = graph('r', {shape: [8]}, [d('d1', 8), d('d2', 8), {type: 'add', inputs: ['d1', 'd2']}, d('out', 2)],
                           'mean_squared_error');
    assert.equal(unsupportedBy('brainjs', residual),
                 'unsupported by brainjs: brain.js runs a chain of layers; layer \'d1\' is used by 2 layers (\'d2\', \'add_1\')');
    assert.equal(unsupportedBy('synaptic', residual),
                 'unsupported by synaptic: synaptic runs a chain of layers; layer \'d1\' is used by 2 layers (\'d2\', \'add_1\')');
    const twice = graph('t', {shape: [8]}, [d('d1', 8), {type: 'add', inputs: ['d1', 'd1']}, d('out', 2)], 'mean_squared_error');
    assert.equal(unsupportedBy('synaptic', twice),
                 'unsupported by synaptic: synaptic runs a chain of layers; layer \'add_1\' takes 2 inputs (add: \'d1\', \'d1\')');
    assert.equal(unsupportedBy('brainjs', twice),
                 'unsupported by brainjs: brain.js runs a chain of layers; layer \'add_1\' takes 2 inputs (add: \'d1\', \'d1\')');
    const fromInput = graph('i', {shape: [8], name: 'x'}, [d('d1', 8), {type: 'concatenate', inputs: ['x', 'd1']}, d('out', 2)],
                            'mean_squared_error');
    assert.equal(unsupportedBy('brainjs', fromInput),
                 'unsupported by brainjs: brain.js runs a chain of layers; the input \'x\' is used by 2 layers (\'d1\', \'concatenate_1\')');
    // ConvNetJS: the image graph (a residual on the input), and a merge of one conv with itself
    assert.equal(unsupportedBy('convnetjs', CNN_GRAPH),
                 'unsupported by convnetjs: ConvNetJS runs a chain of layers; the input \'image\' is used by 3 layers ' +
                 '(\'conv_a\', \'residual\', \'conv_c\')');
    const concat = graph('c', {shape: [6, 6, 1]}, [{type: 'conv2d', filters: 2, kernel_size: 3, activation: 'relu'},
                                                   {type: 'concatenate', axis: 3, inputs: ['conv2d_1', 'conv2d_1']},
                                                   {type: 'flatten'}, {type: 'dense', units: 3, activation: 'softmax'}]);
    assert.equal(unsupportedBy('convnetjs', concat),
                 'unsupported by convnetjs: ConvNetJS runs a chain of layers; layer \'concatenate_1\' takes 2 inputs ' +
                 '(concatenate: \'conv2d_1\', \'conv2d_1\')');
    // a chain listed out of order maps, in its execution order
    const shuffled = graph('s', {shape: [6, 6, 1], name: 'img'}, [
      {type: 'flatten', name: 'flat', inputs: ['conv']},
      {type: 'conv2d', name: 'conv', filters: 2, kernel_size: 3, activation: 'relu', inputs: ['img']},
      {type: 'dense', name: 'out', units: 3, activation: 'softmax', inputs: ['flat']}]);
    assert.deepEqual(parts.convnetjsRunner.plan(read(shuffled)).ops.map((op) => [op.kind, op.vol]),
                     [['conv', {sx: 4, sy: 4, depth: 2}], ['act', {sx: 4, sy: 4, depth: 2}], ['fc', {sx: 1, sy: 1, depth: 3}]]);
    // maximum, as every merge
    const max = graph('m', {shape: [8]}, [d('d1', 8), d('d2', 8, {inputs: ['input']}), {type: 'maximum', name: 'm', inputs: ['d1', 'd2']},
                                          d('out', 2)], 'mean_squared_error');
    assert.equal(unsupportedBy('synaptic', max), 'unsupported by synaptic: synaptic runs a chain of layers; the input \'input\' is ' +
                 'used by 2 layers (\'d1\', \'d2\')');
    const maxTwice = graph('m', {shape: [8]}, [d('d1', 8), {type: 'maximum', name: 'm', inputs: ['d1', 'd1']}, d('out', 2)],
                           'mean_squared_error');
    for (const [framework, title] of [['brainjs', 'brain.js'], ['synaptic', 'synaptic'], ['convnetjs', 'ConvNetJS']])
      assert.equal(unsupportedBy(framework, maxTwice),
                   `unsupported by ${framework}: ${title} runs a chain of layers; layer 'm' takes 2 inputs (maximum: 'd1', 'd1')`);
    // what a graph is refused for comes before what its layers are refused for
    assert.match(unsupportedBy('brainjs', DENSE_GRAPH), /^unsupported by brainjs: brain\.js runs a chain of layers; the input 'input' is used by 3 layers/);
    assert.match(unsupportedBy('synaptic', CNN_GRAPH), /^unsupported by synaptic: synaptic runs a chain of layers; the input 'image' is used by 3 layers/);
  });

  test('the maximum graph gets its shapes', () => {
    const m = read(MAX_GRAPH);
    assert.deepEqual(m.layers.map((l) => [l.name, l.inputs, l.outputShape]),
                     [['a', ['x'], [6]], ['b', ['x'], [6]], ['c', ['x'], [6]], ['max3', ['a', 'b', 'c'], [6]],
                      ['thresholded', ['max3'], [6]], ['max2', ['thresholded', 'a'], [6]], ['out', ['max2'], [4]]]);
    assert.ok(parts.modelSpec.MERGE_TYPES.includes('maximum'));
  });

  const noTfjs = L.noNodeTfjs();
  test('TF.js in node computes the graphs as the plain-JS graph pass does (maximum, every merge, the relu with a threshold)', {skip: noTfjs}, () =>
    L.checkTfjsAgainstPlainPass([['max-graph', MAX_GRAPH, {classes: 4, scale: 2}], ['dense-graph', DENSE_GRAPH, {classes: 4}],
                                 ['cnn-graph', CNN_GRAPH, {classes: 3}]]));

  test('maximum\'s gradient goes to one input where they tie: the first listed (TF.js\'s Maximum folds inputs left to right)', {skip: noTfjs}, () => {
    const tf = L.nodeTfjs();
    const gradients = (inputs) => {
      const tensors = inputs.map((v) => tf.tensor1d(v));
      const layer = tf.layers.maximum();
      const grads = tf.grads((...xs) => tf.sum(layer.apply(xs)))(tensors);
      const values = grads.map((g) => Array.from(g.dataSync()));
      tf.dispose(tensors.concat(grads));
      return values;
    };
    // two inputs: a tie goes to the first
    assert.deepEqual(gradients([[1, 2, 3], [1, 5, 0]]), [[1, 0, 1], [0, 1, 0]]);
    // three inputs, max(max(a, b), c): every tie to the earliest of the tied inputs
    assert.deepEqual(gradients([[1, 0, 2, 4], [1, 2, 2, 1], [1, 2, 0, 4]]),
                     [[1, 0, 1, 1], [0, 1, 0, 0], [0, 0, 0, 0]]);
    // an input merged with itself (maximum(x, x)): all of it to the first
    const x = tf.tensor1d([1, -2]);
    const g = tf.grad((v) => tf.sum(tf.layers.maximum().apply([v, v])))(x);
    assert.deepEqual(Array.from(g.dataSync()), [1, 1]);
    tf.dispose([x, g]);
  });

  test('jobs check the ids of embedding layers that read the model input, wherever they are listed', () => {
    const s = graph('e', {shape: [5], name: 'ids'}, [
      {type: 'flatten', name: 'f', inputs: ['emb']},
      {type: 'embedding', name: 'emb', input_dim: 7, output_dim: 3, inputs: ['ids']},
      {type: 'dense', name: 'out', units: 7, activation: 'softmax', inputs: ['f']}]);
    const exported = F.exportModel(F.denseSpec('d', 1, [], 1));  // any model.json: the weights are read, not matched
    const data = L.makeLayerData({rows: 64, inputShape: [5], input: 'ids', vocabulary: 7, classes: 7});
    assert.equal(parts.job.parseJob(F.makeJob({backend: 'tfjs-cpu', spec: s, exported, data})).model.isGraph, true);
    data.x[12] = 7.5;
    assert.throws(() => parts.job.parseJob(F.makeJob({backend: 'tfjs-cpu', spec: s, exported, data})),
                  /^Error: job: data\.x_base64 row 2 position 2: 7\.5 is not an id in \[0, 7\) \(embedding layer 'emb' reads integer ids\)$/);
  });
});

describe('graph models: harness page in headless chromium (file://)', () => {
  const {skip, session, fixtures, referenceRunTests, refusalTests, noErrorsTest} = L.layerPage(MODELS, {seed: 3, reference: true, steps: 3});

  test('the fixtures are TF.js functional models of the same graph as the specs', {skip}, () => {
    for (const name of Object.keys(MODELS)) {
      const {spec: s, exported} = fixtures[name];
      const topology = exported.modelJson.modelTopology;
      assert.equal(topology.class_name, 'Model');
      const model = read(s);
      const byName = new Map(topology.config.layers.map((l) => [l.name, l]));
      assert.equal(byName.get(model.inputName).class_name, 'InputLayer');
      for (const layer of model.layers) {
        const inbound = byName.get(layer.name).inbound_nodes[0].map((node) => node[0]);
        assert.deepEqual(inbound, layer.inputs, layer.name);
      }
      assert.deepEqual(topology.config.output_layers.map((o) => o[0]), [model.layers[model.layers.length - 1].name]);
    }
  });

  // TF.js 4.22's wasm backend has no Conv2DBackpropFilter: the image graph
  // runs inference only there.
  const noConvGradient = /^unsupported by tfjs-wasm: training conv2d layer 'conv_a' \(TF\.js 4\.22\.0's wasm backend has no 'Conv2DBackpropFilter' kernel/;
  referenceRunTests([['tfjs-cpu', 'cnn-graph'], ['tfjs-cpu', 'dense-graph'], ['tfjs-cpu', 'max-graph'],
                     ['tfjs-wasm', 'cnn-graph', noConvGradient], ['tfjs-wasm', 'dense-graph'], ['tfjs-wasm', 'max-graph'],
                     // on webgl (SwiftShader renders it in software: seconds per model) every merge but maximum in
                     // the image graph, maximum in its own
                     ['tfjs-webgl', 'cnn-graph'], ['tfjs-webgl', 'max-graph']]);

  test('tfjs checks the loaded model.json\'s input and output shapes against the spec\'s', {skip}, async () => {
    const run = (exported) => runJob(session().page, F.makeJob({
      backend: 'tfjs-cpu', spec: DENSE_GRAPH, exported, data: fixtures['dense-graph'].data,
      protocol: Object.assign({}, L.PROTOCOL, {phases: ['train']})}));
    const wideInput = await run(F.exportModel(F.denseSpec('wide', 12, [8], 4)));
    assert.equal(wideInput.error, 'tfjs-cpu, train: model_json\'s input shape [12] differs from the spec\'s [10]');
    const fewerOutputs = await run(F.exportModel(F.denseSpec('narrow', 10, [8], 3)));
    assert.equal(fewerOutputs.error, 'tfjs-cpu, train: model_json\'s output shape [3] differs from the spec\'s [4]');
  });

  refusalTests([
    ['brainjs', 'dense-graph', 'unsupported by brainjs: brain.js runs a chain of layers; the input \'input\' is used by 3 layers ' +
                                '(\'a\', \'c\', \'concatenate_1\')'],
    ['synaptic', 'dense-graph', 'unsupported by synaptic: synaptic runs a chain of layers; the input \'input\' is used by 3 layers ' +
                                '(\'a\', \'c\', \'concatenate_1\')'],
    ['convnetjs', 'cnn-graph', 'unsupported by convnetjs: ConvNetJS runs a chain of layers; the input \'image\' is used by 3 layers ' +
                               '(\'conv_a\', \'residual\', \'conv_c\')'],
    ['convnetjs', 'max-graph', 'unsupported by convnetjs: ConvNetJS runs a chain of layers; the input \'x\' is used by 3 layers ' +
                               '(\'a\', \'b\', \'c\')'],
  ]);

  noErrorsTest();
});
