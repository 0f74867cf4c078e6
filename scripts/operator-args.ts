/**
 * The command lines of the scripts: what the operators' break-glass commands (decide, act) share
 * (positional words, options that each take one value, who acts with `--as` and why with
 * `--reason`), and the usage answer every script gives to a command line it cannot parse.
 */
import { IdentitySchema } from '../src/shared/contracts.js';

const MAX_REASON_CHARS = 1000;

export interface SplitCommandLine<Option extends string> {
  positional: string[];
  options: Partial<Record<Option, string>>;
}

export interface Actor {
  person: string;
  reason?: string;
}

/** Positional words and option values, or a message naming an unknown option or a missing value. */
export function splitCommandLine<Option extends `--${string}`>(
  argv: readonly string[],
  valueOptions: readonly Option[],
): SplitCommandLine<Option> | string {
  const positional: string[] = [];
  const options: Partial<Record<Option, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if ((valueOptions as readonly string[]).includes(arg)) {
      const value = argv[++i];
      if (value === undefined) return `${arg} needs a value`;
      options[arg as Option] = value;
    } else if (arg.startsWith('--')) {
      return `unknown option ${arg}`;
    } else {
      positional.push(arg);
    }
  }
  return { positional, options };
}

/** `--as` and `--reason` checked; `recorded` names what is recorded in that person's name. */
export function actorOf(options: { '--as'?: string; '--reason'?: string }, recorded: string): Actor | string {
  const person = options['--as'];
  if (person === undefined) return `--as <person> is required: ${recorded} is recorded in that person's name`;
  const who = IdentitySchema.safeParse(person);
  if (!who.success) return `--as: ${who.error.issues[0]?.message ?? 'invalid'}`;
  const reason = options['--reason'];
  if (reason !== undefined && reason.length > MAX_REASON_CHARS)
    return `--reason: at most ${MAX_REASON_CHARS} characters`;
  return { person: who.data, ...(reason !== undefined && { reason }) };
}

/**
 * A script's options parsed from its command line by `parse`, or undefined after printing why they
 * do not parse and the script's usage (the caller then exits 2).
 */
export function optionsOrUsage<T>(script: string, usage: string, parse: (argv: string[]) => T): T | undefined {
  try {
    return parse(process.argv.slice(2));
  } catch (err) {
    console.error(`${script}: ${(err as Error).message}\n${usage}`);
    return undefined;
  }
}
