// <livepulse-overlay> on air: what an OBS scene shows (screenshots in test-output/overlay/).
import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import { FakeEvent, mount, unmountAll, waitFor } from '../testing/backend.ts';
import type { LivepulseOverlay } from './livepulse-overlay.ts';
import './view-entry.ts';

/** The overlay over a scene with a dark and a bright half, as OBS composites it. */
function scene(attrs: string): { wrap: HTMLElement; el: LivepulseOverlay } {
  const wrap = mount<HTMLElement>(
    `<div style="width: 1280px; height: 360px; background: linear-gradient(90deg, #111827 50%, #f1f5f9 50%)">
      <livepulse-overlay ${attrs} style="height: 360px"></livepulse-overlay>
    </div>`,
  );
  return { wrap, el: wrap.querySelector<LivepulseOverlay>('livepulse-overlay')! };
}

async function shoot(wrap: HTMLElement, name: string) {
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  const r = wrap.getBoundingClientRect();
  await executeServerCommand('screenshot', {
    name: `overlay/${name}`,
    clip: { x: r.x, y: r.y, width: r.width, height: r.height },
  });
}

const counter = (el: Element) => el.shadowRoot!.querySelector('livepulse-counter')!;

describe('<livepulse-overlay>', () => {
  before(() => setViewport({ width: 1300, height: 800 }));
  afterEach(() => unmountAll());

  it('a stream with no count yet (a channel not polled yet) keeps the scene clear: no box, no "–"', async () => {
    const e = await FakeEvent.create({
      streams: [
        { id: 's1', label: 'Main stage', viewers: 700 },
        { id: 's2', label: 'youtube.com/@channel', viewers: null, status: 'pending', follows: true, videoId: null },
      ],
    });
    const { wrap, el } = scene(`event="${e.id}" view="counter" stream="s2" lang="en"`);
    await waitFor(() => el.getAttribute('state') === 'no-data', `no-data (is ${el.getAttribute('state')})`, 5000);
    expect(getComputedStyle(counter(el)).visibility).to.equal('hidden');
    expect(el.shadowRoot!.querySelector('[part="marker"]')).to.equal(null);
    await shoot(wrap, 'stream-no-count');
  });

  it('the live stream beside it is on air', async () => {
    const e = await FakeEvent.create({
      streams: [
        { id: 's1', label: 'Main stage', viewers: 700 },
        { id: 's2', label: 'youtube.com/@channel', viewers: null, status: 'pending', follows: true, videoId: null },
      ],
    });
    const { wrap, el } = scene(`event="${e.id}" view="counter" stream="s1" lang="en"`);
    await waitFor(() => el.getAttribute('state') === 'live', `live (is ${el.getAttribute('state')})`, 5000);
    expect(getComputedStyle(counter(el)).visibility).to.equal('visible');
    await shoot(wrap, 'stream-live');
  });

  it('a 1,234,567 total at size=300 on a 1280 px scene is drawn smaller to stay whole on screen', async () => {
    const e = await FakeEvent.create({ streams: [{ id: 's1', label: 'Main stage', viewers: 1_234_567 }] });
    const { wrap, el } = scene(`event="${e.id}" view="counter" size="300" lang="en"`);
    await waitFor(() => el.getAttribute('state') === 'live', `live (is ${el.getAttribute('state')})`, 5000);
    const value = () => counter(el).shadowRoot!.querySelector('[part="value"]')!;
    await waitFor(() => /^1.234.567$/.test(value().textContent ?? ''), `the number (${value().textContent})`, 5000);
    await waitFor(
      () => value().getBoundingClientRect().right <= wrap.getBoundingClientRect().right,
      `the number inside the scene (right edge ${value().getBoundingClientRect().right})`,
      3000,
    );
    expect(parseFloat(getComputedStyle(value()).fontSize), 'still as big as the scene allows').to.be.at.least(150);
    await shoot(wrap, 'counter-long-number');
  });
});
