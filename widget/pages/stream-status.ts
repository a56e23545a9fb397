// A stream's status in words for the admin ("Upcoming at 18:00", "Quota exhausted until 09:00"), and
// the tone its badge takes.
import type { StreamInfo } from '../../server/wire.ts';
import { formatTime, t } from './i18n.ts';

export type Tone = 'ok' | 'warn' | 'bad' | 'quiet';

const TONES: Record<StreamInfo['status'], Tone> = {
  live: 'ok',
  live_hidden: 'warn',
  pending: 'quiet',
  upcoming: 'warn',
  paused: 'quiet',
  ended: 'quiet',
  not_live: 'quiet',
  offline: 'quiet',
  unavailable: 'bad',
  quota_exceeded: 'bad',
  api_key_invalid: 'bad',
  api_config_error: 'bad',
  no_api_key: 'bad',
  error: 'bad',
};

export const statusTone = (stream: StreamInfo): Tone => TONES[stream.status] ?? 'quiet';

/** `resumesAt`: when polling comes back after the quota is spent (the quota's reset time). */
export function statusText(stream: StreamInfo, resumesAt?: string | null): string {
  const { status, statusReason, scheduledStart } = stream;
  if (status === 'upcoming' && scheduledStart) return t('status.upcomingAt', { time: formatTime(scheduledStart) });
  if (status === 'quota_exceeded' && resumesAt) return t('status.quotaUntil', { time: formatTime(resumesAt) });
  const words = t(`status.${status}`);
  // The server's reason adds what the code alone cannot say (which upstream error, what config is wrong).
  return (status === 'error' || status === 'api_config_error') && statusReason ? `${words}: ${statusReason}` : words;
}
