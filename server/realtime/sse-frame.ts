// Server-Sent Events framing (WHATWG HTML §9.2). Ids and event names are ours, never user input, and
// are still checked for CR/LF; data is one line of JSON (JSON.stringify escapes newlines). Every
// frame ends with a blank line, since a browser discards an event cut before it.
import type { RevokedReason, StatusMessage } from '../wire.ts';

export function sseFrame(event: string, data: unknown, id?: string): string {
  if (/[\r\n]/.test(event) || (id !== undefined && /[\r\n\0]/.test(id)))
    throw new Error('SSE id/event must be one line');
  return `${id !== undefined ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export const retryLine = (ms: number) => `retry: ${Math.round(ms)}\n\n`;

export const HEARTBEAT = ': ping\n\n';

/** The last frame of a stream whose reader lost access: no `retry:`, the client must not come back. */
export function finalStatus(state: 'denied' | 'not_found', reason: RevokedReason): string {
  return sseFrame('status', { state, reason, intervalSeconds: 0, streams: [] } satisfies StatusMessage);
}

/** The whole answer to a stream the server will not serve now: come back after `retryMs`, and why. */
export function refusal(state: 'server_full' | 'shutting_down' | 'unavailable', retryMs: number): string {
  return retryLine(retryMs) + sseFrame('status', { state, intervalSeconds: 0, streams: [] });
}
