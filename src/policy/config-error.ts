/**
 * The config file cannot be used: a usage error (exit status 2). In its own module so that a
 * scan without a config file never loads the schema validator (config.ts) to recognise it.
 */
export class ConfigError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'ConfigError';
  }
}
