// Turns the chat actions youtubei.js has parsed into our ChatMessage, one mapping per paid or free item type.
import { Misc, YTNodes, type Helpers } from 'youtubei.js';
import { parseAmount } from './amount.ts';
import type { ChatMessage, MessageType } from './message.ts';

/** Messages carried by one action; actions that are not messages (tickers, banners, deletions) give none. */
export function messagesOf(action: Helpers.YTNode, videoOffsetMs?: number): ChatMessage[] {
  if (action.is(YTNodes.ReplayChatItemAction)) {
    const offset = Number(action.video_offset_time_msec);
    return action.actions.flatMap((inner) => messagesOf(inner, Number.isFinite(offset) ? offset : undefined));
  }
  if (action.is(YTNodes.AddChatItemAction) && action.item) {
    const message = messageOf(action.item);
    if (message) return [videoOffsetMs === undefined ? message : { ...message, videoOffsetMs }];
  }
  return [];
}

function messageOf(item: Helpers.YTNode): ChatMessage | undefined {
  if (item.is(YTNodes.LiveChatTextMessage)) {
    return build(item.id, item.timestamp_usec, 'text', authorOf(item.author), plain(item.message));
  }
  if (item.is(YTNodes.LiveChatPaidMessage)) {
    return withAmount(
      build(item.id, item.timestamp_usec, 'superchat', authorOf(item.author), plain(item.message)),
      item.purchase_amount,
    );
  }
  if (item.is(YTNodes.LiveChatPaidSticker)) {
    // A sticker has no text; its label ("Cat waving") is what a reader of the archive needs.
    const label = item.sticker_accessibility_label ?? '';
    return withAmount(
      build(item.id, item.timestamp_usec, 'supersticker', authorOf(item.author), label),
      item.purchase_amount,
    );
  }
  if (item.is(YTNodes.LiveChatMembershipItem)) {
    // A milestone carries the member's own words; a new membership only the "Welcome to …" line.
    const text = item.message ? plain(item.message) : plain(item.header_subtext);
    return build(item.id, item.timestamp_usec, 'membership', authorOf(item.author), text);
  }
  if (item.is(YTNodes.LiveChatSponsorshipsGiftPurchaseAnnouncement) && item.header) {
    const { header } = item;
    const author = {
      name: plain(header.author_name),
      channelId: item.author_external_channel_id ?? '',
      badges: header.author_badges.map(badgeName),
    };
    return build(item.id, item.timestamp_usec, 'gift', author, plain(header.primary_text));
  }
  if (item.is(YTNodes.LiveChatSponsorshipsGiftRedemptionAnnouncement)) {
    return build(item.id, item.timestamp_usec, 'gift_redemption', authorOf(item.author), plain(item.message));
  }
  return undefined;
}

function build(
  id: string | undefined,
  // The library types this as a number on text messages and a string elsewhere; both arrive as strings.
  timestampUsec: string | number | undefined,
  type: MessageType,
  author: ChatMessage['author'],
  message: string,
): ChatMessage | undefined {
  const ms = Number(timestampUsec) / 1000;
  if (!id || !Number.isFinite(ms)) return undefined;
  return { id, timestamp: new Date(Math.floor(ms)).toISOString(), type, author, message };
}

function withAmount(message: ChatMessage | undefined, shown: string): ChatMessage | undefined {
  const amount = parseAmount(shown);
  return message && amount ? { ...message, amount } : message;
}

function authorOf(author: Misc.Author): ChatMessage['author'] {
  return { name: author.name, channelId: author.id ?? '', badges: (author.badges ?? []).map(badgeName) };
}

function badgeName(badge: Helpers.YTNode): string {
  const known = badge.is(YTNodes.LiveChatAuthorBadge, YTNodes.MetadataBadge) ? badge : undefined;
  return known?.tooltip ?? known?.label ?? known?.icon_type ?? badge.type;
}

/** Text with emoji as text: the character itself, or the `:shortcut:` of a channel's own emoji. */
function plain(text: Misc.Text | undefined): string {
  if (!text) return '';
  if (!text.runs) return text.text ?? '';
  return text.runs
    .map((run) =>
      run instanceof Misc.EmojiRun && run.emoji.is_custom ? (run.emoji.shortcuts[0] ?? run.text) : run.text,
    )
    .join('');
}
