/** A setting the process cannot start with; its message names the variable or file and why. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}
