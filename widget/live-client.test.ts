import { expect } from 'chai';
import './index.ts';
import { defaultServer, subscribe, type LiveChange } from './live-client.ts';
import { FakeEvent, mount, unmountAll, waitFor } from './testing/backend.ts';

/** Counts EventSource constructions on this page while `run` goes. */
async function countingEventSources(run: () => Promise<void>): Promise<string[]> {
  const Original = window.EventSource;
  const urls: string[] = [];
  window.EventSource = class extends Original {
    constructor(url: string | URL, init?: EventSourceInit) {
      super(url, init);
      urls.push(String(url));
    }
  };
  try {
    await run();
  } finally {
    window.EventSource = Original;
  }
  return urls;
}

describe('live client', () => {
  afterEach(() => unmountAll());

  it('opens one connection for five elements of one event', async () => {
    const e = await FakeEvent.create();
    const urls = await countingEventSources(async () => {
      const host = mount(`<section>
        <livepulse-counter event="${e.id}"></livepulse-counter>
        <livepulse-counter event="${e.id}" stream="s1"></livepulse-counter>
        <livepulse-counter event="${e.id}" stream="s2" compact></livepulse-counter>
        <livepulse-chart event="${e.id}"></livepulse-chart>
        <livepulse-chart event="${e.id}" streams minutes="60"></livepulse-chart>
      </section>`);
      await waitFor(() => [...host.children].every((el) => el.getAttribute('state') === 'live'), 'all five live');
    });
    expect(urls).to.have.length(1);
    // The charts' history window wins over the counters' one minute.
    expect(new URL(urls[0]).searchParams.get('minutes')).to.equal('180');
    expect((await e.stats()).opened).to.equal(1);
  });

  it('opens a separate connection per token', async () => {
    const e = await FakeEvent.create();
    const urls = await countingEventSources(async () => {
      const host = mount(`<section>
        <livepulse-counter event="${e.id}" token="a"></livepulse-counter>
        <livepulse-counter event="${e.id}" token="b"></livepulse-counter>
      </section>`);
      await waitFor(() => [...host.children].every((el) => el.getAttribute('state') === 'live'), 'both live');
    });
    expect(urls.map((u) => new URL(u).searchParams.get('token')).sort()).to.deep.equal(['a', 'b']);
  });

  it('closes the connection when the last element leaves', async () => {
    const e = await FakeEvent.create();
    const el = mount(`<livepulse-counter event="${e.id}"></livepulse-counter>`);
    await waitFor(() => el.getAttribute('state') === 'live', 'live');
    expect((await e.stats()).open).to.equal(1);
    unmountAll();
    await waitFor(async () => (await e.stats()).open === 0, 'the server to see the connection closed');
  });

  it('replays what it knows to a late subscriber, in order', async () => {
    const e = await FakeEvent.create();
    const first: LiveChange[] = [];
    const leave = subscribe({ server: defaultServer(), event: e.id, minutes: 5 }, (c) => first.push(c));
    try {
      await waitFor(() => first.some((c) => c.type === 'link' && c.link === 'open'), 'live');
      await e.sample({ s1: 1, s2: 2 });
      await waitFor(() => first.some((c) => c.type === 'sample'), 'the sample');
      const late: LiveChange[] = [];
      const leaveLate = subscribe({ server: defaultServer(), event: e.id, minutes: 5 }, (c) => late.push(c));
      expect(late.map((c) => c.type)).to.deep.equal(['history', 'sample', 'status', 'link']);
      leaveLate();
      expect((await e.stats()).opened).to.equal(1);
    } finally {
      leave();
    }
  });

  it('defaults the server to the origin the script came from, without /widget/', () => {
    expect(defaultServer()).to.equal(`${location.origin}/`);
  });
});
