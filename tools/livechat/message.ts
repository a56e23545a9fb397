// The one shape every exported chat message has, whatever source it came from.

export type MessageType = 'text' | 'superchat' | 'supersticker' | 'membership' | 'gift' | 'gift_redemption';

export interface ChatMessage {
  id: string;
  /** When the message was sent, ISO 8601 in UTC. */
  timestamp: string;
  /** Position in the video, only for replays (a live chat has no video position yet). */
  videoOffsetMs?: number;
  type: MessageType;
  author: { name: string; channelId: string; badges: string[] };
  /** Plain text; emoji appear as their text (the character, or `:shortcut:` for channel emoji). */
  message: string;
  /** Only on paid messages. */
  amount?: { value: number; currency: string };
}
