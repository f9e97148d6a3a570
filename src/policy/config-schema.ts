/**
 * The JSON Schema of `harden.config.json`, version 1. This object is the source; the published
 * copy is docs/schema/config-v1.json, and a test keeps the two identical.
 */
import { CHECK_IDS } from './check-ids.js';
import { PROFILES } from './profiles.js';

const checkId = { enum: [...CHECK_IDS] };

export const CONFIG_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:hardening-check:schema:config-v1',
  title: 'harden.config.json',
  description: 'What `harden scan` requires of the files it scans, and the waivers that excuse some files from some checks.',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string', description: 'Where editors find this schema.' },
    profile: {
      enum: Object.keys(PROFILES),
      description: 'The profile whose checks must pass (default: debian). `--profile` overrides it.',
    },
    require: {
      type: 'array',
      items: checkId,
      uniqueItems: true,
      description: 'Checks that must pass in addition to those of the profile.',
    },
    ignore: {
      type: 'array',
      items: checkId,
      uniqueItems: true,
      description: 'Checks of the profile that are not required after all.',
    },
    unknownIs: {
      enum: ['warn', 'fail'],
      description: 'What a required check whose status is `unknown` counts as (default: warn, which reports it and does not fail).',
    },
    waivers: {
      type: 'array',
      description: 'Exceptions: files matching `path` are excused from `checks`, and reports show the reason.',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['path', 'checks', 'reason'],
        properties: {
          path: {
            description: 'A glob (or a list of globs), relative to the directory of this file; a glob without `/` matches a file name anywhere. `ARCHIVE!MEMBER` names a member; a glob matching an archive or package covers its members.',
            oneOf: [
              { type: 'string', minLength: 1 },
              { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1 },
            ],
          },
          checks: {
            type: 'array',
            minItems: 1,
            uniqueItems: true,
            items: { anyOf: [checkId, { const: '*' }] },
            description: 'The checks waived, or "*" for all.',
          },
          reason: { type: 'string', minLength: 1, description: 'Why: shown in every report of a waived check.' },
        },
      },
    },
  },
} as const;
