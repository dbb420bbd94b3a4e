// up_sampling2d and conv2d's dilation_rate in the web harness. up_sampling2d
// is TF.js 4.22's UpSampling2D, nearest: [H, W, C] -> [H * sh, W * sw, C],
// output pixel (y, x) the input's (floor(y / sh), floor(x / sw)). A dilated
// conv2d (TF.js's Conv2D, dilationRate) reads every d-th pixel: its window
// spans (k - 1) * d + 1 pixels, valid and same padding are computed on that
// span (same: the odd pixel at the bottom/right), and a dilation above 1
// needs strides 1. TF.js 4.22 cannot train a dilated Conv2D on any backend
// (its gradient says "dilation rates greater than 1 are not yet supported"):
// the harness refuses such a training job by the layer's name before
// anything is timed; inference runs. Run: node --test tests/web/
// The first group needs only node: reading the fields (defaults, one-integer
// sizes, every error), the shapes, what ConvNetJS, brain.js and synaptic
// refuse; and (with resources/web/node_modules) TF.js in node against a
// plain-JS forward pass. The second opens the page in headless Debian
// chromium: model.json files written by TF.js 4.22 in this node process, run
// as jobs on tfjs-cpu, tfjs-wasm and tfjs-webgl: predictions equal to TF.js in
// node's and the plain-JS pass's; the upsampling models' three training
// steps' losses equal to TF.js in node's, falling (they train on every
// backend: wasm has ResizeNearestNeighborGrad).
import {test, describe} from 'node:test';
import assert from 'node:assert/strict';
import * as L from './layer_fixtures.mjs';
import {loadHarnessParts, runJob, unsupportedBy} from './browser.mjs';

const parts = loadHarnessParts();
const read = (s) => parts.modelSpec.readModelSpec(s);
const {chain, graph} = L;

// Upsampling of the input by [1, 3], then by 2 (one integer, Keras's form),
// then a dense layer per pixel (trains on tfjs-wasm, which has no conv2d
// weight gradient). No layer with weights comes before the upsampling, so
// nothing needs its gradient: it trains on tfjs-cpu too.
const UP_CHAIN = chain('up-chain', [3, 4, 2], [
  {type: 'up_sampling2d', name: 'wide', size: [1, 3], interpolation: 'nearest'},
  {type: 'up_sampling2d', size: 2},
  {type: 'dense', name: 'mix', units: 3, activation: 'tanh'},
  {type: 'flatten'},
  {type: 'dense', units: 3, activation: 'softmax'},
], 'categorical_crossentropy', {type: 'sgd', learning_rate: 0.05});

// A U-Net-like skip (a graph): pool down, a dense layer per pixel, upsample
// back by 2 (the default), add to the input. Its gradient reaches 'mix'
// through the upsampling: TF.js 4.22's cpu ResizeNearestNeighborGrad gets
// batch rows after the first wrong, so tfjs-cpu refuses to train it (and TF.js
// in node, on that cpu backend, is the reference for the first loss only).
const UP_SKIP = graph('up-skip', {shape: [4, 6, 2], name: 'image'}, [
  {type: 'average_pooling2d', name: 'down'},
  {type: 'dense', name: 'mix', units: 2},
  {type: 'up_sampling2d', name: 'up', size: 2},
  {type: 'add', name: 'skip', inputs: ['image', 'up']},
  {type: 'global_max_pooling2d', name: 'gmp'},
  {type: 'dense', name: 'out', units: 3, activation: 'softmax'},
], 'categorical_crossentropy', {type: 'sgd', learning_rate: 0.5});

// Dilated convolutions: dilation 2 with same padding (a 5-pixel span, 2 on
// each side), then [3, 1] valid (a [4, 3] span).
const DILATED = chain('dilated', [9, 8, 2], [
  {type: 'conv2d', name: 'dilated', filters: 3, kernel_size: 3, dilation_rate: 2, padding: 'same', activation: 'relu'},
  {type: 'conv2d', filters: 2, kernel_size: [2, 3], dilation_rate: [3, 1]},
  {type: 'flatten'},
  {type: 'dense', units: 3, activation: 'softmax'},
]);

// Checked against the plain-JS pass in node only: an even span with same
// padding (kernel 2, dilation 3: a 4-pixel span, padded 1 above and 2 below),
// and dilation on one axis with an even kernel.
const DILATED_EVEN = chain('dilated-even', [7, 6, 1], [
  {type: 'conv2d', filters: 2, kernel_size: 2, dilation_rate: 3, padding: 'same'},
  {type: 'conv2d', filters: 2, kernel_size: [2, 2], dilation_rate: [1, 2], padding: 'same', use_bias: false},
  {type: 'flatten'},
  {type: 'dense', units: 3, activation: 'softmax'},
]);

