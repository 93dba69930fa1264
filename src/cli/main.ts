#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { run } from './run.js';

// undici parses HTTP with llhttp compiled to WebAssembly. Under V8's default budget its parser
// is recompiled by the optimizing compiler after the first few responses: about 0.2 s of CPU on
// a background thread, which the process then waits for before it can exit. That is more than
// a small plan's requests cost. A budget 30 times larger keeps the baseline code for runs of a
// few dozen calls; a run of hundreds still gets the optimized parser, early enough to pay (100
// times larger left 1,000 creates 5% dearer). Set before the first connection, which is when
// undici compiles the module.
setFlagsFromString('--wasm-tiering-budget=54000000');

const controller = new AbortController();
let interrupts = 0;
const onSignal = (signal: NodeJS.Signals): void => {
  interrupts += 1;
  // The first signal asks commands to wind down (finish in-flight work, write summaries);
  // a second one means "now".
  if (interrupts > 1) process.exit(130);
  controller.abort(new Error(`interrupted by ${signal}`));
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// `helcim-sync export | head`: the reader has what it wanted. Writes to the closed pipe are
// dropped, as a shell pipeline expects, instead of an unhandled EPIPE stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
  signal: controller.signal,
});
