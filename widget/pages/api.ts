// The admin API from the pages: same-origin JSON (what the server's CSRF rule asks of every change),
// errors thrown as an Error carrying the server's message; a lost session goes to /login.
import type { ApiErrorBody } from '../../server/wire.ts';

export async function api<T>(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const unsafe = method !== 'GET';
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      // Every change is JSON, even without a body: the server refuses other content types (CSRF).
      headers: unsafe ? { 'content-type': 'application/json' } : {},
      body: unsafe ? JSON.stringify(body ?? {}) : undefined,
    });
  } catch {
    throw new Error('The server cannot be reached');
  }
  if (res.status === 401 && path !== '/api/auth/me') location.assign('/login');
  if (!res.ok) {
    const error = ((await res.json().catch(() => null)) as ApiErrorBody | null)?.error;
    throw new Error(error?.message ?? `${res.status} ${res.statusText}`);
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** The message of anything thrown by `api`, for showing next to the control that failed. */
export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