const MODELS = {
  'up-chain': {spec: UP_CHAIN, data: {inputShape: [3, 4, 2], classes: 3, scale: 2}},
  'up-skip': {spec: UP_SKIP, data: {inputShape: [4, 6, 2], classes: 3, scale: 2}, referenceOptions: {steps: 1}},
  // TF.js cannot train it: its reference is the inference loss
  dilated: {spec: DILATED, data: {inputShape: [9, 8, 2], classes: 3}, referenceOptions: {steps: 1}},
};

// The refusal of training the dilated chain, on every TF.js backend.
const dilatedTraining = (backend) => `unsupported by ${backend}: training conv2d layer 'dilated' with dilation_rate [2,2] (TF.js ` +
                                     '4.22.0\'s Conv2D gradient does not support dilation rates above 1, on any backend; inference runs)';
const convnetDilation = (name, rate) => `unsupported by convnetjs: conv2d layer '${name}' has dilation_rate [${rate}] (ConvNetJS's ` +
                                        'conv layer has no dilation: its filters read adjacent pixels)';
// tfjs-cpu's refusal of training the skip graph.
const cpuUpsamplingTraining = 'unsupported by tfjs-cpu: training up_sampling2d layer \'up\' after layers with weights (TF.js ' +
    '4.22.0\'s cpu backend\'s \'ResizeNearestNeighborGrad\' kernel, which its gradient runs, gives every batch row after the ' +
    'first a wrong gradient (it offsets dy by the input\'s batch stride); inference runs, and training where no layer before ' +
    'it has weights)';
const convnetUpsampling = (name) => `unsupported by convnetjs: up_sampling2d layer '${name}' (ConvNetJS has no layer that upsamples a volume)`;

// For each row of a 3-row batch of [3, 4, 2] images upsampled by 2 (TF.js
// `tf`, its active backend): the largest difference between TF.js's gradient
// and the exact one (each input pixel's 2x2 block of dy, summed). Runs in
// the page too (passed as its source text), so it names nothing outside.
function resizeGradientErrors(tf) {
  const [N, H, W, C] = [3, 3, 4, 2];
  const [h, w] = [2 * H, 2 * W];
  const dyValues = Array.from({length: N * h * w * C}, (_, i) => (i % 7) + 1);
  const dy = tf.tensor4d(dyValues, [N, h, w, C]);
  const x = tf.zeros([N, H, W, C]);
  const g = tf.grad((input) => tf.sum(tf.mul(tf.image.resizeNearestNeighbor(input, [h, w]), dy)))(x);
  const got = g.dataSync();
  tf.dispose([dy, x, g]);
  const errors = [];
  for (let n = 0; n < N; ++n) {
    let worst = 0;
    for (let i = 0; i < H; ++i)
      for (let j = 0; j < W; ++j)
        for (let c = 0; c < C; ++c) {
          let sum = 0;
          for (let a = 0; a < 2; ++a)
            for (let b = 0; b < 2; ++b) sum += dyValues[((n * h + 2 * i + a) * w + 2 * j + b) * C + c];
          worst = Math.max(worst, Math.abs(sum - got[((n * H + i) * W + j) * C + c]));
        }
    errors.push(worst);
  }
  return errors;
}

