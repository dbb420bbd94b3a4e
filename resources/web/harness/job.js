// A job as the Qt bridge sends it (one JSON string), checked and decoded once,
// before anything is timed: the model spec, the TF.js model.json with its
// weight bytes, the data rows as float32 arrays, and the protocol with the
// defaults of docs/measurement-schema.md for every count left out.
// Data rows are flat float32 (an image [H, W, C] row in channels-last order,
// a text window [T, V] step by step, or [T] ids where embedding layers read
// the model input); targets per row are one value per model output, or one
// class index per prediction for sparse_categorical_crossentropy (T of them
// for per-step outputs [T, classes]). Runners reshape rows only when making
// tensors.
(function (root) {
  'use strict';
  const parts = root.gapscopeParts || (root.gapscopeParts = {});

  const PROTOCOL_DEFAULTS = {
    batch_size: 64, load_warmup: 2, load_runs: 15, warmup_runs: 10, infer_warmup: 20, infer_runs: 200,
    train_warmup: 5, train_runs: 30, phases: ['load', 'warmup', 'infer', 'train'],
  };
  const TIMED_PHASES = ['load', 'warmup', 'infer', 'train'];
  // Phases of the schema the browser does not measure: the caller measures
  // file sizes itself, and process CPU time is not visible to a page. A
  // protocol shared with native runs may list them; they produce no record here.
  const CALLER_PHASES = ['file_size', 'cpu_utilisation', 'memory'];

  function fail(message) {
    throw new Error(`job: ${message}`);
  }

  function count(value, name, min) {
    if (!Number.isInteger(value) || value < min) fail(`${name} must be an integer >= ${min}, got ${JSON.stringify(value)}`);
    return value;
  }

  function readProtocol(raw) {
    if (raw === undefined) raw = {};
    if (raw === null || typeof raw !== 'object') fail('protocol must be an object');
    const protocol = Object.assign({}, PROTOCOL_DEFAULTS);
    for (const [key, value] of Object.entries(raw)) {
      if (!(key in PROTOCOL_DEFAULTS)) fail(`protocol.${key} is not a protocol field; known: ${Object.keys(PROTOCOL_DEFAULTS).join(', ')}`);
      protocol[key] = value;
    }
    count(protocol.batch_size, 'protocol.batch_size', 1);
    for (const key of ['load_warmup', 'load_runs', 'warmup_runs', 'infer_warmup', 'infer_runs', 'train_warmup', 'train_runs'])
      count(protocol[key], `protocol.${key}`, 0);
    if (!Array.isArray(protocol.phases)) fail('protocol.phases must be an array of phase names');
    for (const phase of protocol.phases)
      if (!TIMED_PHASES.includes(phase) && !CALLER_PHASES.includes(phase))
        fail(`protocol.phases: unknown phase '${phase}'; known: ${TIMED_PHASES.concat(CALLER_PHASES).join(', ')}`);
    return protocol;
  }

  // The job as given: a JSON string (parsed) or an object already.
  function jobObject(jobJson) {
    if (typeof jobJson !== 'string') return jobJson;
    try {
      return JSON.parse(jobJson);
    } catch (e) {
      fail(`not valid JSON: ${e.message}`);
    }
  }

  // A job whose weights and rows are files on the harness's server
  // (weights_url, data.x_url, data.y_url, as a page fetches a model's files):
  // fetched, then parsed as parseJob does.
  async function fetchJob(jobJson) {
    const job = jobObject(jobJson);
    const get = async (url, name) => {
      if (typeof url !== 'string' || !url.startsWith('/')) fail(`${name} must be a path on this page's server, got ${JSON.stringify(url)}`);
      const response = await fetch(url);
      if (!response.ok) fail(`${name} ${url}: HTTP ${response.status}`);
      return response.arrayBuffer();
    };
    if (job && typeof job === 'object') {
      if (job.weights_url !== undefined) job.weights_buffer = await get(job.weights_url, 'weights_url');
      const data = job.data;
      if (data && typeof data === 'object') {
        if (data.x_url !== undefined) data.x_buffer = await get(data.x_url, 'data.x_url');
        if (data.y_url !== undefined) data.y_buffer = await get(data.y_url, 'data.y_url');
      }
    }
    return parseJob(job);
  }

  function parseJob(jobJson) {
    const job = jobObject(jobJson);
    if (job === null || typeof job !== 'object' || Array.isArray(job)) fail('must be a JSON object');
    if (typeof job.run_id !== 'string' || job.run_id === '') fail('run_id must be a non-empty string');
    const backends = parts.runnerMap.backends;
    if (!backends.includes(job.backend)) fail(`backend must be one of ${backends.join(', ')}, got ${JSON.stringify(job.backend)}`);
    const model = parts.modelSpec.readModelSpec(job.spec);
    if (!job.model_json || typeof job.model_json !== 'object') fail('model_json must be the TF.js model.json object');
    const weightBuffer = job.weights_buffer instanceof ArrayBuffer
        ? job.weights_buffer : parts.bytes.base64ToArrayBuffer(job.weights_base64, 'weights_base64');
    const weights = parts.weights.readWeights(job.model_json, weightBuffer);
    const protocol = readProtocol(job.protocol);

    const data = job.data;
    if (!data || typeof data !== 'object') fail('data must be {x_base64, y_base64, rows}');
    const rows = count(data.rows, 'data.rows', 1);
    const floats = (buffer, base64, name) => {
      if (!(buffer instanceof ArrayBuffer)) return parts.bytes.float32sFromBase64(base64, name);
      if (buffer.byteLength % 4 !== 0) fail(`${name} holds ${buffer.byteLength} bytes, not whole float32 values`);
      return new Float32Array(buffer);
    };
    const x = floats(data.x_buffer, data.x_base64, 'data.x_base64');
    const y = floats(data.y_buffer, data.y_base64, 'data.y_base64');
    if (x.length !== rows * model.inputSize)
      fail(`data.x_base64 holds ${x.length} values, expected rows x input size = ${rows} x ${model.inputSize} = ${rows * model.inputSize}`);
    if (y.length % rows !== 0 || y.length === 0)
      fail(`data.y_base64 holds ${y.length} values, not a whole number of targets for ${rows} rows`);
    const targetSize = y.length / rows;
    const layout = parts.modelSpec.targetLayout(model);
    if (targetSize !== layout.targetSize)
      fail(`data.y_base64 holds ${targetSize} values per row; the model's output [${model.outputShape}] with ${model.loss} ` +
           `needs ${layout.targetSize} (${model.loss === 'sparse_categorical_crossentropy'
               ? 'one class index per prediction' : 'one value per output'})`);
    // Embedding layers that read the model input (layers[0] in a chain; in a
    // graph, wherever they are listed) take the row's values as ids.
    for (const reader of parts.modelSpec.inputReaders(model)) {
      if (reader.type !== 'embedding') continue;
      for (let i = 0; i < x.length; ++i)
        if (!Number.isInteger(x[i]) || x[i] < 0 || x[i] >= reader.inputDim)
          fail(`data.x_base64 row ${Math.floor(i / model.inputSize)} position ${i % model.inputSize}: ${x[i]} is not an id ` +
               `in [0, ${reader.inputDim}) (embedding layer '${reader.name}' reads integer ids)`);
    }

    const trains = protocol.phases.includes('train') || job.train_steps_check !== undefined;
    if (trains && rows < protocol.batch_size)
      fail(`data has ${rows} rows, fewer than protocol.batch_size ${protocol.batch_size} (training needs a whole batch)`);
    if (job.predict_rows !== undefined) {
      count(job.predict_rows, 'predict_rows', 1);
      if (job.predict_rows > rows) fail(`predict_rows ${job.predict_rows} is more than data.rows ${rows}`);
    }
    if (job.train_steps_check !== undefined) count(job.train_steps_check, 'train_steps_check', 1);
    const config = job.config === undefined ? {} : job.config;
    if (config === null || typeof config !== 'object' || Array.isArray(config)) fail('config must be an object');

    return {
      runId: job.run_id, backend: job.backend, model, modelJson: job.model_json, weightBuffer, weights,
      protocol, config, predictRows: job.predict_rows, trainStepsCheck: job.train_steps_check,
      data: {
        x, y, rows, inputSize: model.inputSize, targetSize,
        row: (i) => x.subarray(i * model.inputSize, (i + 1) * model.inputSize),
        rowsX: (first, n) => x.subarray(first * model.inputSize, (first + n) * model.inputSize),
        rowsY: (first, n) => y.subarray(first * targetSize, (first + n) * targetSize),
        // Training step i's batch of `size` rows: the whole batches in turn.
        batch(i, size) {
          const first = (i % Math.floor(rows / size)) * size;
          return {x: this.rowsX(first, size), y: this.rowsY(first, size)};
        },
      },
    };
  }

  parts.job = {parseJob, fetchJob, PROTOCOL_DEFAULTS, TIMED_PHASES};
  if (typeof module !== 'undefined' && module.exports) module.exports = parts.job;
})(typeof window !== 'undefined' ? window : globalThis);
