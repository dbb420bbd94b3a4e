// Tests of the web harness (resources/web/harness). Run: node --test tests/web/
// The first group needs only node; the second opens the page in headless
// Debian chromium through playwright-core from file:// and is skipped, with the
// reason, where chromium or resources/web/node_modules is missing.
import {test, describe} from 'node:test';
import assert from 'node:assert/strict';
import * as F from './fixtures.mjs';
import {harnessPage, loadHarnessParts, openHarness, runJob, webRequire} from './browser.mjs';

const parts = loadHarnessParts(['stats', 'bytes', 'model_spec', 'weights', 'runner_map', 'job', 'capabilities',
                                'framework_common', 'synaptic_runner']);

const SMALL_PROTOCOL = {batch_size: 64, load_warmup: 1, load_runs: 3, warmup_runs: 2, infer_warmup: 5,
                        infer_runs: 20, train_warmup: 2, train_runs: 4};
const MEASUREMENT_FIELDS = ['schema', 'kind', 'run_id', 'backend', 'model', 'config', 'phase', 'unit', 'median', 'p10',
                            'p90', 'mean', 'min', 'max', 'n', 'warmup', 'samples', 'capabilities'];

describe('harness logic (node)', () => {
  test('statistics interpolate between order statistics like core/measure/statistics.cpp', () => {
    const s = parts.stats.summarize([10, 1, 9, 2, 8, 3, 7, 4, 6, 5]);
    assert.equal(s.median, 5.5);
    assert.ok(Math.abs(s.p10 - 1.9) < 1e-12);
    assert.ok(Math.abs(s.p90 - 9.1) < 1e-12);
    assert.deepEqual([s.mean, s.min, s.max, s.n], [5.5, 1, 10, 10]);
    assert.deepEqual(parts.stats.summarize([]), {median: 0, p10: 0, p90: 0, mean: 0, min: 0, max: 0, n: 0});
    assert.equal(parts.stats.summarize([3]).p90, 3);
  });

  test('model specs get layer names and optimizer defaults as in docs/model-spec.md', () => {
    const m = parts.modelSpec.readModelSpec({format: 'gapscope.model/1', input: {shape: [4]},
      layers: [{type: 'dense', units: 3}, {type: 'activation', activation: 'tanh'}, {type: 'dropout', rate: 0.5},
               {type: 'dense', units: 2, activation: 'softmax', name: 'out'}],
      optimizer: {type: 'adam', beta_1: 0.8}});
    assert.deepEqual(m.layers.map((l) => l.name), ['dense_1', 'activation_1', 'dropout_1', 'out']);
    assert.equal(m.loss, 'categorical_crossentropy');
    assert.deepEqual(m.optimizer, {type: 'adam', learning_rate: 0.001, beta1: 0.8, beta2: 0.999, epsilon: 1e-7});
    assert.throws(() => parts.modelSpec.denseStack(m, 'fw', 'no dropout here'),
                  /^Error: unsupported by fw: dropout layer 'dropout_1': no dropout here$/);
    const fused = parts.modelSpec.denseStack(Object.assign({}, m, {layers: m.layers.filter((l) => l.type !== 'dropout')}), 'fw', '');
    assert.deepEqual(fused.map((l) => [l.name, l.inputs, l.units, l.activation]), [['dense_1', 4, 3, 'tanh'], ['out', 3, 2, 'softmax']]);
    assert.throws(() => parts.modelSpec.readModelSpec({format: 'gapscope.model/1', input: {shape: [4]},
                                                       layers: [{type: 'dense', units: 1}], optimizer: 'nadam'}),
                  /optimizer.type: unknown optimizer 'nadam'/);
  });

  test('jobs are checked before anything runs, with messages that name the field', () => {
    const spec = F.denseSpec('t', 8, [4], 3);
    const exported = F.exportModel(spec);
    const data = F.makeData(64, 8, 3);
    const job = parts.job.parseJob(F.makeJob({backend: 'tfjs-cpu', spec, exported, data, protocol: {infer_runs: 7}}));
    assert.equal(job.protocol.infer_runs, 7);
    assert.equal(job.protocol.train_runs, 30);
    assert.deepEqual(job.protocol.phases, ['load', 'warmup', 'infer', 'train']);
    assert.equal(job.data.targetSize, 3);
    assert.deepEqual(Array.from(job.data.row(1)), Array.from(data.x.subarray(8, 16)));
    assert.equal(job.weights.byName.get('dense_2/kernel').values[5], exported.weights[2].values[5]);
    const bad = (changes, pattern) => {
      const object = JSON.parse(F.makeJob({backend: 'tfjs-cpu', spec, exported, data}));
      assert.throws(() => parts.job.parseJob(JSON.stringify(Object.assign(object, changes))), pattern);
    };
    bad({backend: 'tfjs-webgpu'}, /job: backend must be one of tfjs-cpu, .*got "tfjs-webgpu"/);
    bad({data: {x_base64: 'AAAAAA==', y_base64: 'AAAAAA==', rows: 1}}, /data.x_base64 holds 1 values, expected rows x input size = 1 x 8 = 8/);
    bad({weights_base64: 'AAAAAA=='}, /weights_base64 holds 4 bytes, but the manifest needs more/);
    bad({protocol: {batch_size: 65}}, /data has 64 rows, fewer than protocol.batch_size 65/);
    bad({protocol: {phases: ['load', 'fly']}}, /unknown phase 'fly'/);
    assert.throws(() => parts.job.parseJob('{"run_id": '), /job: not valid JSON/);
  });

  test('a job whose weights and rows are files on the page\'s server is fetched, then checked the same way', async () => {
    const spec = F.denseSpec('t', 8, [4], 3);
    const exported = F.exportModel(spec);
    const data = F.makeData(64, 8, 3);
    const inline = JSON.parse(F.makeJob({backend: 'tfjs-cpu', spec, exported, data}));
    const files = {'/job/1/weights.bin': exported.bytes, '/job/2/x.f32': new Uint8Array(data.x.buffer),
                   '/job/3/y.f32': new Uint8Array(data.y.buffer)};
    const fetched = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (url) => {
      fetched.push(url);
      const bytes = files[url];
      if (!bytes) return {ok: false, status: 404};
      return {ok: true, status: 200, arrayBuffer: async () => bytes.slice().buffer};
    };
    try {
      const byUrl = (changes) => {
        const job = Object.assign({}, inline, {weights_url: '/job/1/weights.bin'}, changes);
        delete job.weights_base64;
        job.data = {x_url: '/job/2/x.f32', y_url: '/job/3/y.f32', rows: data.rows};
        return job;
      };
      const job = await parts.job.fetchJob(JSON.stringify(byUrl({})));
      assert.deepEqual(fetched, ['/job/1/weights.bin', '/job/2/x.f32', '/job/3/y.f32']);
      assert.deepEqual(Array.from(job.data.row(1)), Array.from(data.x.subarray(8, 16)));
      assert.equal(job.weights.byName.get('dense_2/kernel').values[5], exported.weights[2].values[5]);
      await assert.rejects(parts.job.fetchJob(byUrl({weights_url: '/job/9/none.bin'})), /job: weights_url \/job\/9\/none.bin: HTTP 404/);
      await assert.rejects(parts.job.fetchJob(byUrl({weights_url: 'http://example.invalid/w.bin'})),
                           /job: weights_url must be a path on this page's server/);
    } finally {
      globalThis.fetch = realFetch;
    }
  });

  test('synaptic trains row by row exactly like plain backprop in its update order', async (t) => {
    let synaptic;
    try {
      synaptic = webRequire('synaptic');
    } catch (e) {
      t.skip(`synaptic not installed: ${e.message}`);
      return;
    }
    parts.scriptLoader = {loadFramework: async () => synaptic};
    const spec = F.denseSpec('s', 20, [4], 3, {activation: 'tanh', outputActivation: 'linear', loss: 'mean_squared_error'});
    const exported = F.exportModel(spec);
    const data = F.makeData(64, 20, 3, 7, 'real');
    const job = parts.job.parseJob(F.makeJob({backend: 'synaptic', spec, exported, data}));
    const adapter = await parts.synapticRunner.createAdapter(job);
    const net = adapter.load();
    // Reference: per-row SGD, rate = lr * 2 / (outputs * batch), output layer
    // updated before the hidden error is computed from its weights (synaptic).
    const W1 = Array.from(exported.weights[0].values), b1 = Array.from(exported.weights[1].values);
    const W2 = Array.from(exported.weights[2].values), b2 = Array.from(exported.weights[3].values);
    const rate = 0.1 * 2 / (3 * 64);
    for (let r = 0; r < 6; ++r) {
      const x = data.x.subarray(r * 20, r * 20 + 20), y = data.y.subarray(r * 3, r * 3 + 3);
      const h = [0, 1, 2, 3].map((j) => Math.tanh(x.reduce((s, xi, i) => s + xi * W1[i * 4 + j], b1[j])));
      const out = [0, 1, 2].map((k) => h.reduce((s, hj, j) => s + hj * W2[j * 3 + k], b2[k]));
      const expected = out.reduce((s, o, k) => s + (o - y[k]) ** 2, 0) / 3;
      const actual = adapter.trainBatch(net, {}, x, y, 1);
      assert.ok(Math.abs(actual - expected) <= 1e-12 + 1e-9 * expected, `row ${r}: synaptic ${actual}, reference ${expected}`);
      const e = out.map((o, k) => y[k] - o);
      for (let k = 0; k < 3; ++k) {
        for (let j = 0; j < 4; ++j) W2[j * 3 + k] += rate * e[k] * h[j];
        b2[k] += rate * e[k];
      }
      for (let j = 0; j < 4; ++j) {
        const d = (1 - h[j] * h[j]) * e.reduce((s, ek, k) => s + ek * W2[j * 3 + k], 0);
        for (let i = 0; i < 20; ++i) W1[i * 4 + j] += rate * d * x[i];
        b1[j] += rate * d;
      }
    }
  });
});

describe('harness page in headless chromium (file://)', () => {
  const {found, skip, session, noErrorsTest} = harnessPage();

  const mlp = F.denseSpec('test-784-16-10', 784, [16], 10);
  const mlpWeights = F.exportModel(mlp);
  const mlpData = F.makeData(128, 784, 10);
  const reference = F.referencePredict(mlp, mlpWeights, mlpData.x, 5);
  const referenceLoss = F.referenceLoss(mlp.loss, F.referencePredict(mlp, mlpWeights, mlpData.x, 64), mlpData.y, 64);
  const curves = {};

  function checkMeasurements(records, backend) {
    const byPhase = {};
    for (const r of records.filter((r) => r.kind === 'measurement')) byPhase[r.phase] = r;
    for (const phase of ['load', 'warmup', 'infer', 'train', 'js_memory']) {
      const r = byPhase[phase];
      assert.ok(r, `${backend}: no ${phase} record`);
      for (const field of MEASUREMENT_FIELDS) assert.ok(field in r, `${backend} ${phase}: no field ${field}`);
      assert.equal(r.schema, 'gapscope.measurement/1');
      assert.equal(r.run_id, 'test-run');
      assert.equal(r.backend, backend);
      assert.equal(r.model, 'test-784-16-10');
      assert.deepEqual(r.config, {preset: 'test', batch: 64});
      assert.equal(r.samples.length, r.n);
      for (const [k, v] of Object.entries(r.capabilities)) assert.equal(typeof v, 'string', `capability ${k}`);
      const s = parts.stats.summarize(r.samples);
      assert.equal(r.median, s.median);
      assert.equal(r.p90, s.p90);
    }
    assert.deepEqual([byPhase.load.n, byPhase.load.warmup], [3, 1]);
    assert.deepEqual([byPhase.warmup.n, byPhase.infer.n, byPhase.infer.warmup, byPhase.train.n], [2, 20, 5, 4]);
    for (const phase of ['load', 'warmup', 'train']) assert.ok(byPhase[phase].median > 0, `${backend} ${phase} median`);
    // One inference of this tiny model can take less than performance.now()'s
    // 100 us step, so single samples may read 0; their mean cannot.
    assert.ok(byPhase.infer.mean > 0 && byPhase.infer.median >= 0, `${backend} infer`);
    assert.equal(byPhase.js_memory.unit, 'bytes');
    return byPhase;
  }

  for (const backend of ['tfjs-cpu', 'tfjs-wasm', 'convnetjs']) {
    test(`${backend}: schema, positive timings, predictions equal a plain-JS forward pass, loss curve`, {skip}, async () => {
      const result = await runJob(session().page, F.makeJob({backend, spec: mlp, exported: mlpWeights, data: mlpData,
                                                             protocol: SMALL_PROTOCOL, predictRows: 5, trainStepsCheck: 3}));
      assert.equal(result.error, undefined, result.error);
      const byPhase = checkMeasurements(result.records, backend);
      const predictions = result.records.find((r) => r.kind === 'predictions');
      assert.equal(predictions.outputs.length, 5);
      assert.ok(F.maxViolation(predictions.outputs, reference) <= 0, `${backend} predictions differ from the reference`);
      const curve = result.records.find((r) => r.kind === 'loss_curve');
      assert.equal(curve.losses.length, 3);
      assert.ok(Math.abs(curve.losses[0] - referenceLoss) <= 1e-5 + 1e-4 * referenceLoss,
                `${backend} first loss ${curve.losses[0]}, reference ${referenceLoss}`);
      assert.ok(curve.losses[2] < curve.losses[0], `${backend} loss did not fall: ${curve.losses}`);
      curves[backend] = curve.losses;
      if (backend.startsWith('tfjs')) {
        assert.equal(byPhase.js_memory.leaked_tensors, 0, `${backend} leaked tensors`);
        assert.equal(byPhase.load.capabilities.tfjs_backend, backend.slice(5));
        assert.equal(byPhase.load.capabilities.tfjs_version, '4.22.0');
      }
      if (backend === 'tfjs-wasm') {
        assert.match(byPhase.train.capabilities.wasm_simd, /^(true|false)$/);
        assert.match(byPhase.train.capabilities.threads, /^\d+$/);
      }
    });
  }

  test('the same SGD steps from the same weights give the same losses on TF.js and ConvNetJS', {skip}, () => {
    for (const other of ['tfjs-wasm', 'convnetjs']) {
      if (!curves['tfjs-cpu'] || !curves[other]) continue;  // reported by the tests above
      curves[other].forEach((loss, k) => {
        const expected = curves['tfjs-cpu'][k];
        assert.ok(Math.abs(loss - expected) <= 1e-5 + 1e-4 * expected, `${other} step ${k}: ${loss}, tfjs-cpu ${expected}`);
      });
    }
  });

  test('ConvNetJS steps equal TF.js steps for momentum, adagrad, sparse labels and MSE', {skip}, async () => {
    const cases = [
      F.denseSpec('m', 784, [16], 10, {optimizer: {type: 'momentum', learning_rate: 0.05, momentum: 0.9}}),
      // small rate: a diverging run saturates the softmax, where TF.js clips p at 1e-7 and ConvNetJS does not
      F.denseSpec('a', 784, [16], 10, {optimizer: {type: 'adagrad', learning_rate: 0.002, initial_accumulator_value: 0}}),
      F.denseSpec('s', 784, [16], 10, {loss: 'sparse_categorical_crossentropy'}),
      F.denseSpec('r', 784, [16], 10, {activation: 'tanh', outputActivation: 'sigmoid', loss: 'mean_squared_error',
                                       optimizer: {type: 'momentum', learning_rate: 0.5, momentum: 0.5}}),
    ];
    const kinds = {s: 'sparse', r: 'real'};
    for (const spec of cases) {
      const exported = F.exportModel(spec);
      const data = F.makeData(64, 784, 10, 7, kinds[spec.name] || 'onehot');
      const curve = async (backend) => {
        const result = await runJob(session().page, F.makeJob({backend, spec, exported, data, protocol: {phases: []},
                                                               trainStepsCheck: 4}));
        assert.equal(result.error, undefined, result.error);
        return result.records.find((r) => r.kind === 'loss_curve').losses;
      };
      const expected = await curve('tfjs-cpu');
      const actual = await curve('convnetjs');
      actual.forEach((loss, k) => assert.ok(Math.abs(loss - expected[k]) <= 1e-5 + 1e-4 * expected[k],
                                            `${spec.name} step ${k}: convnetjs ${loss}, tfjs-cpu ${expected[k]}`));
    }
  });

  const perRowCases = [
    ['brainjs', F.denseSpec('test-784-16-10', 784, [16], 10,
                            {activation: 'sigmoid', outputActivation: 'sigmoid', loss: 'mean_squared_error'}), 'real'],
    ['synaptic', F.denseSpec('test-784-16-10', 784, [16], 10,
                             {activation: 'relu', outputActivation: 'sigmoid', loss: 'binary_crossentropy'}), 'binary'],
  ];
  for (const [backend, spec, kind] of perRowCases) {
    test(`${backend}: schema, timings and predictions equal a plain-JS forward pass`, {skip}, async () => {
      const exported = F.exportModel(spec, 3);
      const data = F.makeData(128, 784, 10, 5, kind);
      const protocol = Object.assign({}, SMALL_PROTOCOL, {warmup_runs: 1, train_runs: 2});
      const result = await runJob(session().page, F.makeJob({backend, spec, exported, data, protocol, predictRows: 4,
                                                             trainStepsCheck: 2}));
      assert.equal(result.error, undefined, result.error);
      const byPhase = {};
      for (const r of result.records) if (r.kind === 'measurement') byPhase[r.phase] = r;
      for (const phase of ['load', 'warmup', 'infer', 'train']) assert.ok(byPhase[phase].mean > 0, `${backend} ${phase}`);
      const predictions = result.records.find((r) => r.kind === 'predictions');
      assert.ok(F.maxViolation(predictions.outputs, F.referencePredict(spec, exported, data.x, 4)) <= 0);
      const curve = result.records.find((r) => r.kind === 'loss_curve');
      assert.match(curve.gradient, /^per row/);
      assert.ok(curve.losses.every(Number.isFinite));
    });
  }

  const unsupportedCases = [
    ['convnetjs', Object.assign(F.denseSpec('u', 784, [16], 10), {optimizer: {type: 'adam'}}), /^unsupported by convnetjs: optimizer adam/],
    ['brainjs', F.denseSpec('u', 784, [16], 10), /^unsupported by brainjs: /],
    ['synaptic', Object.assign(F.denseSpec('u', 784, [16], 10, {outputActivation: 'linear', loss: 'mean_squared_error'}),
                               {layers: [{type: 'dense', units: 16, activation: 'relu'}, {type: 'dropout', rate: 0.2},
                                         {type: 'dense', units: 10}]}), /^unsupported by synaptic: dropout layer 'dropout_1'/],
    ['convnetjs', Object.assign(F.denseSpec('u', 784, [16], 10), {layers: [{type: 'dense', units: 16, activation: 'softmax'},
                                                                           {type: 'dense', units: 10, activation: 'softmax'}]}),
     /^unsupported by convnetjs: softmax on dense layer 'dense_1' before the last layer/],
  ];
  for (const [backend, spec, pattern] of unsupportedCases) {
    test(`${backend} rejects a model it cannot express: ${pattern.source.slice(1, 60)}`, {skip}, async () => {
      const exported = F.exportModel(spec);
      const data = F.makeData(64, 784, 10);
      const result = await runJob(session().page, F.makeJob({backend, spec, exported, data, protocol: SMALL_PROTOCOL}));
      assert.equal(result.records, undefined);
      assert.match(result.error, pattern);
    });
  }

  test('tfjs-webgl either runs on a real WebGL context or says why it is unavailable', {skip}, async () => {
    const result = await runJob(session().page, F.makeJob({backend: 'tfjs-webgl', spec: mlp, exported: mlpWeights, data: mlpData,
                                                           protocol: Object.assign({}, SMALL_PROTOCOL, {phases: ['infer']}),
                                                           predictRows: 2}));
    if (result.error) {
      assert.match(result.error, /^backend tfjs-webgl unavailable: /);
      return;
    }
    const infer = result.records.find((r) => r.phase === 'infer');
    assert.equal(infer.capabilities.tfjs_backend, 'webgl');
    assert.match(infer.capabilities.webgl_version, /^[12]$/);
    assert.ok(infer.capabilities.webgl_renderer.length > 0);
    assert.ok(F.maxViolation(result.records.find((r) => r.kind === 'predictions').outputs, reference.slice(0, 2)) <= 0);
  });

  test('without WebGL, tfjs-webgl fails with the reason and never falls back', {skip}, async () => {
    const noWebgl = await openHarness(found, {initScript: () => {
      for (const type of [self.HTMLCanvasElement, self.OffscreenCanvas]) {
        if (!type) continue;
        const original = type.prototype.getContext;
        type.prototype.getContext = function (kind, ...rest) {
          return /webgl/.test(kind) ? null : original.call(this, kind, ...rest);
        };
      }
    }});
    try {
      const result = await runJob(noWebgl.page, F.makeJob({backend: 'tfjs-webgl', spec: mlp, exported: mlpWeights,
                                                           data: mlpData, protocol: SMALL_PROTOCOL}));
      assert.match(result.error, /^backend tfjs-webgl unavailable: tf.setBackend\('webgl'\) failed: .*WebGL is not supported/);
      assert.ok(!result.error.includes('\n'), 'the reason is one line');
      const caps = await noWebgl.page.evaluate(() => window.gapscopeHarness.capabilities('tfjs-webgl'));
      assert.deepEqual([caps.available, caps.reason], ['false', result.error]);
      const cpu = await runJob(noWebgl.page, F.makeJob({backend: 'tfjs-cpu', spec: mlp, exported: mlpWeights, data: mlpData,
                                                        protocol: Object.assign({}, SMALL_PROTOCOL, {phases: ['infer']})}));
      assert.equal(cpu.records[0].capabilities.tfjs_backend, 'cpu');
    } finally {
      await noWebgl.browser.close();
    }
  });

  test('capabilities() and the ticket API (start/result) work for callers that cannot await', {skip}, async () => {
    const caps = await session().page.evaluate(() => window.gapscopeHarness.capabilities('tfjs-wasm'));
    assert.equal(caps.available, 'true');
    assert.equal(caps.tfjs_backend, 'wasm');
    const unknown = await session().page.evaluate(() => window.gapscopeHarness.capabilities('convnetjs'));
    assert.deepEqual([unknown.available, unknown.framework_version], ['true', '0.3.0']);
    const job = F.makeJob({backend: 'convnetjs', spec: mlp, exported: mlpWeights, data: mlpData,
                           protocol: Object.assign({}, SMALL_PROTOCOL, {phases: ['load']})});
    const ticket = await session().page.evaluate((text) => window.gapscopeHarness.start(text), job);
    let outcome;
    for (let i = 0; i < 100; ++i) {
      outcome = JSON.parse(await session().page.evaluate((t) => window.gapscopeHarness.result(t), ticket));
      if (outcome.state !== 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.equal(outcome.state, 'done', JSON.stringify(outcome));
    assert.deepEqual(outcome.value.map((r) => r.phase), ['load', 'js_memory']);
    const failed = await session().page.evaluate(async () => {
      const t = window.gapscopeHarness.start('{"run_id": "x", "backend": "nope"}');
      await new Promise((resolve) => setTimeout(resolve, 50));
      return window.gapscopeHarness.result(t);
    });
    assert.match(JSON.parse(failed).error, /^job: backend must be one of/);
  });

  noErrorsTest('the page loads nothing remote and logs no errors');
});
