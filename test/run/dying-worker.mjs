// A stand-in for src/run/worker.ts that speaks its protocol ({id, input} in, {id, output, ms}
// out) and misbehaves on cue: input "die" ends the thread, "throw" answers with an error, a
// number is answered with its square after a short busy wait (so jobs queue up behind it),
// "who" with the worker's thread id.
import { parentPort, threadId } from 'node:worker_threads';

parentPort.on('message', ({ id, input }) => {
  if (input === 'die') process.exit(7);
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
