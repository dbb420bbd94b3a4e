// The measurement protocol, the same on every backend (DESIGN.md, and
// core/measure/native_runner.cpp on the native side), run against a framework
// adapter:
//   load    bytes already in memory -> a model ready to run (each sample a new
//           model, disposed after); `load_warmup` untimed loads first
//   warmup  the first inference (batch 1) of a freshly loaded model, one
//           sample per fresh model, output read back
//   infer   one inference of one sample (batch 1) in steady state, output read
//           back to JS; rows are taken in turn from the job's data
//   train   one training step on one batch of `batch_size` rows in steady
//           state (stage the batch, forward, backward, update, loss read back);
//           batches are taken in turn from the job's data
// Phases always run in that order (as natively), whatever order the job lists.
// Checks run after the timed phases, each on a fresh model from the job's
// weights, so they neither warm nor disturb what is timed:
//   predict_rows k      -> {"kind": "predictions", "outputs": [[...], ...]}
//   train_steps_check k -> {"kind": "loss_curve", "losses": [...]}: k steps on
//                          the first batch (the same batch every step)
// Timing is performance.now() around the adapter call, awaited only if it
// returned a promise.
//
// An adapter: {backend, framework, capabilities: {string: string},
//   load() -> model, prepare(model) -> trainer, predict(model, x, rows) -> outputs,
//   trainBatch(model, trainer, x, y, rows) -> loss, dispose(model, trainer),
//   memory() -> snapshot or null, trainNotes: {...} fields for the loss curve}
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});
  const SCHEMA = 'gapscope.measurement/1';

  function isPromise(v) {
    return v !== null && typeof v === 'object' && typeof v.then === 'function';
  }

  async function settle(v) {
    return isPromise(v) ? await v : v;
  }

  // Runs fn() and returns [milliseconds, result].
  async function timed(fn) {
    const start = performance.now();
    let result = fn();
    if (isPromise(result)) result = await result;
    return [performance.now() - start, result];
  }

  function header(job, adapter, kind) {
    return {schema: SCHEMA, kind, run_id: job.runId, backend: job.backend, model: job.model.name,
            config: job.config};
  }

  function measurement(job, adapter, phase, unit, samples, warmup) {
    const s = parts.stats.summarize(samples);
    return Object.assign(header(job, adapter, 'measurement'), {
      phase, unit, median: s.median, p10: s.p10, p90: s.p90, mean: s.mean, min: s.min, max: s.max, n: s.n,
      warmup, samples: Array.from(samples), capabilities: adapter.capabilities,
    });
  }

  async function withModel(adapter, fn) {
    const model = await settle(adapter.load());
    let trainer = null;
    try {
      return await fn(model, (t) => (trainer = t));
    } finally {
      await settle(adapter.dispose(model, trainer));
    }
  }

  // Progress for live charts (job.onProgress, set by main.js for ticket
  // callers): every training step with its loss (and accuracy where the
  // adapter's trainer keeps lastAccuracy), ~20 per other phase. Called
  // outside the timed region.
  function progressReporter(job) {
    if (typeof job.onProgress !== 'function') return () => {};
    return (phase, step, steps, ms, loss, accuracy) => {
      if (phase !== 'train' && step % Math.max(1, Math.floor(steps / 20)) !== 0 && step !== steps) return;
      const event = {kind: 'progress', phase, step, steps, ms};
      if (typeof loss === 'number') event.loss = loss;
      if (typeof accuracy === 'number') event.accuracy = accuracy;
      job.onProgress(event);
    };
  }

  async function runProtocol(job, adapter) {
    const p = job.protocol;
    const data = job.data;
    const report = progressReporter(job);
    const wants = (phase) => p.phases.includes(phase);
    const records = [];
    const memoryBefore = adapter.memory();
    let memoryPeak = memoryBefore;
    const noteMemory = () => {
      const now = adapter.memory();
      if (now && (!memoryPeak || now.bytes > memoryPeak.bytes)) memoryPeak = now;
    };
    let phase = 'setup';
    try {
      if (wants('load')) {
        phase = 'load';
        const samples = [];
        for (let i = 0; i < p.load_warmup + p.load_runs; ++i) {
          const [ms, model] = await timed(() => adapter.load());
          if (i === 0) noteMemory();
          await settle(adapter.dispose(model, null));
          if (i >= p.load_warmup) samples.push(ms);
          report('load', i + 1, p.load_warmup + p.load_runs, ms);
        }
        records.push(measurement(job, adapter, 'load', 'ms', samples, p.load_warmup));
      }
      if (wants('warmup')) {
        phase = 'warmup';
        const samples = [];
        for (let i = 0; i < p.warmup_runs; ++i) {
          await withModel(adapter, async (model) => {
            const [ms] = await timed(() => adapter.predict(model, data.row(i % data.rows), 1));
            samples.push(ms);
            report('warmup', i + 1, p.warmup_runs, ms);
          });
        }
        records.push(measurement(job, adapter, 'warmup', 'ms', samples, 0));
      }
      if (wants('infer') || wants('train')) {
        await withModel(adapter, async (model, keepTrainer) => {
          noteMemory();
          if (wants('infer')) {
            phase = 'infer';
            const samples = [];
            for (let i = 0; i < p.infer_warmup + p.infer_runs; ++i) {
              const [ms] = await timed(() => adapter.predict(model, data.row(i % data.rows), 1));
              if (i >= p.infer_warmup) samples.push(ms);
              report('infer', i + 1, p.infer_warmup + p.infer_runs, ms);
            }
            noteMemory();
            records.push(measurement(job, adapter, 'infer', 'ms', samples, p.infer_warmup));
          }
          if (wants('train')) {
            phase = 'train';
            const trainer = keepTrainer(await settle(adapter.prepare(model)));
            const batch = p.batch_size;
            const samples = [];
            for (let i = 0; i < p.train_warmup + p.train_runs; ++i) {
              const {x, y} = data.batch(i, batch);
              const [ms, loss] = await timed(() => adapter.trainBatch(model, trainer, x, y, batch));
              if (typeof loss !== 'number') throw new Error(`training step ${i} returned no loss`);
              if (i >= p.train_warmup) samples.push(ms);
              if (i === 0) noteMemory();
              report('train', i + 1, p.train_warmup + p.train_runs, ms, loss, trainer && trainer.lastAccuracy);
            }
            noteMemory();
            records.push(measurement(job, adapter, 'train', 'ms', samples, p.train_warmup));
          }
        });
      }
      if (job.predictRows !== undefined) {
        phase = 'predictions';
        const rows = job.predictRows;
        await withModel(adapter, async (model) => {
          const out = Array.from(await settle(adapter.predict(model, data.rowsX(0, rows), rows)));
          const width = out.length / rows;
          const outputs = [];
          for (let r = 0; r < rows; ++r) outputs.push(out.slice(r * width, (r + 1) * width));
          records.push(Object.assign(header(job, adapter, 'predictions'), {rows, outputs, capabilities: adapter.capabilities}));
        });
      }
      if (job.trainStepsCheck !== undefined) {
        phase = 'loss_curve';
        const batch = p.batch_size;
        await withModel(adapter, async (model, keepTrainer) => {
          const trainer = keepTrainer(await settle(adapter.prepare(model)));
          const losses = [];
          for (let k = 0; k < job.trainStepsCheck; ++k)
            losses.push(await settle(adapter.trainBatch(model, trainer, data.rowsX(0, batch), data.rowsY(0, batch), batch)));
          records.push(Object.assign(header(job, adapter, 'loss_curve'),
                                     {batch_size: batch, steps: losses.length, losses}, adapter.trainNotes || {},
                                     {capabilities: adapter.capabilities}));
        });
      }
    } catch (e) {
      const message = e && e.message ? e.message : String(e);
      if (/^unsupported by /.test(message)) throw e;
      const error = new Error(`${job.backend}, ${phase}: ${message}`);
      error.cause = e;
      throw error;
    }
    const memoryAfter = adapter.memory();
    if (memoryPeak) {
      const record = measurement(job, adapter, 'js_memory', 'bytes', [memoryPeak.bytes], 0);
      record.memory_measure = memoryPeak.measure;
      if (memoryBefore && memoryAfter && memoryBefore.tensors !== undefined) {
        record.tensors_before = memoryBefore.tensors;
        record.tensors_after = memoryAfter.tensors;
        record.leaked_tensors = memoryAfter.tensors - memoryBefore.tensors;
        record.bytes_before = memoryBefore.bytes;
        record.bytes_after = memoryAfter.bytes;
      }
      if (memoryPeak.gpuBytes !== undefined) record.gpu_bytes = memoryPeak.gpuBytes;
      records.push(record);
    }
    return records;
  }

  parts.protocol = {runProtocol, timed, SCHEMA};
  if (typeof module !== 'undefined' && module.exports) module.exports = parts.protocol;
})(typeof window !== 'undefined' ? window : globalThis);
