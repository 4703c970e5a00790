#!/usr/bin/env node
// Runs every model that write_onnx_fixtures wrote in onnxruntime-node (an ONNX runtime independent of
// Netdraft and LibTorch) and compares its outputs with Netdraft's own forward pass:
// max |onnxruntime - LibTorch| <= tolerance * max(1, max |LibTorch|), for the whole batch and, unless
// samples depend on each other (batch statistics, time-first recurrences), for its first sample alone
// (the batch dimension is dynamic). Exits 1 on any difference or missing case.
//
//   node run_onnx.js FIXTURE_DIR

'use strict';

const fs = require('fs');
const path = require('path');

let ort;
try {
  ort = require('onnxruntime-node');
} catch (error) {
  console.error('FAIL: onnxruntime-node does not load (scripts/setup.sh installs it into tests/onnx/node_modules): ' +
                error.message);
  process.exit(1);
}

function readTensor(file, dtype) {
  const bytes = fs.readFileSync(file);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return dtype === 'int64' ? new BigInt64Array(buffer) : new Float32Array(buffer);
}

function sampleCount(dims) {
  return dims.slice(1).reduce((product, size) => product * size, 1);
}

/// Largest |actual - expected| and the scale it is compared against.
function compare(actual, expected) {
  let difference = 0;
  let scale = 1;
  for (let i = 0; i < expected.length; ++i) {
    difference = Math.max(difference, Math.abs(actual[i] - expected[i]));
    scale = Math.max(scale, Math.abs(expected[i]));
  }
  if (actual.length !== expected.length || expected.some(Number.isNaN) || actual.some(Number.isNaN))
    difference = Infinity;
  return {difference, scale};
}

async function runCase(folder, item) {
  const session = await ort.InferenceSession.create(path.join(folder, item.model));
  const problems = [];
  if (JSON.stringify(session.inputNames) !== '["input"]' || JSON.stringify(session.outputNames) !== '["output"]')
    problems.push(`names ${session.inputNames} -> ${session.outputNames}, expected input -> output`);
  const data = readTensor(path.join(folder, item.input.file), item.input.dtype);
  const expected = readTensor(path.join(folder, item.output.file), 'float32');
  const dims = item.input.dims;
  const results = [];
  // The whole batch, then its first sample alone.
  for (const batch of item.batch_independent ? [dims[0], 1] : [dims[0]]) {
    const input = data.slice(0, batch * sampleCount(dims));
    const feeds = {input: new ort.Tensor(item.input.dtype, input, [batch, ...dims.slice(1)])};
    const output = (await session.run(feeds)).output;
    const expectedDims = batch === dims[0] ? item.output.dims : [batch, ...item.output.dims.slice(1)];
    if (JSON.stringify(output.dims) !== JSON.stringify(expectedDims))
      problems.push(`batch ${batch}: output dims ${output.dims}, expected ${expectedDims}`);
    results.push(compare(output.data, batch === dims[0] ? expected : expected.slice(0, sampleCount(item.output.dims))));
  }
  const worst = results.reduce((a, b) => (a.difference / a.scale >= b.difference / b.scale ? a : b));
  if (!(worst.difference <= item.tolerance * worst.scale))
    problems.push(`differs by ${worst.difference} (allowed ${item.tolerance} x ${worst.scale})`);
  return {worst, problems};
}

async function main() {
  if (process.argv.length !== 3) {
    console.error('usage: node run_onnx.js FIXTURE_DIR');
    process.exit(2);
  }
  const folder = process.argv[2];
  const cases = JSON.parse(fs.readFileSync(path.join(folder, 'cases.json'), 'utf8'));
  if (cases.length === 0) {
    console.error('FAIL: no cases in ' + folder);
    process.exit(1);
  }
  let failures = 0;
  let largest = 0;
  for (const item of cases) {
    let line;
    try {
      const {worst, problems} = await runCase(folder, item);
      largest = Math.max(largest, worst.difference / worst.scale);
      line = `${problems.length ? 'FAIL' : 'PASS'} ${item.name}: max difference ${worst.difference.toExponential(2)}` +
             (problems.length ? ': ' + problems.join('; ') : '');
      failures += problems.length ? 1 : 0;
    } catch (error) {
      line = `FAIL ${item.name}: ${error.message}`;
      ++failures;
    }
    console.log(line);
  }
  console.log(`${cases.length - failures} of ${cases.length} models match LibTorch in onnxruntime ${ort.env.versions.node}` +
              ` (largest relative difference ${largest.toExponential(2)})`);
  process.exit(failures ? 1 : 0);
}

main();
