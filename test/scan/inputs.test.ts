/** Reading path lists for --files-from. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listedPaths } from '../../src/scan/inputs.js';

async function collect(chunks: (string | Buffer)[]): Promise<string[]> {
  const out: string[] = [];
  for await (const paths of listedPaths(Readable.from(chunks))) out.push(...paths);
  return out;
}

/** The arrays as yielded: one per chunk read that completes a path. */
async function batches(chunks: (string | Buffer)[]): Promise<string[][]> {
  const out: string[][] = [];
  for await (const paths of listedPaths(Readable.from(chunks))) out.push(paths);
  return out;
}

describe('listedPaths', () => {
  it('splits lines, drops CR and empty lines, keeps the last unterminated line', async () => {
    expect(await collect(['/a\r\n', '\n/b c\n/d'])).toEqual(['/a', '/b c', '/d']);
  });

  it('joins a path split across chunks, including a UTF-8 character split between bytes', async () => {
    const bytes = Buffer.from('/usr/bin/héllo\n/x\n');
    const cut = bytes.indexOf(0xa9); // second byte of é
    expect(await collect([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(['/usr/bin/héllo', '/x']);
  });

  it('uses NUL as the separator when the list has one, so names may hold newlines', async () => {
    expect(await collect(['/a\nb\0/c\0', '\0/d'])).toEqual(['/a\nb', '/c', '/d']);
  });

  it('yields the complete paths of each chunk together, as soon as the chunk is read', async () => {
    expect(await batches(['/a\n/b', 'c\n/d\n', '/e'])).toEqual([['/a'], ['/bc', '/d'], ['/e']]);
    expect(await batches(['/a', 'b', '\n'])).toEqual([['/ab']]);
  });

  it('yields nothing for an empty list', async () => {
    expect(await collect([])).toEqual([]);
    expect(await collect(['\n\n'])).toEqual([]);
  });
});
