// Writes model.json + model.weights.bin exactly as TF.js 4.22's
// model.save('downloads://model') does in a browser (BrowserDownloads.save),
// for a small MLP with exactly representable weights that the tests check.
// Run: npm install @tensorflow/tfjs@4.22.0 somewhere, then
//   NODE_PATH=<that dir>/node_modules node make_fixture.js
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');

// Weight value k of an array, as the test recomputes it: (k - offset) / scale.
function values(count, offset, scale) {
  return Array.from({length: count}, (_, k) => (k - offset) / scale);
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
  const model = tf.sequential();
  model.add(tf.layers.dense({inputShape: [4], units: 5, activation: 'relu'}));
  model.add(tf.layers.dropout({rate: 0.25}));
  model.add(tf.layers.dense({units: 3, activation: 'softmax'}));
  model.setWeights([
    tf.tensor(values(20, 10, 16), [4, 5]), tf.tensor(values(5, 0, 8), [5]),
    tf.tensor(values(15, 7, 32), [5, 3]), tf.tensor(values(3, 3, 4), [3]),
  ]);
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weightBuffer = tf.io.CompositeArrayBuffer.join(artifacts.weightData);
    const manifest = [{paths: ['./model.weights.bin'], weights: artifacts.weightSpecs}];
    const modelJSON = modelJsonFor(artifacts, manifest);
    fs.writeFileSync(path.join(__dirname, 'model.json'), JSON.stringify(modelJSON));
    fs.writeFileSync(path.join(__dirname, 'model.weights.bin'), Buffer.from(weightBuffer));
    return {modelArtifactsInfo: {dateSaved: new Date(), modelTopologyType: 'JSON'}};
  }));
  // What TF.js itself predicts, for the record (the tests check weights only).
  console.log(JSON.stringify(await model.predict(tf.tensor([[1, -2, 0.5, 3]])).array()));
})();
