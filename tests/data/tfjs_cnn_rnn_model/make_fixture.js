// Writes model.json + model.weights.bin exactly as TF.js 4.22's model.save()
// writes them, for a tiny model with every layer type gapscope added for CNNs
// and RNNs (embedding, reshape, conv2d, batch norm, both poolings, flatten,
// SimpleRNN, LSTM, GRU), exactly representable weights the tests check, and
// TF.js's own prediction for one input (predictions.json).
// Run from resources/web (where @tensorflow/tfjs@4.22.0 is installed):
//   NODE_PATH=node_modules node ../../tests/data/tfjs_cnn_rnn_model/make_fixture.js
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

// Value k of weight i (its position in model.weights, which is the manifest's
// order), as the test recomputes it: ((7k + 3i) % 13 - 6) / 8.
function values(n, i) {
  return Array.from({length: n}, (_, k) => (((7 * k + 3 * i) % 13) - 6) / 8);
}

// tfjs-core io_utils getModelJSONForModelArtifacts (not exported), as 4.22 has it.
function modelJsonFor(artifacts, manifest) {
  const result = {
    modelTopology: artifacts.modelTopology,
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
    weightsManifest: manifest,
  };
  if (artifacts.trainingConfig != null) result.trainingConfig = artifacts.trainingConfig;
  return result;
}

(async () => {
  await tf.setBackend('cpu');
  const model = tf.sequential({name: 'cnn_rnn'});
  model.add(tf.layers.embedding({inputShape: [12], inputDim: 10, outputDim: 4, name: 'embedding_1'}));
  model.add(tf.layers.reshape({targetShape: [6, 8, 1], name: 'reshape_1'}));
  model.add(tf.layers.conv2d({filters: 3, kernelSize: [3, 2], strides: [1, 2], activation: 'relu', useBias: false,
                              name: 'conv2d_1'}));
  model.add(tf.layers.batchNormalization({momentum: 0.9, epsilon: 0.01, name: 'batch_normalization_1'}));
  model.add(tf.layers.maxPooling2d({poolSize: 2, name: 'max_pooling2d_1'}));
  model.add(tf.layers.averagePooling2d({poolSize: [1, 2], strides: 1, padding: 'same', name: 'average_pooling2d_1'}));
  model.add(tf.layers.flatten({name: 'flatten_1'}));
  model.add(tf.layers.reshape({targetShape: [3, 4], name: 'reshape_2'}));
  model.add(tf.layers.simpleRNN({units: 5, returnSequences: true, name: 'simple_rnn_1'}));
  model.add(tf.layers.lstm({units: 4, returnSequences: true, unitForgetBias: true, name: 'lstm_1'}));
  model.add(tf.layers.gru({units: 3, recurrentActivation: 'sigmoid', name: 'gru_1'}));
  model.add(tf.layers.dense({units: 2, activation: 'softmax', name: 'dense_1'}));

  // Moving variances must be positive: 0.5 + |value|.
  model.setWeights(model.weights.map((w, i) => {
    const v = values(w.shape.reduce((a, b) => a * b, 1), i);
    const fixed = w.name.endsWith('moving_variance') ? v.map((x) => 0.5 + Math.abs(x)) : v;
    return tf.tensor(fixed, w.shape);
  }));
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weightBuffer = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const manifest = [{paths: ['./model.weights.bin'], weights: artifacts.weightSpecs}];
    fs.writeFileSync(path.join(__dirname, 'model.json'), JSON.stringify(modelJsonFor(artifacts, manifest)));
    fs.writeFileSync(path.join(__dirname, 'model.weights.bin'), Buffer.from(weightBuffer));
    return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
  }));
  const input = [[1, 0, 9, 3, 3, 7, 2, 8, 5, 4, 6, 1]];
  const prediction = await model.predict(tf.tensor(input)).array();
  fs.writeFileSync(path.join(__dirname, 'predictions.json'),
                   JSON.stringify({input, prediction, backend: tf.getBackend(), version: tf.version.tfjs}) + '\n');
  console.log(JSON.stringify(prediction));
})();
