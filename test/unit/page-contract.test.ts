/**
 * The page's hand-written types (JSDoc in public/assets/api-contract.js) against the OpenAPI document the
 * gateway serves: every field the page declares exists there with the same optionality and kind,
 * and the page's lists of states, statuses and timeline events are the document's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Client } from '@temporalio/client';
import { parseConfig } from '../../src/runtime/config.js';
import { createGatewayApp } from '../../gateway/app.js';
import { testSecretsEnv } from '../../dev/stack-secrets.js';

interface JsonSchema {
  type?: string;
  enum?: string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

const PAGE_API = readFileSync(path.resolve('public/assets/api-contract.js'), 'utf8');

interface PageField {
  type: string;
  optional: boolean;
}

/** `@typedef {object} Name` followed by its `@property {type} [name]` lines. */
function pageTypedef(name: string): Record<string, PageField> {
  const start = PAGE_API.search(new RegExp(`@typedef \\{object\\} ${name}\\b`));
  if (start < 0) throw new Error(`api-contract.js has no @typedef {object} ${name}`);
  const fields: Record<string, PageField> = {};
  for (const line of PAGE_API.slice(start).split('\n').slice(1)) {
    const match = /^\s*\*\s*@property \{(.+)\} (\[?)(\w+)\]?/.exec(line);
    if (!match) break;
    fields[match[3]!] = { type: match[1]!, optional: match[2] === '[' };
  }
  return fields;
}

/** The string literals of `@typedef {'A'|'B'} Name`. */
function pageUnion(name: string): string[] {
  const match = new RegExp(`@typedef \\{([^}]+)\\} ${name}\\b`).exec(PAGE_API);
  if (!match) throw new Error(`api-contract.js has no @typedef of ${name}`);
  return literals(match[1]!);
}

function literals(text: string): string[] {
  return [...text.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
}

/** The string literals of `export const NAME = [...]`. */
function pageList(name: string): string[] {
  const match = new RegExp(`export const ${name} = \\[([^\\]]*)\\]`).exec(PAGE_API);
  if (!match) throw new Error(`api-contract.js has no list ${name}`);
  return literals(match[1]!);
}

const unusedClient = new Proxy({} as Client, {
  get(_t, prop) {
    throw new Error(`Temporal used: ${String(prop)}`);
  },
});
const gateway = createGatewayApp({ client: unusedClient, config: parseConfig(testSecretsEnv()) });
const document = (await (await gateway.request('/openapi.json')).json()) as {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content: Record<string, { schema: JsonSchema }> }> }>
  >;
};
function answer(route: string, method: string): JsonSchema {
  return document.paths[route]![method]!.responses['200']!.content['application/json']!.schema;
}
const runView = answer('/api/workflows/{id}', 'get');
const stepView = runView.properties!['steps']!.items!;
const approvalRecord = runView.properties!['approvals']!.items!;
const timelineEvent = answer('/api/workflows/{id}/timeline', 'get').properties!['events']!.items!;
const chatResponse = answer('/chat', 'post');

/** Whether the page's declared type can describe what the schema allows; other types are checked for presence only. */
function sameKind(pageType: string, schema: JsonSchema): boolean {
  if (pageType === 'string') return schema.type === 'string';
  if (pageType === 'number') return schema.type === 'number' || schema.type === 'integer';
  if (pageType === 'boolean') return schema.type === 'boolean';
  if (pageType.endsWith('[]')) return schema.type === 'array';
  if (pageType.startsWith("'"))
    return schema.enum !== undefined && [...literals(pageType)].sort().join() === [...schema.enum].sort().join();
  return true;
}

describe("the page's types match the OpenAPI document", () => {
  it.each<[string, JsonSchema]>([
    ['RunView', runView],
    ['StepView', stepView],
    ['ApprovalRecord', approvalRecord],
    ['TimelineEvent', timelineEvent],
    ['ChatResponse', chatResponse],
  ])('%s: every field the page declares, with its optionality and kind', (name, schema) => {
    const fields = pageTypedef(name);
    expect(Object.keys(fields).length).toBeGreaterThan(0);
    const required = new Set(schema.required ?? []);
    const mismatches: string[] = [];
    for (const [field, declared] of Object.entries(fields)) {
      const property = schema.properties?.[field];
      if (!property) mismatches.push(`${field}: not in the document`);
      else if (declared.optional === required.has(field))
        mismatches.push(`${field}: ${required.has(field) ? 'required' : 'optional'} in the document`);
      else if (!sameKind(declared.type, property))
        mismatches.push(`${field}: {${declared.type}} does not match ${JSON.stringify(property).slice(0, 120)}`);
    }
    expect(mismatches).toEqual([]);
  });

  it.each<[string, () => string[], () => string[] | undefined]>([
    ['StepState', () => pageUnion('StepState'), () => stepView.properties!['state']!.enum],
    ['RunStatus', () => pageUnion('RunStatus'), () => runView.properties!['status']!.enum],
    ['TIMELINE_EVENTS', () => pageList('TIMELINE_EVENTS'), () => timelineEvent.properties!['event']!.enum],
  ])('%s lists the same values as the document', (_, page, served) => {
    expect([...page()].sort()).toEqual([...(served() ?? [])].sort());
  });

  it('FINAL_RUN_STATUSES are run statuses the document knows', () => {
    const statuses = new Set(runView.properties!['status']!.enum);
    for (const status of pageList('FINAL_RUN_STATUSES')) expect(statuses.has(status), status).toBe(true);
  });
});
