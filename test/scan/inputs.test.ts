/** Reading path lists for --files-from. */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listedPaths } from '../../src/scan/inputs.js';

async function collect(chunks: (string | Buffer)[]): Promise<string[]> {
  const out: string[] = [];
  for await (const p of listedPaths(Readable.from(chunks))) out.push(p);
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

  it('yields nothing for an empty list', async () => {
    expect(await collect([])).toEqual([]);
    expect(await collect(['\n\n'])).toEqual([]);
  });
});
