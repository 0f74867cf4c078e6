/**
 * The web page: `GET /` serves public/index.html, `GET /assets/*` its files (`/assets/vendor/*` the
 * libraries it imports, from node_modules), `GET /api/config` its settings.
 */
import path from 'node:path';
import type { Config } from '../../src/runtime/config.js';
import { ApiError } from '../errors.js';
import { apiRouter, content, json, PUBLIC, routesTagged } from '../openapi.js';
import { PageConfigSchema } from '../schemas.js';
import { loadFile } from '../static-files.js';
import { loadVendorFile } from '../vendor-files.js';

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Approval workflow gateway</title></head>
<body><h1>Approval workflow gateway</h1>
<p>The web page is not installed (public/index.html is missing). The API is up: see <a href="/docs">/docs</a>.</p>
</body></html>`;

const route = routesTagged({ tags: ['web'], ...PUBLIC });

const pageConfig = route.get('/api/config', {
  summary: "The web page's settings: Temporal Web UI base URL, namespace, whether tokens are required",
  responses: { 200: json(PageConfigSchema) },
});

const page = route.get('/', {
  summary: 'The web page',
  responses: { 200: content('text/html', 'The chat, inbox and timeline page') },
});

/** The page's files are served, not documented as API operations. */
export function webRoutes(
  publicDir: string,
  config: Pick<Config, 'TEMPORAL_UI_URL' | 'TEMPORAL_NAMESPACE' | 'GATEWAY_AUTH'>,
) {
  return apiRouter()
    .openapi(pageConfig, (c) =>
      c.json(
        { temporal_ui_url: config.TEMPORAL_UI_URL, namespace: config.TEMPORAL_NAMESPACE, auth: config.GATEWAY_AUTH },
        200,
      ),
    )
    .openapi(page, async (c) => {
      const page = await loadFile(publicDir, 'index.html');
      c.header('Cache-Control', 'no-cache');
      return c.html(page ? new TextDecoder().decode(page.body) : PLACEHOLDER);
    })
    .get('/assets/vendor/:file', async (c) => {
      const name = c.req.param('file');
      const file = await loadVendorFile(name);
      if (!file) throw ApiError.notFound(`No library ${name}`);
      return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': file.type,
        'Cache-Control': 'public, max-age=86400',
      });
    })
    .get('/assets/*', async (c) => {
      const relative = c.req.path.slice('/assets/'.length);
      const file = await loadFile(path.join(publicDir, 'assets'), relative);
      if (!file) throw ApiError.notFound(`No asset ${relative}`);
      return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': file.type,
        'Cache-Control': 'no-cache',
      });
    });
}
