import { emulateMedia, executeServerCommand, setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import './index.ts';
import type { LivepulseCounter } from './livepulse-counter.ts';
import { FakeEvent, mount, part, unmountAll, waitFor } from './testing/backend.ts';

const shown = (el: Element) => el.shadowRoot?.querySelector('[part="value"]')?.textContent?.trim() ?? '';

/** How far (px) the number reaches past the box it sits in, on the right; 0 when it fits. */
function spill(el: LivepulseCounter, box: Element): number {
  const value = part(el, 'value').getBoundingClientRect();
  return Math.max(0, Math.round(value.right - box.getBoundingClientRect().right));
}

describe('<livepulse-counter> in a narrow box', () => {
  beforeEach(() => emulateMedia({ reducedMotion: 'reduce' }));
  afterEach(() => unmountAll());

  for (const locale of ['en-US', 'de-CH', 'fr-FR']) {
    it(`${locale}: 1,234,567 at a 5rem size shrinks to fit an embed 320 px wide, and grows back when there is room`, async () => {
      await setViewport({ width: 320, height: 480 });
      document.body.style.margin = '0';
      const e = await FakeEvent.create({ streams: [{ id: 's1', label: 'Main', viewers: 1_234_567 }] });
      const box = mount<HTMLElement>(
        `<div style="width: 296px; padding: 12px; background: #fff; font-family: system-ui, sans-serif"><livepulse-counter event="${e.id}" locale="${locale}" style="--livepulse-font-size: 5rem"></livepulse-counter></div>`,
      );
      const el = box.firstElementChild as LivepulseCounter;
      const expected = new Intl.NumberFormat(locale).format(1_234_567);
      await waitFor(() => shown(el) === expected, expected);
      await waitFor(() => spill(el, box) === 0, `the number inside its box (spills ${spill(el, box)} px)`, 2000);
      expect(el.getBoundingClientRect().right, 'the element inside its box').to.be.at.most(
        box.getBoundingClientRect().right,
      );
      const size = parseFloat(getComputedStyle(part(el, 'value')).fontSize);
      expect(size, 'still a big number').to.be.at.least(40);
      await executeServerCommand('screenshot', {
        name: `embed/counter-320-${locale}`,
        clip: { x: 0, y: 0, width: 320, height: 140 },
      });
      box.style.width = '900px';
      await waitFor(() => parseFloat(getComputedStyle(part(el, 'value')).fontSize) === 80, 'the full 5rem again', 2000);
    });
  }

  it('a number that fits keeps its size', async () => {
    const e = await FakeEvent.create({ streams: [{ id: 's1', label: 'Main', viewers: 1234 }] });
    const box = mount<HTMLElement>(
      `<div style="width: 296px"><livepulse-counter event="${e.id}" locale="en-US" style="--livepulse-font-size: 5rem"></livepulse-counter></div>`,
    );
    const el = box.firstElementChild as LivepulseCounter;
    await waitFor(() => shown(el) === '1,234', '1,234');
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    expect(parseFloat(getComputedStyle(part(el, 'value')).fontSize)).to.equal(80);
  });
});
