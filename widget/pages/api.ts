// The admin API from the pages: same-origin JSON (what the server's CSRF rule asks of every change),
// errors turned into ApiFailure with the server's code, message and field; a lost session goes to /login.
import type { ApiErrorBody } from '../../server/wire.ts';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

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
    throw new ApiFailure(0, 'network', 'The server cannot be reached');
  }
  if (res.status === 401 && path !== '/api/auth/me') location.assign('/login');
  if (!res.ok) {
    const error = ((await res.json().catch(() => null)) as ApiErrorBody | null)?.error;
    throw new ApiFailure(res.status, error?.code ?? `http_${res.status}`, error?.message ?? `${res.status} ${res.statusText}`, error?.field);
  }
  return (res.status === 204 ? undefined : await res.json()) as T;
}

/** The message of anything thrown by `api`, for showing next to the control that failed. */
export const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
