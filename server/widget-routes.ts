// GET /widget/* — the built widget bundles (dist/widget/), loadable as module scripts from any site:
// CORS on everything, stable entry names revalidated by ETag, hashed chunks cached for good, gzip/brotli.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { ApiError } from './errors.ts';

const DEFAULT_DIR = fileURLToPath(new URL('../dist/widget/', import.meta.url));

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

/** Vite's `[name]-[hash].js`: the content can never change under that name. */
const HASHED = /-[A-Za-z0-9_-]{8,}\.\w+$/;

const CORS = { 'Access-Control-Allow-Origin': '*' };

interface Prepared {
  mtimeMs: number;
  etag: string;
  identity: Buffer;
  gzip: Buffer;
  br: Buffer;
}

const missing = () =>
  new ApiError(404, 'not_found', 'No such widget file (is the bundle built? npm run build)', undefined, CORS);

/** The file under `dir` that `rel` names, or null for anything that could step outside it. */
export function resolveInside(dir: string, rel: string): string | null {
  if (
    !rel ||
    rel.includes('\0') ||
    rel.includes('\\') ||
    rel.split('/').some((seg) => seg === '..' || seg === '.' || seg === '')
  )
    return null;
  const file = path.resolve(dir, rel);
  return file.startsWith(path.resolve(dir) + path.sep) ? file : null;
}

export function widgetRoutes({ dir = DEFAULT_DIR }: { dir?: string } = {}) {
  const app = new Hono();
  // Compressed once per file version, not per request: the full bundle is ~200 KB raw, ~64 KB gzip.
  const prepared = new Map<string, Prepared>();

  async function load(file: string): Promise<Prepared | null> {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const cached = prepared.get(file);
    if (cached && cached.mtimeMs === info.mtimeMs) return cached;
    const identity = await readFile(file);
    const entry: Prepared = {
      mtimeMs: info.mtimeMs,
      etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}"`,
      identity,
      gzip: gzipSync(identity, { level: 9 }),
      br: brotliCompressSync(identity),
    };
    prepared.set(file, entry);
    return entry;
  }

  app.get('/widget/*', async (c) => {
    let rel: string;
    try {
      rel = decodeURIComponent(c.req.path.slice('/widget/'.length));
    } catch {
      throw missing();
    }
    const file = resolveInside(dir, rel);
    const type = TYPES[path.extname(rel)];
    const entry = file && type ? await load(file) : null;
    if (!entry) throw missing();

    const accepted = c.req.header('accept-encoding') ?? '';
    const encoding = /\bbr\b/.test(accepted) ? 'br' : /\bgzip\b/.test(accepted) ? 'gzip' : null;
    const headers: Record<string, string> = {
      ...CORS,
      'Content-Type': type,
      ETag: entry.etag,
      'Cache-Control': HASHED.test(rel) ? 'public, max-age=31536000, immutable' : 'no-cache',
      Vary: 'Accept-Encoding',
      // Lets pages that isolate themselves (COEP) load the bundle too.
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    const match = c.req.header('if-none-match');
    if (match && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === entry.etag))
      return c.body(null, 304, headers);
    if (encoding) headers['Content-Encoding'] = encoding;
    const body = encoding === 'br' ? entry.br : encoding === 'gzip' ? entry.gzip : entry.identity;
    return c.body(new Uint8Array(body), 200, headers);
  });

  return app;
}
