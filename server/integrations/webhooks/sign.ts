// The signature every delivery carries: X-LivePulse-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>,
// with the timestamp (unix seconds) in X-LivePulse-Timestamp, so a receiver can refuse old replays.
import { createHmac } from 'node:crypto';

export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}
