import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import type { EventInfo } from '../../server/wire.ts';
import { define } from '../define.ts';
import { mount, unmountAll } from '../testing/backend.ts';
import { LivepulseEmbedSnippets } from './livepulse-embed-snippets.ts';

define('livepulse-embed-snippets', LivepulseEmbedSnippets);

const event: EventInfo = {
  id: 'ev1',
  name: 'Spring Conference',
  public: true,
  paused: false,
  startsAt: null,
  endsAt: null,
  createdAt: new Date().toISOString(),
  streams: [],
};

async function snippets(patch: Partial<EventInfo>, token: string | null) {
  const el = mount<LivepulseEmbedSnippets>('<livepulse-embed-snippets></livepulse-embed-snippets>');
  el.event = { ...event, ...patch };
  el.token = token;
  await el.updateComplete;
  const root = el.shadowRoot!;
  const value = (id: string) => root.querySelector<HTMLTextAreaElement>(`#snippet-${id}`)?.value ?? '';
  const notes = [...root.querySelectorAll('p.muted')].map((p) => p.textContent ?? '');
  return { value, notes };
}

describe('<livepulse-embed-snippets> live data hint', () => {
  afterEach(() => unmountAll());

  it('says &locale=fr after a ?token= URL, and ?locale=fr on a bare one', async () => {
    await setViewport({ width: 900, height: 1400 });
    const priv = await snippets({ public: false }, 'tok123');
    const r = document.querySelector('livepulse-embed-snippets')!.getBoundingClientRect();
    await executeServerCommand('screenshot', {
      name: 'admin/embed-token',
      clip: { x: r.x, y: r.y, width: Math.min(r.width, 900), height: r.height },
    });
    expect(priv.value('now-json')).to.match(/now\.json\?token=tok123$/);
    expect(priv.notes.join(' ')).to.contain('Add &locale=fr').and.not.contain('?locale=');
    unmountAll();
    const pub = await snippets({ public: true }, null);
    expect(pub.value('now-json')).to.match(/now\.json$/);
    expect(pub.notes.join(' ')).to.contain('Add ?locale=fr');
  });
});
