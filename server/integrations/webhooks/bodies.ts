// What a delivery says, per webhook kind: our JSON (`type` named as in the API), or a Discord or Slack
// message. Built from the stored occurrence, so every retry sends the same bytes.
export type WebhookKind = 'json' | 'discord' | 'slack';
export const WEBHOOK_TYPES = [
  'stream.live',
  'stream.ended',
  'stream.unavailable',
  'quota.exhausted',
  'milestone',
] as const;
export type WebhookType = (typeof WEBHOOK_TYPES)[number] | 'test';

export interface Occurrence {
  deliveryId: string;
  type: WebhookType;
  /** As the trigger recorded it: eventId, at, stream {id, label, videoId, status, reason}. */
  payload: {
    eventId: string;
    at: string;
    stream?: { id: string; label: string; videoId: string; status: string; reason: string | null };
    /** For a milestone (sql/011): a threshold reached or a new peak. */
    milestone?: { kind: 'threshold' | 'peak'; value: number; ts: string };
  };
}

function sentence(o: Occurrence, eventName: string): string {
  const label = o.payload.stream?.label || o.payload.stream?.videoId || '';
  switch (o.type) {
    case 'stream.live':
      return `🔴 ${label} is live (${eventName})`;
    case 'stream.ended':
      return `⏹️ ${label} has ended (${eventName})`;
    case 'stream.unavailable':
      return `⚠️ ${label} is unavailable on YouTube: private, deleted or a wrong id (${eventName})`;
    case 'quota.exhausted':
      return `⚠️ The YouTube quota is spent for today: counts resume after midnight Pacific time (${eventName})`;
    case 'milestone': {
      const m = o.payload.milestone;
      if (!m) return `🎉 Milestone reached (${eventName})`;
      const viewers = new Intl.NumberFormat('en').format(m.value);
      return m.kind === 'peak'
        ? `📈 New peak: ${viewers} viewers (${eventName})`
        : `🎉 ${viewers} viewers reached (${eventName})`;
    }
    case 'test':
      return `✅ LivePulse test delivery (${eventName})`;
  }
}

// Discord and Slack would ping on @everyone, <@id> or <!channel> in a label anyone with the admin password typed.
const noMentions = (s: string) => s.replace(/@/g, '@\u200b').replace(/<!/g, '<\u200b!');

export function deliveryBody(kind: WebhookKind, o: Occurrence, eventName: string): string {
  if (kind === 'discord')
    return JSON.stringify({ content: noMentions(sentence(o, eventName)), allowed_mentions: { parse: [] } });
  if (kind === 'slack') return JSON.stringify({ text: noMentions(sentence(o, eventName)) });
  return JSON.stringify({
    id: o.deliveryId,
    type: o.type,
    event: { id: o.payload.eventId, name: eventName },
    at: o.payload.at,
    stream: o.payload.stream ?? null,
    ...(o.payload.milestone ? { milestone: o.payload.milestone } : {}),
  });
}
