// Security headers on every response, in one place: a Content-Security-Policy without inline script,
// nosniff, a Referrer-Policy, and framing allowed only for the embeddable pages (overlay, dashboard, demo, widgets).
import type { MiddlewareHandler } from 'hono';

/** Pages meant to be put in other sites' iframes and OBS browser sources. */
const FRAMEABLE = [/^\/event\/[^/]+\/(overlay|dashboard)\/?$/, /^\/demo(\/|$)/, /^\/widget\//];

export const isFrameable = (path: string) => FRAMEABLE.some((re) => re.test(path));

export function contentSecurityPolicy(frameable: boolean): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // Inline styles stay allowed: Lit and the chart set style attributes; scripts are what CSP must stop.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    `frame-ancestors ${frameable ? '*' : "'none'"}`,
  ].join('; ');
}

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    const frameable = isFrameable(c.req.path);
    c.header('Content-Security-Policy', contentSecurityPolicy(frameable));
    c.header('X-Content-Type-Options', 'nosniff');
    // Routes that need a stricter policy (magic links: no-referrer) set their own.
    if (!c.res.headers.has('Referrer-Policy')) c.header('Referrer-Policy', 'strict-origin-when-cross-origin');
    if (!frameable) c.header('X-Frame-Options', 'DENY');
  };
}
