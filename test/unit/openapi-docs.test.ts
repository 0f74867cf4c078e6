/** The OpenAPI document lists every route the app serves; Swagger UI and the web page are served locally. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/runtime/config.js';
import { createGatewayApp } from '../../gateway/app.js';
import type { Loose } from '../support/http.js';
import { testSecretsEnv } from '../../dev/stack-secrets.js';
import { NOTIFICATION_EVENT_TYPES } from '../../src/shared/notifications.js';

const unusedClient = new Proxy({} as Client, {
  get(_t, prop) {
    throw new Error(`Temporal used: ${String(prop)}`);
  },
});
const config = parseConfig(testSecretsEnv());
const app = createGatewayApp({ client: unusedClient, config });

/** Routes that serve files for a documented page rather than being API operations of their own. */
const SUPPORT_ROUTES = new Set(['/docs/init.js', '/docs/{file}', '/assets/*', '/assets/vendor/{file}']);

describe('/openapi.json', () => {
  it('is OpenAPI 3.1 JSON that documents every route the app serves', async () => {
    const res = await app.request('/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    // A declared route is registered with its validators, so Hono lists it once per handler.
    const servedKeys = new Set(
      app.routes
        .filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`),
    );
    const served = [...servedKeys]
      .map((key) => ({ method: key.split(' ')[0]!, path: key.split(' ')[1]! }))
      .filter((r) => !SUPPORT_ROUTES.has(r.path));
    expect(served.length).toBeGreaterThanOrEqual(18);
    for (const route of served) {
      expect(doc.paths[route.path]?.[route.method], `${route.method} ${route.path}`).toBeDefined();
    }
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m} ${p}`));
    // An OpenAPIHono route is listed once per handler (its validators, then the handler itself).
    expect(documented.sort()).toEqual([...new Set(served.map((r) => `${r.method} ${r.path}`))].sort());
  });

  it('documents every webhook event a subscriber receives, with its body and signature headers', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as Loose;
    expect(Object.keys(doc.webhooks).sort()).toEqual([...NOTIFICATION_EVENT_TYPES].sort());
    for (const type of NOTIFICATION_EVENT_TYPES) {
      const post = doc.webhooks[type].post;
      expect(post.requestBody.content['application/json'].schema.properties.type.const, type).toBe(type);
      expect(post.parameters.map((p: { name: string }) => p.name)).toEqual([
        'webhook-id',
        'webhook-timestamp',
        'webhook-signature',
      ]);
    }
    expect(
      doc.webhooks['approval.requested'].post.requestBody.content['application/json'].schema.properties.data.properties,
    ).toHaveProperty('links');
  });

  it('describes bodies and parameters from the zod schemas', async () => {
    const doc = (await (await app.request('/openapi.json')).json()) as Loose;
    const chat = doc.paths['/chat'].post;
    const schema = chat.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['message']);
    expect(schema.properties.message).toMatchObject({ type: 'string', maxLength: 2000 });
    expect(chat.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
    expect(chat.responses['400'].content['application/json'].schema.$ref).toBe('#/components/schemas/Error');
    const decision = doc.paths['/api/approvals/{id}/decision'].post;
    expect(decision.requestBody.content['application/json'].schema.properties.decision.enum).toEqual([
      'approve',
      'reject',
    ]);
    expect(doc.paths['/api/workflows/{id}'].get.parameters[0]).toMatchObject({
      name: 'id',
      in: 'path',
      required: true,
    });
    expect(doc.paths['/api/workflows/{id}/stream'].get.parameters.map((p: { name: string }) => p.name)).toContain(
      'Last-Event-ID',
    );
    expect(doc.components.schemas.Error.properties.error.required).toEqual(['code', 'message']);
  });
});

describe('/docs', () => {
  it('serves Swagger UI from the local swagger-ui-dist files, not a CDN', async () => {
    const page = await app.request('/docs');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).toContain('/docs/swagger-ui-bundle.js');
    expect(html).not.toMatch(/https?:\/\//);
    for (const file of ['/docs/swagger-ui-bundle.js', '/docs/swagger-ui-standalone-preset.js', '/docs/init.js']) {
      const res = await app.request(file);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/javascript/);
    }
    expect((await app.request('/docs/swagger-ui.css')).headers.get('content-type')).toMatch(/^text\/css/);
    expect((await app.request('/docs/package.json')).status).toBe(404);
  });
});

describe('the web page', () => {
  it('serves public/index.html and its assets, and refuses paths that leave assets/', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gateway-public-'));
    try {
      mkdirSync(path.join(dir, 'assets'));
      writeFileSync(
        path.join(dir, 'index.html'),
        '<!doctype html><title>page</title><script src="/assets/app.js"></script>',
      );
      writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
      writeFileSync(path.join(dir, 'secret.txt'), 'secret');
      const web = createGatewayApp({ client: unusedClient, config, publicDir: dir });
      const page = await web.request('/');
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<title>page</title>');
      const asset = await web.request('/assets/app.js');
      expect(asset.status).toBe(200);
      expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
      for (const p of [
        '/assets/%2e%2e/secret.txt',
        '/assets/..%2fsecret.txt',
        '/assets/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      ]) {
        expect((await web.request(p)).status, p).toBe(404);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers / with a placeholder page when public/index.html is missing', async () => {
    const empty = createGatewayApp({
      client: unusedClient,
      config,
      publicDir: path.join(tmpdir(), 'no-such-public-dir'),
    });
    const res = await empty.request('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('/docs');
  });

  it('tells the page where the Temporal Web UI is and whether tokens are needed', async () => {
    const tokens = createGatewayApp({
      client: unusedClient,
      config: parseConfig({ ...testSecretsEnv(), TEMPORAL_UI_URL: 'http://ui.example:8233' }),
    });
    const res = await tokens.request('/api/config');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ temporal_ui_url: 'http://ui.example:8233', namespace: 'default', auth: 'off' });
  });
});

describe('approval policy in /openapi.json', () => {
  it('documents stages, progress and decisions on approval records and the policy on the run view', async () => {
    const text = JSON.stringify(await (await app.request('/openapi.json')).json());
    for (const field of [
      '"stages"',
      '"current_stage"',
      '"progress"',
      '"decisions"',
      '"policy_rule"',
      'SHA-256 of its JSON',
    ])
      expect(text).toContain(field);
  });
});
