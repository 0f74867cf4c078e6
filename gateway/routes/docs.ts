/** `/openapi.json` and Swagger UI at `/docs`, served from the local swagger-ui-dist package (no CDN). */
import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from '@hono/zod-openapi';
import { ApiError } from '../errors.js';
import { apiRouter, content, json, PUBLIC, routesTagged } from '../openapi.js';
import { loadFile } from '../static-files.js';

const SWAGGER_FILES = new Set([
  'swagger-ui.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'favicon-32x32.png',
  'favicon-16x16.png',
]);

export function swaggerUiDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Approval workflow gateway · API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>`;

const INIT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
  layout: 'StandaloneLayout',
});`;

const route = routesTagged({ tags: ['docs'], ...PUBLIC });

const openApiJson = route.get('/openapi.json', {
  summary: 'This document',
  responses: { 200: json(z.record(z.string(), z.unknown()).describe('OpenAPI 3.1'), 'OpenAPI 3.1') },
});

const swaggerUi = route.get('/docs', {
  summary: 'Swagger UI',
  responses: { 200: content('text/html', 'Swagger UI page') },
});

/** `documentOf` is asked once, on the first request, when every route of the gateway is registered. */
export function docsRoutes(documentOf: () => Record<string, unknown>) {
  let document: Record<string, unknown> | undefined;
  const dir = swaggerUiDir();
  return apiRouter()
    .openapi(openApiJson, (c) => {
      document ??= documentOf();
      return c.json(document, 200);
    })
    .openapi(swaggerUi, (c) => c.html(PAGE))
    .get('/docs/init.js', (c) => c.body(INIT, 200, { 'Content-Type': 'text/javascript; charset=utf-8' }))
    .get('/docs/:file', async (c) => {
      const name = c.req.param('file');
      const file = SWAGGER_FILES.has(name) ? await loadFile(dir, name) : undefined;
      if (!file) throw ApiError.notFound(`No documentation file ${name}`);
      return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': file.type,
        'Cache-Control': 'public, max-age=86400',
      });
    });
}
