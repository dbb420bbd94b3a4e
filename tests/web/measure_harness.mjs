// Measures a 784-128-10 MLP on every browser backend in headless chromium
// through the harness page, with the default protocol (or scaled), and prints
// the medians per phase. A tool, not a test (tests assert, this reports):
//   node tests/web/measure_harness.mjs [--backends tfjs-cpu,tfjs-wasm] [--runs-scale 0.2] [--json out.jsonl]
// Models per backend (each framework's model must be expressible there):
//   tfjs-*, convnetjs: relu hidden, softmax output, categorical cross-entropy, SGD 0.1 (paper-dnn-1x128)
//   brainjs:           sigmoid everywhere, mean squared error, SGD 0.1
//   synaptic:          relu hidden, sigmoid output, binary cross-entropy, SGD 0.1
import {writeFileSync} from 'node:fs';
import * as F from './fixtures.mjs';
import {findBrowser, openHarness, runJob} from './browser.mjs';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const backends = option('--backends', 'tfjs-cpu,tfjs-wasm,tfjs-webgl,convnetjs,brainjs,synaptic').split(',');
const scale = Number(option('--runs-scale', '1'));
const jsonOut = option('--json', null);

const defaults = {load_warmup: 2, load_runs: 15, warmup_runs: 10, infer_warmup: 20, infer_runs: 200, train_warmup: 5,
                  train_runs: 30};
const protocol = {batch_size: 64};
for (const [k, v] of Object.entries(defaults)) protocol[k] = k.endsWith('warmup') ? v : Math.max(1, Math.round(v * scale));

const specs = {
  default: F.denseSpec('paper-dnn-1x128', 784, [128], 10),
  brainjs: F.denseSpec('mlp-784-128-10-sigmoid-mse', 784, [128], 10,
                       {activation: 'sigmoid', outputActivation: 'sigmoid', loss: 'mean_squared_error'}),
  synaptic: F.denseSpec('mlp-784-128-10-relu-bce', 784, [128], 10,
                        {activation: 'relu', outputActivation: 'sigmoid', loss: 'binary_crossentropy'}),
};
const dataKind = {brainjs: 'real', synaptic: 'binary'};

const found = findBrowser();
if (found.skip) {
  console.error(`cannot measure: ${found.skip}`);
  process.exit(1);
}
const session = await openHarness(found);
const lines = [];
console.log(`protocol ${JSON.stringify(protocol)}`);
console.log('backend      model                          load     warmup   infer    train    (median ms)');
for (const backend of backends) {
  const spec = specs[backend] || specs.default;
  const exported = F.exportModel(spec);
  const data = F.makeData(256, 784, 10, 11, dataKind[backend] || 'onehot');
  const result = await runJob(session.page, F.makeJob({runId: 'measure', backend, spec, exported, data, protocol,
                                                       config: {preset: 'measure', batch: 64}}));
  if (result.error) {
    console.log(`${backend.padEnd(12)} ${result.error}`);
    continue;
  }
  const median = (phase) => {
    const r = result.records.find((x) => x.phase === phase);
    return r ? r.median.toFixed(3).padStart(8) : '       -';
  };
  console.log(`${backend.padEnd(12)} ${spec.name.padEnd(30)} ${median('load')} ${median('warmup')} ${median('infer')} ${median('train')}`);
  for (const r of result.records) lines.push(JSON.stringify(r));
}
const caps = lines.length ? JSON.parse(lines[0]).capabilities : {};
console.log(`browser: ${caps.user_agent}; timer step ${caps.timer_resolution_ms} ms`);
if (jsonOut) writeFileSync(jsonOut, lines.join('\n') + '\n');
await session.browser.close();
