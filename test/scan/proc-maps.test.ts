/** /proc/PID/maps lines as the kernel writes them (format from proc(5)), decoded. */
import { describe, expect, it } from 'vitest';
import { parseProcMaps } from '../../src/scan/proc-maps.js';

const MAPS = [
  '55d0c8a00000-55d0c8a02000 r--p 00000000 08:01 1311 /usr/bin/sleep',
  '55d0c8a02000-55d0c8a06000 r-xp 00002000 08:01 1311 /usr/bin/sleep',
  '55d0c9f3c000-55d0c9f5d000 rw-p 00000000 00:00 0                          [heap]',
  '7f1e2c000000-7f1e2c021000 rw-p 00000000 00:00 0 ',
  '7f1e2d200000-7f1e2d228000 r--p 00000000 08:01 2049 /usr/lib/x86_64-linux-gnu/libc.so.6',
  '7f1e2d228000-7f1e2d3bd000 r-xp 00028000 08:01 2049 /usr/lib/x86_64-linux-gnu/libc.so.6',
  '7f1e2d400000-7f1e2d401000 r-xp 00000000 08:01 4242 /opt/app/lib/libold.so (deleted)',
  '7f1e2d401000-7f1e2d402000 r--p 00001000 08:01 4242 /opt/app/lib/libold.so (deleted)',
  '7f1e2d500000-7f1e2d501000 r--p 00000000 08:01 77 /opt/my app/data file.bin',
  '7f1e2d600000-7f1e2d601000 rw-s 00000000 00:01 5 /dev/zero (deleted)',
  '7ffd5a1f3000-7ffd5a214000 rw-p 00000000 00:00 0                          [stack]',
  'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]',
  'garbage line',
  '',
].join('\n');

describe('parseProcMaps', () => {
  it('lists each mapped file once, in order of first mapping, with the range of its first mapping', () => {
    expect(parseProcMaps(MAPS)).toEqual([
      { path: '/usr/bin/sleep', deleted: false, range: '55d0c8a00000-55d0c8a02000', inode: 1311 },
      { path: '/usr/lib/x86_64-linux-gnu/libc.so.6', deleted: false, range: '7f1e2d200000-7f1e2d228000', inode: 2049 },
      { path: '/opt/app/lib/libold.so', deleted: true, range: '7f1e2d400000-7f1e2d401000', inode: 4242 },
      { path: '/opt/my app/data file.bin', deleted: false, range: '7f1e2d500000-7f1e2d501000', inode: 77 },
      { path: '/dev/zero', deleted: true, range: '7f1e2d600000-7f1e2d601000', inode: 5 },
    ]);
  });

  it('leaves out anonymous memory and kernel areas', () => {
    expect(parseProcMaps('7f1e2c000000-7f1e2c021000 rw-p 00000000 00:00 0 \n7ffd5a1f3000-7ffd5a214000 rw-p 00000000 00:00 0 [stack]\n')).toEqual([]);
  });
});
