/**
 * Libraries the web page imports as ES modules, served from node_modules at /assets/vendor/<name>:
 * only the files named here, so the page needs no CDN and no build step.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { loadFile } from './static-files.js';

const VENDOR_FILES: Record<string, { pkg: string; file: string }> = {
  'dagre.js': { pkg: '@dagrejs/dagre', file: 'dist/dagre.esm.js' },
};

const require = createRequire(import.meta.url);

/** The named library file's bytes and content type, or undefined when it is not on the list. */
export async function loadVendorFile(name: string): Promise<{ body: Uint8Array; type: string } | undefined> {
  const entry = Object.hasOwn(VENDOR_FILES, name) ? VENDOR_FILES[name] : undefined;
  if (!entry) return undefined;
  const dir = path.dirname(require.resolve(`${entry.pkg}/package.json`));
  return loadFile(dir, entry.file);
}
