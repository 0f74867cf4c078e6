/** The page's libraries: only allow-listed files from node_modules, as JavaScript. */
import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { webRoutes } from '../../gateway/routes/web.js';
import type { GatewayEnv } from '../../gateway/context.js';
import { ApiError } from '../../gateway/errors.js';

const app = new Hono<GatewayEnv>()
  .route(
    '/',
    webRoutes(new URL('../../public', import.meta.url).pathname, {
      TEMPORAL_UI_URL: 'http://localhost:8233',
      TEMPORAL_NAMESPACE: 'default',
      GATEWAY_AUTH: 'off',
    }),
  )
  .onError((err, c) =>
    err instanceof ApiError
      ? c.json({ error: { code: err.code, message: err.message } }, err.status)
      : c.json({ error: String(err) }, 500),
  );

describe('GET /assets/vendor/:file', () => {
  it('serves dagre as an ES module', async () => {
    const res = await app.request('/assets/vendor/dagre.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await res.text()).toMatch(/export\s*\{[^}]*\blayout\b/);
  });

  it.each(['elk.js', 'package.json', '..%2Fpackage.json', '..%2F..%2Fpackage.json', 'constructor', '__proto__'])(
    'refuses %s',
    async (name) => {
      const res = await app.request(`/assets/vendor/${name}`);
      expect(res.status).toBe(404);
    },
  );
});
