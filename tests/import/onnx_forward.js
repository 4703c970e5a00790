#!/usr/bin/env node
// Runs one ONNX model in onnxruntime-node (the runtime tests/onnx uses, from tests/onnx/node_modules)
// on a float32 input and writes its first output, for test_onnx_import.py.
//
//   node onnx_forward.js MODEL.onnx INPUT.bin 2,3,64,64 OUTPUT.bin
// Prints the output's dims as JSON. Exits 1 with a message when the runtime is missing or fails.

'use strict';

const fs = require('fs');
const path = require('path');

async function main() {
  const [model, inputFile, dimsText, outputFile] = process.argv.slice(2);
  let ort;
  try {
    ort = require(path.join(__dirname, '..', 'onnx', 'node_modules', 'onnxruntime-node'));
  } catch (error) {
    throw new Error('onnxruntime-node does not load (scripts/setup.sh installs it into tests/onnx/node_modules): ' +
                    error.message);
  }
  const dims = dimsText.split(',').map(Number);
  const bytes = fs.readFileSync(inputFile);
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const session = await ort.InferenceSession.create(model);
  const feeds = {[session.inputNames[0]]: new ort.Tensor('float32', data, dims)};
  const output = (await session.run(feeds))[session.outputNames[0]];
  fs.writeFileSync(outputFile, Buffer.from(output.data.buffer, output.data.byteOffset, output.data.byteLength));
  console.log(JSON.stringify(output.dims));
}

main().catch((error) => {
  console.error('FAIL: ' + error.message);
  process.exit(1);
});
