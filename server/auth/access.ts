// Who may do what: the one place that decides admin access and event read access.
// TEMPORARY permissive version while the access issue is being built; replaced by the real one.
import type { MiddlewareHandler } from 'hono';
import type { Config } from '../config.ts';
import type { Db } from '../db/db.ts';

export interface Access {
  /** Admin session required (401 otherwise); unsafe methods also need a same-origin JSON request (403 otherwise). */
  requireAdmin: MiddlewareHandler;
  /**
   * For routes with an `:id` event parameter: lets through the admin, anyone for a public event
   * (with `Access-Control-Allow-Origin: *`), or an embed token of that event; 401 otherwise, 404 for an unknown event.
   */
  requireEventReader: MiddlewareHandler;
}

export function createAccess(config: Config, db: Db): Access {
  void config;
  void db;
  return {
    requireAdmin: async (_c, next) => next(),
    requireEventReader: async (_c, next) => next(),
  };
}
