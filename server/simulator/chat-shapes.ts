// InnerTube's live-chat answers as youtubei.js 18 reads them (its parsers in node_modules/youtubei.js/dist/src/
// parser/classes/livechat/ and parser/continuations.js#LiveChatContinuation), moved here from the live-chat
// exporter's fixtures (tools/livechat/testing/innertube-fixtures.ts, which re-exports them) so the simulator
// and the tool's tests speak the same shapes: the watch page's conversation bar (a liveChatRenderer with its
// "Top chat" / "Live chat" continuations, or a message saying why there is no chat), a get_live_chat answer
// (actions and the next continuation with its timeout hint), and a plain text message.

/** A timestamp as YouTube writes it: microseconds since the epoch, as a string. */
export const usec = (iso: string) => String(Date.parse(iso) * 1000 + 123);

export const add = (item: object) => ({ addChatItemAction: { item, clientId: 'CLIENT' } });

export type ChatContinuation =
  | { invalidationContinuationData: { continuation: string; timeoutMs: number } }
  | { timedContinuationData: { continuation: string; timeoutMs: number } }
  | { liveChatReplayContinuationData: { continuation: string; timeUntilLastMessageMsec: number } }
  | { playerSeekContinuationData: { continuation: string } };

/** A get_live_chat(_replay) answer; no continuation is how YouTube says the chat is over. */
export const chatResponse = (actions: object[], continuation?: ChatContinuation) => ({
  responseContext: { serviceTrackingParams: [] },
  continuationContents: {
    liveChatContinuation: { actions, ...(continuation ? { continuations: [continuation] } : {}) },
  },
});

/** A text message with only the fields youtubei.js needs (LiveChatTextMessage). */
export const textMessage = (id: string, timestampUsec: string, name: string, channelId: string, text: string) => ({
  liveChatTextMessageRenderer: {
    id,
    timestampUsec,
    authorName: { simpleText: name },
    authorPhoto: { thumbnails: [{ url: 'https://yt4.ggpht.com/photo=s32', width: 32, height: 32 }] },
    authorExternalChannelId: channelId,
    message: { runs: [{ text }] },
  },
});

/**
 * The watch page's conversation bar: the chat (both views, "Top chat" selected as YouTube does), or the
 * message YouTube shows instead of a chat ("Chat is disabled for this live stream."), or nothing (null).
 */
export function conversationBar(
  chat: { isReplay: boolean; top: string; all: string } | { disabledMessage: string } | null,
): object | undefined {
  if (chat && 'disabledMessage' in chat) {
    return {
      conversationBarRenderer: {
        availabilityMessage: { messageRenderer: { text: { runs: [{ text: chat.disabledMessage }] } } },
      },
    };
  }
  if (!chat) return undefined;
  const view = (title: string, selected: boolean, continuation: string) => ({
    title,
    selected,
    continuation: { reloadContinuationData: { continuation } },
    subtitle: selected ? 'Some messages may not be visible' : 'All messages are visible',
  });
  const suffix = chat.isReplay ? ' replay' : '';
  return {
    liveChatRenderer: {
      continuations: [{ reloadContinuationData: { continuation: chat.top } }],
      header: {
        liveChatHeaderRenderer: {
          viewSelector: {
            sortFilterSubMenuRenderer: {
              subMenuItems: [view(`Top chat${suffix}`, true, chat.top), view(`Live chat${suffix}`, false, chat.all)],
              accessibility: { accessibilityData: { label: 'Select chat mode' } },
            },
          },
        },
      },
      clientMessages: {
        reconnectMessage: { runs: [{ text: 'Chat disconnected. Reconnecting…' }] },
        unableToReconnectMessage: { runs: [{ text: 'Unable to connect to chat.' }] },
        fatalError: { runs: [{ text: 'Chat is disabled for this live stream.' }] },
        reconnectedMessage: { runs: [{ text: 'Chat reconnected.' }] },
        genericError: { runs: [{ text: 'Error, try again.' }] },
      },
      initialDisplayState: 'LIVE_CHAT_DISPLAY_STATE_EXPANDED',
      ...(chat.isReplay ? { isReplay: true } : {}),
    },
  };
}
