/**
 * The docs cannot drift: the configuration page is what the schema generates, every relative link in
 * the README and docs/ reaches a file, and every setting they name is one the code reads.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvSchema } from '../../src/runtime/config.js';
import { CONFIGURATION_PAGE, configurationPage } from '../../scripts/config-docs.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

function filesUnder(dir: string, keep: (file: string) => boolean): string[] {
  if (!existsSync(path.join(ROOT, dir))) return [];
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((file) => path.join(dir, file))
    .filter(keep);
}

/** Read by the OpenTelemetry SDK itself, which the schema leaves to it (see OTEL_TRACES_EXPORTER). */
const READ_BY_LIBRARIES = ['OTEL_EXPORTER_OTLP_HEADERS', 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'];

const DOCS = ['README.md', ...filesUnder('docs', (file) => file.endsWith('.md'))];

/** Relative link targets of a markdown text, without their #anchor; web and mail links are not files. */
export function relativeLinks(markdown: string): string[] {
  const targets = [...markdown.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((match) => match[1]!);
  return targets
    .filter((target) => !/^([a-z][a-z0-9+.-]*:|#)/i.test(target))
    .map((target) => decodeURIComponent(target.split('#')[0]!));
}

/** UPPER_CASE names with an underscore that start like a setting (TEMPORAL_…, GATEWAY_…). */
export function settingLikeNames(text: string, prefixes: ReadonlySet<string>): string[] {
  const names = text.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? [];
  return [...new Set(names.filter((name) => prefixes.has(name.split('_')[0]!)))];
}

/** Environment variables the code reads besides the schema: the shell scripts, dev helpers, bench, tests. */
function namesReadOutsideTheSchema(): Set<string> {
  const names = new Set<string>();
  const sources = [
    'temporal-dev.sh',
    ...filesUnder('scripts', (file) => /\.(ts|sh)$/.test(file)),
    ...filesUnder('dev', (file) => file.endsWith('.ts')),
    ...filesUnder('bench', (file) => file.endsWith('.ts')),
    ...filesUnder('test', (file) => file.endsWith('.ts')),
    ...filesUnder('deploy', () => true),
    'Dockerfile',
  ];
  for (const file of sources) {
    if (!existsSync(path.join(ROOT, file))) continue;
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    for (const match of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)|process\.env\[['"]([A-Z][A-Z0-9_]*)['"]\]/g))
      names.add((match[1] ?? match[2])!);
    for (const match of text.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)) names.add(match[1]!);
    for (const match of text.matchAll(/(?:^|[\s;(])(?:export\s+)?([A-Z][A-Z0-9_]*)=/gm)) names.add(match[1]!);
  }
  return names;
}

describe('docs', () => {
  it(`${CONFIGURATION_PAGE} is what npm run docs:config generates from the schema`, () => {
    const current = readFileSync(path.join(ROOT, CONFIGURATION_PAGE), 'utf8');
    expect(current, 'stale: run npm run docs:config').toBe(configurationPage());
  });

  it.each(DOCS)('%s links only files that exist', (doc) => {
    const text = readFileSync(path.join(ROOT, doc), 'utf8');
    const missing = relativeLinks(text).filter((target) => !existsSync(path.resolve(ROOT, path.dirname(doc), target)));
    expect(missing).toEqual([]);
  });

  it.each(DOCS)('%s names only settings the code reads', (doc) => {
    const settings = new Set([...Object.keys(EnvSchema.shape), ...namesReadOutsideTheSchema(), ...READ_BY_LIBRARIES]);
    const prefixes = new Set(Object.keys(EnvSchema.shape).map((name) => name.split('_')[0]!));
    const text = readFileSync(path.join(ROOT, doc), 'utf8');
    expect(settingLikeNames(text, prefixes).filter((name) => !settings.has(name))).toEqual([]);
  });
});

describe('relativeLinks', () => {
  it.each([
    ['[a](docs/x.md)', ['docs/x.md']],
    ['[a](docs/x.md#part) [b](#top)', ['docs/x.md']],
    ['[a](https://example.com/x.md) [m](mailto:a@b.c)', []],
    ['[a](../src/config.ts "the schema")', ['../src/config.ts']],
    ['[a](my%20file.md)', ['my file.md']],
  ])('%s → %j', (markdown, expected) => {
    expect(relativeLinks(markdown)).toEqual(expected);
  });
});

describe('settingLikeNames', () => {
  const prefixes = new Set(['GATEWAY', 'TEMPORAL']);
  it.each([
    ['set `GATEWAY_PORT=9000`', ['GATEWAY_PORT']],
    ['TEMPORAL_ADDRESS and TEMPORAL_ADDRESS', ['TEMPORAL_ADDRESS']],
    ['status WAITING_APPROVAL, GATEWAY alone', []],
    ['gateway_port in lower case', []],
  ])('%s → %j', (text, expected) => {
    expect(settingLikeNames(text, prefixes)).toEqual(expected);
  });
});
