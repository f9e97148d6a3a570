/**
 * The generic SARIF 2.1.0 writer (src/report/sarif.ts), which `harden audit` uses and
 * `harden scan` will.
 */
import { describe, expect, it } from 'vitest';
import { formatSarif, SARIF_SCHEMA, toSarif, type SarifRule } from '../../src/report/sarif.js';

const RULES: SarifRule[] = [
  { id: 'R1', name: 'RuleOne', shortDescription: 'first', fullDescription: 'the first rule', helpText: 'do this', defaultLevel: 'error' },
  { id: 'R2', name: 'RuleTwo', shortDescription: 'second', helpText: 'do that', helpUri: 'https://example.org/r2', defaultLevel: 'warning' },
];
const TOOL = { name: 'harden', version: '1.2.3', informationUri: 'https://example.org' };

describe('SARIF writer', () => {
  it('writes the driver, its rules and results with indexes and default levels', () => {
    const log = toSarif(TOOL, RULES, [
      { ruleId: 'R2', message: 'two', uri: '/abs/dir/file with space.c', region: { startLine: 3 } },
      { ruleId: 'R1', level: 'note', message: 'one', uri: 'rel/x.o', logicalLocation: { name: 'main', kind: 'function' } },
    ]);
    expect(log.$schema).toBe(SARIF_SCHEMA);
    expect(log.version).toBe('2.1.0');
    const run = log.runs[0];
    expect(run?.tool.driver).toEqual({
      name: 'harden',
      version: '1.2.3',
      informationUri: 'https://example.org',
      rules: [
        {
          id: 'R1',
          name: 'RuleOne',
          shortDescription: { text: 'first' },
          fullDescription: { text: 'the first rule' },
          help: { text: 'do this' },
          defaultConfiguration: { level: 'error' },
        },
        {
          id: 'R2',
          name: 'RuleTwo',
          shortDescription: { text: 'second' },
          help: { text: 'do that' },
          helpUri: 'https://example.org/r2',
          defaultConfiguration: { level: 'warning' },
        },
      ],
    });
    expect(run?.results).toEqual([
      {
        ruleId: 'R2',
        ruleIndex: 1,
        level: 'warning',
        message: { text: 'two' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'file:///abs/dir/file%20with%20space.c' }, region: { startLine: 3 } } }],
      },
      {
        ruleId: 'R1',
        ruleIndex: 0,
        level: 'note',
        message: { text: 'one' },
        locations: [{ physicalLocation: { artifactLocation: { uri: 'rel/x.o' } }, logicalLocations: [{ name: 'main', kind: 'function' }] }],
      },
    ]);
    expect(run?.originalUriBaseIds).toBeUndefined();
  });

  it('makes paths under the base directory relative to %SRCROOT%', () => {
    const log = toSarif(TOOL, RULES, [{ ruleId: 'R1', message: 'm', uri: '/proj/src/a.c' }, { ruleId: 'R1', message: 'm', uri: '/elsewhere/b.c' }], {
      baseUri: '/proj',
    });
    const run = log.runs[0];
    expect(run?.originalUriBaseIds).toEqual({ SRCROOT: { uri: 'file:///proj/' } });
    expect(run?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation)).toEqual([
      { uri: 'src/a.c', uriBaseId: 'SRCROOT' },
      { uri: 'file:///elsewhere/b.c' },
    ]);
  });

  it('refuses a result whose rule is not declared', () => {
    expect(() => toSarif(TOOL, RULES, [{ ruleId: 'R9', message: 'm', uri: 'x' }])).toThrow("SARIF result names unknown rule 'R9'");
  });

  it('formats as indented JSON ending with a newline', () => {
    const text = formatSarif(TOOL, RULES, []);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual(toSarif(TOOL, RULES, []));
  });
});
