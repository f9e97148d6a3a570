/**
 * harden.config.json: its schema (published copy identical to the one the code validates
 * with), parsing, the messages of a bad file, and the upward search.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../../src/policy/check-ids.js';
import { ConfigError, parseConfig } from '../../src/policy/config.js';
import { findConfig, loadConfig } from '../../src/policy/config-file.js';
import { CONFIG_SCHEMA } from '../../src/policy/config-schema.js';
import { REPO } from '../helpers/gcc.js';

function problem(text: string): string {
  try {
    parseConfig(text, 'harden.config.json');
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('accepted');
}

describe('the config schema', () => {
  it('is published unchanged in docs/schema/config-v1.json', () => {
    expect(JSON.parse(readFileSync(join(REPO, 'docs', 'schema', 'config-v1.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(CONFIG_SCHEMA)));
  });

  it('knows every check id', () => {
    expect(CONFIG_SCHEMA.properties.require.items.enum).toEqual(CHECK_IDS);
  });
});

describe('parseConfig', () => {
  it('reads a full config; one glob or a list', () => {
    const c = parseConfig(
      JSON.stringify({
        $schema: '../docs/schema/config-v1.json',
        profile: 'kurento',
        require: ['nx'],
        ignore: ['fortify'],
        unknownIs: 'fail',
        waivers: [
          { path: 'build/legacy', checks: ['pie'], reason: 'fixed-address loader' },
          { path: ['a', 'b/**'], checks: ['*'], reason: 'vendored' },
        ],
      }),
      'x',
    );
    expect(c).toEqual({
      profile: 'kurento',
      require: ['nx'],
      ignore: ['fortify'],
      unknownIs: 'fail',
      waivers: [
        { paths: ['build/legacy'], checks: ['pie'], reason: 'fixed-address loader' },
        { paths: ['a', 'b/**'], checks: ['*'], reason: 'vendored' },
      ],
    });
  });

  it('gives defaults for an empty object', () => {
    expect(parseConfig('{}', 'x')).toEqual({ require: [], ignore: [], waivers: [] });
  });

  it('says what is wrong, where, in the file named', () => {
    expect(problem('{"profile": "debian",}')).toMatch(/^harden\.config\.json: not valid JSON: /);
    expect(problem('{"profil": "debian"}')).toBe('harden.config.json: invalid configuration:\n  the top level: unknown property "profil"');
    expect(problem('{"profile": "fedora"}')).toBe('harden.config.json: invalid configuration:\n  profile: must be one of "debian", "kurento", "openssf", "none"');
    expect(problem('{"require": ["pie", "canary"]}')).toMatch(/^harden\.config\.json: invalid configuration:\n {2}require\/1: must be one of "pie", "relro", /);
    expect(problem('{"waivers": [{"path": "x", "checks": ["pie"]}]}')).toBe("harden.config.json: invalid configuration:\n  waivers/0: must have required property 'reason'");
    expect(problem('{"waivers": [{"path": "x", "checks": [], "reason": "r"}]}')).toBe('harden.config.json: invalid configuration:\n  waivers/0/checks: must NOT have fewer than 1 items');
    expect(problem('{"unknownIs": "ignore"}')).toBe('harden.config.json: invalid configuration:\n  unknownIs: must be one of "warn", "fail"');
    expect(problem('[]')).toBe('harden.config.json: invalid configuration:\n  the top level: must be object');
  });
});

describe('finding the config file', () => {
  it('takes the nearest harden.config.json at or above the directory', async () => {
    const root = mkdtempSync(join(tmpdir(), 'harden-config-'));
    const deep = join(root, 'a', 'b', 'c');
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(root, 'harden.config.json'), '{"profile": "openssf"}');
    expect(findConfig(deep)).toBe(join(root, 'harden.config.json'));
    writeFileSync(join(root, 'a', 'harden.config.json'), '{"profile": "none"}');
    expect(findConfig(deep)).toBe(join(root, 'a', 'harden.config.json'));
    const loaded = await loadConfig(join(root, 'a', 'harden.config.json'));
    expect([loaded.dir, loaded.config.profile]).toEqual([join(root, 'a'), 'none']);
  });

  it('reports a missing file named with --config', async () => {
    await expect(loadConfig('/nonexistent/harden.config.json')).rejects.toThrow(new ConfigError('/nonexistent/harden.config.json', 'no such file'));
  });
});
