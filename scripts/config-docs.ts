/**
 * docs/configuration.md, generated from the zod environment schema in src/runtime/config.ts: the names, the
 * defaults and the accepted values come from the schema, the meanings from the JSDoc above each
 * variable. `npm run docs:config` writes the page; `npm run docs:check` fails when it is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { z } from 'zod';
import { EnvSchema } from '../src/runtime/config.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CONFIG_SOURCE = 'src/runtime/config.ts';
export const CONFIGURATION_PAGE = 'docs/configuration.md';

export interface SettingDoc {
  name: string;
  /** The JSDoc above the variable; undefined when the variable shares the comment of the one above it. */
  meaning: string | undefined;
}

/** Each variable of the schema's object literal, in source order, with the JSDoc written above it. */
export function settingDocsOf(source: string): SettingDoc[] {
  const file = ts.createSourceFile(CONFIG_SOURCE, source, ts.ScriptTarget.Latest, true);
  const docs: SettingDoc[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isVariableDeclaration(node) && node.name.getText(file) === 'EnvSchema') {
      const literal = findObjectLiteral(node);
      for (const property of literal?.properties ?? []) {
        if (!ts.isPropertyAssignment(property)) continue;
        const comments = ts.getJSDocCommentsAndTags(property).filter(ts.isJSDoc);
        const text = comments.map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '').join(' ');
        docs.push({ name: property.name.getText(file), meaning: text.trim() === '' ? undefined : oneLine(text) });
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return docs;
}

function findObjectLiteral(node: ts.Node): ts.ObjectLiteralExpression | undefined {
  const callsObject =
    ts.isCallExpression(node) &&
    ts.isPropertyAccessExpression(node.expression) &&
    node.expression.name.text === 'object';
  if (callsObject && node.arguments[0]) {
    const argument = node.arguments[0];
    return ts.isObjectLiteralExpression(argument) ? argument : undefined;
  }
  return ts.forEachChild(node, findObjectLiteral);
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

type JsonProperty = {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  format?: string;
};

const BOOLEAN_WORDS = ['0', '1', 'false', 'no', 'true', 'yes'];

/** What a variable accepts, in words, from its input JSON Schema. */
export function acceptedValues(property: JsonProperty): string {
  if (property.enum) {
    const values = property.enum.map(String);
    if ([...values].sort().join() === BOOLEAN_WORDS.join()) return '`true` or `false` (also `1`/`0`, `yes`/`no`)';
    return values.map((v) => `\`${v}\``).join(', ');
  }
  if (property.type === 'integer') return `integer ${property.minimum ?? ''}–${property.maximum ?? ''}`;
  if (property.format === 'uri') return 'URL';
  return 'text';
}

/** A default as a person writes it in the environment; '–' for none. */
export function defaultText(inputDefault: unknown, parsedDefault: unknown): string {
  const value = inputDefault ?? parsedDefault;
  if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return '–';
  return `\`${Array.isArray(value) ? value.join(',') : String(value)}\``;
}

const escapeCell = (text: string): string => text.replace(/\|/g, '\\|');

export function configurationPage(source = readFileSync(path.join(ROOT, CONFIG_SOURCE), 'utf8')): string {
  const properties = z.toJSONSchema(EnvSchema, { io: 'input', unrepresentable: 'any' }).properties as Record<
    string,
    JsonProperty
  >;
  const parsedDefaults: Record<string, unknown> = EnvSchema.parse({});
  const rows: { names: string[]; defaults: string[]; accepts: string[]; meaning: string }[] = [];
  for (const { name, meaning } of settingDocsOf(source)) {
    const property = properties[name];
    if (!property) throw new Error(`${CONFIG_SOURCE}: ${name} is in the source but not in EnvSchema`);
    const cells = { defaults: defaultText(property.default, parsedDefaults[name]), accepts: acceptedValues(property) };
    const previous = rows.at(-1);
    if (meaning === undefined && previous) {
      previous.names.push(name);
      previous.defaults.push(cells.defaults);
      previous.accepts.push(cells.accepts);
      continue;
    }
    rows.push({ names: [name], defaults: [cells.defaults], accepts: [cells.accepts], meaning: meaning ?? '' });
  }
  const joinCells = (cells: string[]): string => (new Set(cells).size === 1 ? cells[0]! : cells.join('; '));
  const table = rows.map(
    (row) =>
      `| ${row.names.map((n) => `\`${n}\``).join(', ')} | ${joinCells(row.defaults)} | ${escapeCell(
        joinCells(row.accepts),
      )} | ${escapeCell(row.meaning)} |`,
  );
  return [
    '# Configuration',
    '',
    '<!-- Generated by `npm run docs:config` from src/runtime/config.ts; ' +
      'edit the schema and its comments, not this page. -->',
    '',
    'Every process (gateway, worker, sandbox, operator scripts) reads its settings from environment variables,',
    `validated once at start-up by the zod schema in [\`${CONFIG_SOURCE}\`](../${CONFIG_SOURCE}). A bad value stops`,
    'the process with exit code 1 and a line naming the variable and what it wants; an empty variable counts',
    'as unset. Variables on one row share a meaning; their defaults and accepted values are listed in order.',
    '',
    'The local stack script reads a few more (ports, state folder, heap limit): see',
    '[operations](operations.md#local-stack-settings).',
    '',
    '| variable | default | accepts | meaning |',
    '|---|---|---|---|',
    ...table,
    '',
  ].join('\n');
}

function main(): void {
  const page = configurationPage();
  const target = path.join(ROOT, CONFIGURATION_PAGE);
  if (process.argv.includes('--check')) {
    const current = readFileSync(target, 'utf8');
    if (current !== page) {
      console.error(`${CONFIGURATION_PAGE} is stale: run npm run docs:config and commit it`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(target, page);
  console.log(`wrote ${CONFIGURATION_PAGE}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
