// Test-only: small InnerTube responses shaped like YouTube's (as youtubei.js 18 reads them) for a
// watch page, a live chat and a chat replay. Field names follow the renderers in
// node_modules/youtubei.js/dist/src/parser/classes/livechat/. The shapes the simulator shares (conversation
// bar, chat answer, continuation) live in server/simulator/chat-shapes.ts.
import { add, conversationBar, usec } from '../../../server/simulator/chat-shapes.ts';

export { add, chatResponse, usec, type ChatContinuation } from '../../../server/simulator/chat-shapes.ts';

const photo = { thumbnails: [{ url: 'https://yt4.ggpht.com/photo=s32', width: 32, height: 32 }] };
const menu = {
  contextMenuEndpoint: {
    commandMetadata: { webCommandMetadata: { ignoreNavigation: true } },
    liveChatItemContextMenuEndpoint: { params: 'Q2g0' },
  },
  contextMenuAccessibility: { accessibilityData: { label: 'Chat actions' } },
};
const moderator = {
  liveChatAuthorBadgeRenderer: {
    icon: { iconType: 'MODERATOR' },
    tooltip: 'Moderator',
    accessibility: { accessibilityData: { label: 'Moderator' } },
  },
};
const member = {
  liveChatAuthorBadgeRenderer: {
    customThumbnail: photo,
    tooltip: 'Member (6 months)',
    accessibility: { accessibilityData: { label: 'Member (6 months)' } },
  },
};

const author = (name: string, channelId: string, badges: unknown[] = []) => ({
  authorName: { simpleText: name },
  authorPhoto: photo,
  authorExternalChannelId: channelId,
  ...(badges.length ? { authorBadges: badges } : {}),
});

export const renderers = {
  text: (id: string, at: string) => ({
    liveChatTextMessageRenderer: {
      id,
      timestampUsec: usec(at),
      ...author('Ann', 'UCann0000000000000000000', [moderator]),
      ...menu,
      message: {
        runs: [
          { text: 'hello ' },
          { emoji: { emojiId: '👋', shortcuts: [':waving_hand:'], searchTerms: ['wave'], image: photo } },
          { text: ' ' },
          {
            emoji: {
              emojiId: 'UCchan/abc',
              shortcuts: [':_partyhat:'],
              searchTerms: ['_partyhat'],
              image: photo,
              isCustomEmoji: true,
            },
          },
        ],
      },
    },
  }),
  superchat: (id: string, at: string) => ({
    liveChatPaidMessageRenderer: {
      id,
      timestampUsec: usec(at),
      ...author('Ben', 'UCben0000000000000000000'),
      ...menu,
      purchaseAmountText: { simpleText: 'CA$10.00' },
      message: { runs: [{ text: 'great stream' }] },
      headerBackgroundColor: 4278239141,
      headerTextColor: 4278190080,
      bodyBackgroundColor: 4280150454,
      bodyTextColor: 4278190080,
      authorNameTextColor: 2315255808,
      timestampColor: 2147483648,
    },
  }),
  sticker: (id: string, at: string) => ({
    liveChatPaidStickerRenderer: {
      id,
      timestampUsec: usec(at),
      ...author('Cy', 'UCcy00000000000000000000'),
      ...menu,
      sticker: {
        thumbnails: [{ url: '//lh3.googleusercontent.com/sticker=s40' }],
        accessibility: { accessibilityData: { label: 'Cat waving' } },
      },
      purchaseAmountText: { simpleText: '¥500' },
      moneyChipBackgroundColor: 4280191205,
      moneyChipTextColor: 4294967295,
      backgroundColor: 4280191205,
      authorNameTextColor: 3003121664,
      stickerDisplayWidth: 40,
      stickerDisplayHeight: 40,
    },
  }),
  membership: (id: string, at: string) => ({
    liveChatMembershipItemRenderer: {
      id,
      timestampUsec: usec(at),
      ...author('Dee', 'UCdee0000000000000000000', [member]),
      ...menu,
      headerSubtext: { runs: [{ text: 'Welcome to ' }, { text: 'The Channel' }, { text: '!' }] },
    },
  }),
  gift: (id: string, at: string) => ({
    liveChatSponsorshipsGiftPurchaseAnnouncementRenderer: {
      id,
      timestampUsec: usec(at),
      authorExternalChannelId: 'UCeve0000000000000000000',
      header: {
        liveChatSponsorshipsHeaderRenderer: {
          authorName: { simpleText: 'Eve' },
          authorPhoto: photo,
          authorBadges: [member],
          ...menu,
          primaryText: {
            runs: [
              { text: 'Gifted ', bold: true },
              { text: '5', bold: true },
              { text: ' The Channel memberships', bold: true },
            ],
          },
          image: {
            thumbnails: [
              {
                url: 'https://www.gstatic.com/youtube/img/sponsorships/sponsorships_gift_purchase_announcement_artwork.png',
              },
            ],
          },
        },
      },
    },
  }),
  redemption: (id: string, at: string) => ({
    liveChatSponsorshipsGiftRedemptionAnnouncementRenderer: {
      id,
      timestampUsec: usec(at),
      ...author('Fay', 'UCfay0000000000000000000'),
      ...menu,
      message: {
        runs: [
          { text: 'received a gift membership by ', italics: true },
          { text: 'Eve', bold: true, italics: true },
        ],
      },
    },
  }),
  engagement: (id: string, at: string) => ({
    liveChatViewerEngagementMessageRenderer: {
      id,
      timestampUsec: usec(at),
      icon: { iconType: 'YOUTUBE_ROUND' },
      message: { runs: [{ text: 'Welcome to live chat! Remember to guard your privacy.' }] },
    },
  }),
};

export const replay = (offsetMs: number, item: object) => ({
  replayChatItemAction: { actions: [add(item)], videoOffsetTimeMsec: String(offsetMs) },
});
export const ticker = (item: object) => ({
  addLiveChatTickerItemAction: { item: { liveChatTickerPaidMessageItemRenderer: item }, durationSec: '120' },
});

export function playerResponse(videoId: string, status = 'OK', reason?: string, isLive = true) {
  return {
    responseContext: {},
    playabilityStatus: { status, ...(reason ? { reason } : {}), playableInEmbed: true },
    videoDetails: {
      videoId,
      channelId: 'UCchan',
      title: 'Event',
      lengthSeconds: '0',
      isLive,
      isLiveContent: true,
      author: 'The Channel',
      viewCount: '10',
    },
  };
}

/** A watch page with a chat (both views, "Top chat" selected as YouTube does) or with a conversation-bar message. */
export function nextResponse(
  chat: { isReplay: boolean; top: string; all: string } | { disabledMessage: string } | null,
) {
  const bar = conversationBar(chat);
  return {
    responseContext: {},
    contents: {
      twoColumnWatchNextResults: {
        results: { results: { contents: [] } },
        secondaryResults: { secondaryResults: { results: [] } },
        ...(bar ? { conversationBar: bar } : {}),
      },
    },
  };
}
