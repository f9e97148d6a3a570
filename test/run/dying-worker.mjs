// A stand-in for src/run/worker.ts that speaks its protocol ({id, input, claims?, slot?} in,
// {id, output, ms} or {id, skipped} out) and misbehaves on cue: input "die" ends the thread,
// "throw" answers with an error, a number is answered with its square after a short busy wait
// (so jobs queue up behind it), "who" with the worker's thread id, "sleep:N" with the thread
// id after blocking the thread N ms (so the jobs behind it can be taken back).
import { parentPort, threadId } from 'node:worker_threads';

/** Claim slot states, as src/run/claims.ts numbers them. */
const QUEUED = 1;
const STARTED = 2;

parentPort.on('message', ({ id, input, claims, slot }) => {
  if (claims !== undefined && Atomics.compareExchange(claims, slot, QUEUED, STARTED) !== QUEUED) {
    parentPort.postMessage({ id, skipped: true });
    return;
  }
  if (input === 'die') process.exit(7);
  if (typeof input === 'string' && input.startsWith('sleep:')) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(input.slice(6)));
    parentPort.postMessage({ id, output: threadId, ms: 2 });
    return;
  }
  if (input === 'who') {
    const until = Date.now() + 2;
    while (Date.now() < until);
    parentPort.postMessage({ id, output: threadId, ms: 2 });
    return;
  }
  if (input === 'throw') {
    parentPort.postMessage({ id, error: 'Error: asked to throw' });
    return;
  }
  const until = Date.now() + 2;
  while (Date.now() < until);
  parentPort.postMessage({ id, output: input * input, ms: 2 });
});