describe('up_sampling2d and dilated conv2d: harness logic (node)', () => {
  const layer = (l, shape = [8, 8, 3]) => read(chain('t', shape, [l])).layers[0];

  test('up_sampling2d comes right after global_max_pooling2d in LAYER_TYPES (the C++ registry\'s order)', () => {
    const types = parts.modelSpec.LAYER_TYPES;
    assert.equal(types.indexOf('up_sampling2d'), types.indexOf('global_max_pooling2d') + 1);
  });

  test('up_sampling2d reads size ([2, 2]; one integer n is [n, n]) and interpolation (nearest): [H, W, C] -> [H * sh, W * sw, C]', () => {
    const up = (fields, shape = [3, 4, 2]) => layer({type: 'up_sampling2d', ...fields}, shape);
    assert.deepEqual([up({}).size, up({}).interpolation, up({}).outputShape], [[2, 2], 'nearest', [6, 8, 2]]);
    assert.deepEqual([up({size: null, interpolation: null}).size, up({size: 3}).size, up({size: [1, 3]}).size], [[2, 2], [3, 3], [1, 3]]);
    assert.deepEqual([up({size: 3}).outputShape, up({size: [1, 3]}).outputShape, up({size: [4, 1]}, [1, 1, 5]).outputShape],
                     [[9, 12, 2], [3, 12, 2], [4, 1, 5]]);
    assert.deepEqual(read(UP_CHAIN).layers.map((l) => [l.name, l.outputShape]),
                     [['wide', [3, 12, 2]], ['up_sampling2d_2', [6, 24, 2]], ['mix', [6, 24, 3]], ['flatten_1', [432]], ['dense_2', [3]]]);
    assert.deepEqual(Object.fromEntries(read(UP_SKIP).layers.map((l) => [l.name, l.outputShape])),
                     {down: [2, 3, 2], mix: [2, 3, 2], up: [4, 6, 2], skip: [4, 6, 2], gmp: [2], out: [3]});
  });

  test('conv2d reads dilation_rate ([1, 1]; one integer n is [n, n]); its window spans (k - 1) * d + 1 pixels', () => {
    const conv = (fields, shape = [9, 8, 2]) => layer({type: 'conv2d', filters: 4, kernel_size: 3, ...fields}, shape);
    assert.deepEqual([conv({}).dilationRate, conv({dilation_rate: null}).dilationRate, conv({dilation_rate: 2}).dilationRate,
                      conv({dilation_rate: [3, 1]}).dilationRate], [[1, 1], [1, 1], [2, 2], [3, 1]]);
    // valid: in - span + 1 (stride 1); same: the input's size
    assert.deepEqual(conv({dilation_rate: 2}).outputShape, [5, 4, 4]);
    assert.deepEqual(conv({dilation_rate: [3, 1]}).outputShape, [3, 6, 4]);
    assert.deepEqual(conv({dilation_rate: [1, 3]}).outputShape, [7, 2, 4]);
    assert.deepEqual(conv({dilation_rate: 4, padding: 'same'}).outputShape, [9, 8, 4]);
    assert.deepEqual(conv({kernel_size: [2, 3], dilation_rate: [3, 1]}).outputShape, [6, 6, 4]);
    // the span's same padding: total span - 1 at stride 1, the odd pixel at the bottom/right
    const {windowOf, windowAxis} = parts.modelSpec;
    assert.deepEqual(windowOf(conv({dilation_rate: 2})), [5, 5]);
    assert.deepEqual(windowOf(conv({kernel_size: [2, 3], dilation_rate: [3, 1]})), [4, 3]);
    assert.deepEqual(windowAxis(7, windowOf(conv({kernel_size: 2, dilation_rate: 3}))[0], 1, 'same'), {out: 7, padBefore: 1, padTotal: 3});
    assert.deepEqual(windowAxis(9, 5, 1, 'same'), {out: 9, padBefore: 2, padTotal: 4});
    // strides stay 1 with a dilation; a dilation of 1 takes any strides
    assert.deepEqual(conv({dilation_rate: [1, 1], strides: 2}).outputShape, [4, 3, 4]);
    assert.deepEqual(read(DILATED).layers.map((l) => l.outputShape), [[9, 8, 3], [6, 6, 2], [72], [3]]);
    assert.deepEqual(read(DILATED_EVEN).layers.map((l) => l.outputShape), [[7, 6, 2], [7, 6, 2], [84], [3]]);
  });

  test('malformed up_sampling2d and dilated conv2d layers give spec errors that name the layer and field', () => {
    const pair = 'must be \\[height, width\\] \\(integers >= 1\\)';
    const cases = [
      [{type: 'up_sampling2d', size: 0}, `^Error: spec: layers\\[0\\]\\.size ${pair}, got 0$`],
      [{type: 'up_sampling2d', size: [2]}, `^Error: spec: layers\\[0\\]\\.size ${pair}, got \\[2\\]$`],
      [{type: 'up_sampling2d', size: [2, 1.5]}, `^Error: spec: layers\\[0\\]\\.size ${pair}, got \\[2,1\\.5\\]$`],
      [{type: 'up_sampling2d', interpolation: 'bilinear'},
       '^Error: spec: layers\\[0\\]\\.interpolation must be "nearest" \\(the only one supported\\), got "bilinear"$'],
      [{type: 'up_sampling2d', interpolation: 1}, '^Error: spec: layers\\[0\\]\\.interpolation must be "nearest"'],
      [{type: 'conv2d', filters: 2, kernel_size: 3, dilation_rate: 0}, `^Error: spec: layers\\[0\\]\\.dilation_rate ${pair}, got 0$`],
      [{type: 'conv2d', filters: 2, kernel_size: 3, dilation_rate: [2, 2, 2]}, `^Error: spec: layers\\[0\\]\\.dilation_rate ${pair}, got \\[2,2,2\\]$`],
      [{type: 'conv2d', filters: 2, kernel_size: 3, dilation_rate: '2'}, `^Error: spec: layers\\[0\\]\\.dilation_rate ${pair}, got "2"$`],
      // dilated or strided
      [{type: 'conv2d', filters: 2, kernel_size: 3, dilation_rate: 2, strides: 2},
       '^Error: spec: layers\\[0\\]: dilation_rate \\[2,2\\] needs strides \\[1,1\\], got \\[2,2\\] \\(a convolution is either dilated or strided, as in TF\\.js\\)$'],
      [{type: 'conv2d', filters: 2, kernel_size: 3, dilation_rate: [1, 2], strides: [2, 1]},
       '^Error: spec: layers\\[0\\]: dilation_rate \\[1,2\\] needs strides \\[1,1\\], got \\[2,1\\]'],
      // a span larger than the input (valid)
      [{type: 'conv2d', filters: 2, kernel_size: 3, dilation_rate: 4},
       '^Error: spec: layers\\[0\\] \\(conv2d \'conv2d_1\'\\): window \\[9,9\\] \\(kernel_size \\[3,3\\] dilated by \\[4,4\\]\\) is larger than the ' +
       'input\'s \\[8,8\\] with padding valid$'],
    ];
    for (const [l, pattern] of cases) assert.throws(() => read(chain('t', [8, 8, 1], [l])), new RegExp(pattern), JSON.stringify(l));
    assert.throws(() => read(chain('t', [8, 8, 1], [{type: 'flatten'}, {type: 'up_sampling2d', name: 'up'}])),
                  /^Error: spec: layers\[1\] \(up_sampling2d 'up'\) needs a \[height, width, channels\] input, got \[64\]$/);
    // with same padding a span larger than the input is fine (TF.js pads)
    assert.deepEqual(layer({type: 'conv2d', filters: 2, kernel_size: 3, dilation_rate: 4, padding: 'same'}, [8, 8, 1]).outputShape, [8, 8, 2]);
  });

  test('ConvNetJS, brain.js and synaptic refuse up_sampling2d and dilated conv2d, naming the layer and why', () => {
    assert.equal(unsupportedBy('convnetjs', DILATED), convnetDilation('dilated', [2, 2]));
    assert.equal(unsupportedBy('convnetjs', DILATED_EVEN), convnetDilation('conv2d_1', [3, 3]));
    // a conv2d with dilation_rate 1 written out maps
    const plain = chain('t', [6, 6, 1], [{type: 'conv2d', filters: 2, kernel_size: 3, dilation_rate: [1, 1]}, {type: 'flatten'},
                                          {type: 'dense', units: 3, activation: 'softmax'}]);
    assert.equal(unsupportedBy('convnetjs', plain), 'no error');
    const {afterConv} = L.convnetjsAfterMappedLayers({type: 'up_sampling2d', name: 'up'});
    assert.equal(afterConv, convnetUpsampling('up'));
    assert.equal(unsupportedBy('convnetjs', UP_CHAIN), convnetUpsampling('wide'));
    assert.match(unsupportedBy('convnetjs', UP_SKIP), /^unsupported by convnetjs: ConvNetJS runs a chain of layers; the input 'image' is used by 2 layers/);
    for (const framework of ['brainjs', 'synaptic']) {
      assert.equal(unsupportedBy(framework, UP_CHAIN), L.denseOnlyRefusal(framework, 'up_sampling2d', 'wide'));
      assert.equal(unsupportedBy(framework, DILATED), L.denseOnlyRefusal(framework, 'conv2d', 'dilated'));
    }
  });

  test('TF.js in node computes the chains as the plain-JS forward pass does (nearest upsampling; dilated windows, same padding)', {skip: L.noNodeTfjs()}, () =>
    // and the first layer alone: its whole output
    L.checkTfjsAgainstPlainPass([['up-chain', UP_CHAIN, {classes: 3, scale: 2}], ['up-skip', UP_SKIP, {classes: 3, scale: 2}],
                                 ['dilated', DILATED, {classes: 3}], ['dilated-even', DILATED_EVEN, {classes: 3}]],
                                {firstLayerAlone: true}));

  test('TF.js 4.22\'s cpu ResizeNearestNeighborGrad gives batch rows after the first a wrong gradient (node\'s cpu backend too)', {skip: L.noNodeTfjs()}, () => {
    const tf = L.nodeTfjs();
    const rows = resizeGradientErrors(tf);
    assert.equal(rows[0], 0, 'the first row is right');
    assert.ok(rows.slice(1).every((error) => error > 0), `rows after the first: ${rows}`);
  });

  test('TF.js 4.22 cannot train a dilated Conv2D (on the cpu backend in node too)', {skip: L.noNodeTfjs()}, async () => {
    const tf = L.nodeTfjs();
    const model = tf.sequential({layers: [tf.layers.conv2d({inputShape: [6, 6, 1], filters: 1, kernelSize: 3, dilationRate: 2}),
                                          tf.layers.flatten()]});
    model.compile({optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError'});
    const [x, y] = [tf.ones([2, 6, 6, 1]), tf.ones([2, 4])];
    await assert.rejects(model.trainOnBatch(x, y), /dilation rates greater than 1 are not yet supported in gradients/);
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe('up_sampling2d and dilated conv2d: harness page in headless chromium (file://)', () => {
  const {skip, session, layerConfigs: configs, referenceRunTests, refusalTests, noErrorsTest, jobFor} =
      L.layerPage(MODELS, {seed: 3, reference: true, steps: 3});
  const run = (name, backend, extra) => runJob(session().page, jobFor(name, backend, extra));

  test('the fixtures are TF.js 4.22 UpSampling2D and dilated Conv2D layers', {skip}, () => {
    const up = configs('up-chain');
    assert.deepEqual([up.wide[0], up.wide[1].size, up.wide[1].interpolation, up.up_sampling2d_2[1].size],
                     ['UpSampling2D', [1, 3], 'nearest', [2, 2]]);
    const d = configs('dilated');
    assert.deepEqual([d.dilated[0], d.dilated[1].dilation_rate, d.dilated[1].padding, d.conv2d_2[1].dilation_rate],
                     ['Conv2D', [2, 2], 'same', [3, 1]]);
  });

  referenceRunTests(['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl'].flatMap((backend) =>
    [[backend, 'up-chain'], [backend, 'up-skip', backend === 'tfjs-cpu' ? cpuUpsamplingTraining : undefined],
     [backend, 'dilated', dilatedTraining(backend)]]));

  test('nearest upsampling\'s gradient per batch row: tfjs-wasm and tfjs-webgl right, tfjs-cpu wrong after the first row', {skip}, async () => {
    const page = session().page;
    for (const backend of ['tfjs-cpu', 'tfjs-wasm', 'tfjs-webgl']) {
      await page.evaluate((b) => window.gapscopeHarness.capabilities(b), backend);
      const rows = await page.evaluate(`(${resizeGradientErrors.toString()})(window.tf)`);
      if (backend === 'tfjs-cpu') assert.ok(rows[0] === 0 && rows.slice(1).every((e) => e > 0), `${backend}: ${rows}`);
      else assert.deepEqual(rows, [0, 0, 0], backend);
    }
  });

  test('the skip graph\'s three training steps on tfjs-wasm and tfjs-webgl agree (the cpu reference gets the gradient wrong)', {skip}, async () => {
    const curve = async (backend) => {
      const result = await run('up-skip', backend, {protocol: {...L.PROTOCOL, phases: []}});
      assert.equal(result.error, undefined, result.error);
      return result.records.find((r) => r.kind === 'loss_curve').losses;
    };
    const [wasm, webgl] = [await curve('tfjs-wasm'), await curve('tfjs-webgl')];
    wasm.forEach((loss, k) => assert.ok(L.near(webgl[k], loss), `step ${k}: webgl ${webgl[k]}, wasm ${loss}`));
    assert.ok(wasm[2] < wasm[0], `loss did not fall: ${wasm}`);
  });

  refusalTests([
    ['convnetjs', 'dilated', convnetDilation('dilated', [2, 2])],
    ['convnetjs', 'up-chain', convnetUpsampling('wide')],
    ['brainjs', 'up-chain', L.denseOnlyRefusal('brainjs', 'up_sampling2d', 'wide')],
    ['synaptic', 'dilated', L.denseOnlyRefusal('synaptic', 'conv2d', 'dilated')],
  ]);

  noErrorsTest();
});
