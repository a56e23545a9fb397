import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import { expect } from 'chai';
import './index.ts';
import { LivepulseChart, LivepulseCounter } from './index.ts';
import { FakeEvent, mount, unmountAll, waitFor } from './testing/backend.ts';

/** A wavy evening of viewers with a pause in the middle, for pictures that look like real use. */
function evening(points: number): (number | null)[] {
  return Array.from({ length: points }, (_, i) =>
    i > 50 && i < 58 ? null : Math.round(9000 + 3000 * Math.sin(i / 9) + 40 * i),
  );
}

async function decode(base64: string): Promise<ImageData> {
  const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
}

describe('bundle', () => {
  afterEach(() => unmountAll());

  it('registers both tags, and tolerates the built bundles loaded on top', async () => {
    expect(customElements.get('livepulse-counter')).to.equal(LivepulseCounter);
    expect(customElements.get('livepulse-chart')).to.equal(LivepulseChart);
    // The same page loading the full and the counter-only bundle as well: nothing throws, the first wins.
    for (const url of [
      '/dist/widget/livepulse.js',
      '/dist/widget/livepulse-counter.js',
      '/dist/widget/livepulse.js?again',
    ]) {
      await import(/* @vite-ignore */ url);
    }
    expect(customElements.get('livepulse-counter')).to.equal(LivepulseCounter);
  });

  for (const look of ['light', 'transparent'] as const) {
    it(`renders counter and chart on a ${look} page (test-output/widgets-${look}.png)`, async () => {
      await setViewport({ width: 960, height: 540 });
      const e = await FakeEvent.create({ history: evening(90), intervalSeconds: 60 });
      const page = mount<HTMLElement>(
        `<div class="stage">
          <livepulse-counter event="${e.id}" locale="en-US"></livepulse-counter>
          <livepulse-counter event="${e.id}" locale="fr-CA" stream="s1" compact></livepulse-counter>
          <livepulse-chart event="${e.id}" locale="en-US" streams></livepulse-chart>
        </div>`,
      );
      const stage = page;
      Object.assign(stage.style, {
        width: '900px',
        padding: '24px',
        display: 'grid',
        gridTemplateColumns: 'auto auto 1fr',
        gap: '16px 40px',
        alignItems: 'start',
        fontFamily: 'system-ui, sans-serif',
        color: look === 'light' ? '#1f2937' : '#ffffff',
        background: look === 'light' ? '#f8fafc' : 'transparent',
      });
      document.body.style.margin = '0';
      document.body.style.background = look === 'light' ? '#f8fafc' : 'transparent';
      const chart = stage.querySelector('livepulse-chart')!;
      chart.style.gridColumn = '1 / -1';
      chart.style.height = '320px';
      const counter = stage.querySelector('livepulse-counter')!;
      counter.style.setProperty('--livepulse-font-size', '64px');
      await waitFor(() => chart.getAttribute('state') === 'live' && counter.getAttribute('state') === 'live', 'live');
      await e.sample({ s1: 9700, s2: 4100 });
      await new Promise((r) => setTimeout(r, 900)); // the counter's transition, and the chart's repaint
      const box = stage.getBoundingClientRect();
      const shot = await executeServerCommand<{ path: string; base64: string }, unknown>('screenshot', {
        name: `widgets-${look}`,
        transparent: look === 'transparent',
        clip: { x: box.x, y: box.y, width: box.width, height: box.height },
      });
      expect(shot.path).to.equal(`test-output/widgets-${look}.png`);
      const pixels = await decode(shot.base64);
      const alphaAt = (x: number, y: number) => pixels.data[(y * pixels.width + x) * 4 + 3];
      expect(alphaAt(2, 2), 'corner').to.equal(look === 'transparent' ? 0 : 255);
      if (look === 'transparent') {
        // For a human to look at: the same PNG over a dark scene, as OBS would show it.
        unmountAll();
        document.body.style.background = '#1e2a36';
        const img = mount<HTMLImageElement>(`<img src="data:image/png;base64,${shot.base64}" style="display:block">`);
        await img.decode();
        const r = img.getBoundingClientRect();
        await executeServerCommand('screenshot', {
          name: 'widgets-transparent-over-dark',
          clip: { x: r.x, y: r.y, width: r.width, height: r.height },
        });
      }
    });
  }
});
