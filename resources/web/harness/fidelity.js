// Measurement fidelity: does the harness distort what it measures? In one
// page, on one job, it alternates (A B, B A, ...) the protocol's train phase
// (runProtocol, as every job runs it) with a bare loop making the same
// adapter calls — one performance.now() pair around each trainBatch, nothing
// else: no timed() wrapper, no promise check, no memory snapshots, no records.
// Each round of each arm loads a fresh model and makes train_warmup untimed
// steps, then train_runs timed ones, over the same batches.
//   -> {backend, rounds, harness: [[ms...] per round], bare: [[ms...] per round],
//       capabilities}
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});

  async function bareTrainLoop(job, adapter) {
    const p = job.protocol;
    const data = job.data;
    const model = await adapter.load();
    let trainer = null;
    try {
      trainer = await adapter.prepare(model);
      const batch = p.batch_size;
      const samples = [];
      for (let i = 0; i < p.train_warmup + p.train_runs; ++i) {
        const {x, y} = data.batch(i, batch);
        const start = performance.now();
        await adapter.trainBatch(model, trainer, x, y, batch);
        const ms = performance.now() - start;
        if (i >= p.train_warmup) samples.push(ms);
      }
      return samples;
    } finally {
      await adapter.dispose(model, trainer);
    }
  }

  async function fidelityCheck(job, adapter, rounds) {
    const trainOnly = Object.assign({}, job, {protocol: Object.assign({}, job.protocol, {phases: ['train']}),
                                              predictRows: undefined, trainStepsCheck: undefined});
    const out = {backend: job.backend, rounds, harness: [], bare: [], capabilities: adapter.capabilities};
    const harnessArm = async () => {
      const records = await parts.protocol.runProtocol(trainOnly, adapter);
      out.harness.push(records.find((record) => record.phase === 'train').samples);
    };
    const bareArm = async () => out.bare.push(await bareTrainLoop(job, adapter));
    // A B, B A, A B, ...: neither arm always runs first (after a GC, a JIT tier-up).
    for (let r = 0; r < rounds; ++r) {
      if (r % 2 === 0) {
        await harnessArm();
        await bareArm();
      } else {
        await bareArm();
        await harnessArm();
      }
    }
    return out;
  }

  parts.fidelity = {fidelityCheck, bareTrainLoop};
})(typeof window !== 'undefined' ? window : globalThis);
