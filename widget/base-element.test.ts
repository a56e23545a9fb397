import { expect } from 'chai';
import { BaseElement, sheet, shell, type PropertyDeclarations, type PropertyValues } from './base-element.ts';

/** A test element that records each update's changed map and the DOM it rendered. */
class TestElement extends BaseElement {
  static override properties: PropertyDeclarations = {
    label: { type: String },
    count: { type: Number },
    on: { type: Boolean },
    state: { type: String, reflect: true },
    inner: { state: true },
  };
  static override styles = sheet(':host{display:block;color:rgb(1, 2, 3)}');
  static override shell = shell('<span class="out"></span>');
  declare label: string | undefined;
  declare count: number;
  declare on: boolean;
  declare state: string;
  declare inner: number;
  updates: [string, unknown][][] = [];
  /** Set in willUpdate: joins the update under way. */
  doubled = 0;

  constructor() {
    super();
    this.count = 1;
    this.on = false;
    this.state = 'idle';
  }

  protected override willUpdate(changed: PropertyValues) {
    this.updates.push([...changed.entries()].map(([k, v]) => [String(k), v]));
    this.doubled = this.count * 2;
  }

  protected override updated(changed: PropertyValues) {
    if (changed.has('on') && this.on) this.inner = (this.inner ?? 0) + 1;
  }

  protected override render() {
    this.setText('out', `${this.label ?? '-'} ${this.count} ${this.doubled}`);
  }
}

let n = 0;
/** A fresh tag per test: a tag is defined once per page. */
function define(cls: typeof TestElement = class extends TestElement {}) {
  const tag = `test-base-${++n}`;
  customElements.define(tag, cls);
  return tag;
}
const tick = () => new Promise((resolve) => setTimeout(resolve));
const text = (el: Element) => el.shadowRoot!.querySelector('span')!.textContent;

describe("BaseElement (the embeds' small Lit)", () => {
  const mounted: Element[] = [];
  afterEach(() => mounted.splice(0).forEach((el) => el.remove()));
  const mount = (markup: string) => {
    const box = document.createElement('div');
    box.innerHTML = markup;
    document.body.append(box);
    mounted.push(box);
    return box.firstElementChild as TestElement;
  };

  it('converts attributes like Lit (number, boolean, string) and reflects the reflected property', async () => {
    const tag = define();
    const el = mount(`<${tag} label="Hall" count="42" on></${tag}>`);
    await tick();
    expect([el.label, el.count, el.on]).to.deep.equal(['Hall', 42, true]);
    expect(el.getAttribute('state')).to.equal('idle');
    expect(text(el)).to.equal('Hall 42 84');
    el.removeAttribute('on');
    el.setAttribute('count', 'x');
    el.state = 'live';
    await tick();
    expect(el.on).to.equal(false);
    expect(Number.isNaN(el.count)).to.equal(true);
    expect(el.getAttribute('state')).to.equal('live');
    expect(getComputedStyle(el).color).to.equal('rgb(1, 2, 3)');
  });

  it('batches changes into one update whose map holds each first old value; willUpdate changes join it', async () => {
    const tag = define();
    const el = mount(`<${tag}></${tag}>`);
    await tick();
    el.updates = [];
    el.count = 2;
    el.count = 3;
    el.label = 'A';
    el.label = 'A';
    await tick();
    expect(el.updates).to.deep.equal([
      [
        ['count', 1],
        ['label', undefined],
      ],
    ]);
    expect(text(el)).to.equal('A 3 6');
    el.count = 3; // unchanged: no update
    await tick();
    expect(el.updates).to.have.length(1);
  });

  it('a change made in updated() schedules the next update; state properties have no attribute', async () => {
    const tag = define();
    const el = mount(`<${tag}></${tag}>`);
    await tick();
    el.updates = [];
    el.on = true;
    await tick();
    expect(el.updates).to.deep.equal([[['on', false]], [['inner', undefined]]]);
    expect(el.hasAttribute('inner')).to.equal(false);
  });

  it('sets a text only when it differs (a live region must not hear a repeat)', async () => {
    const tag = define();
    const el = mount(`<${tag} label="Same"></${tag}>`);
    await tick();
    const records: MutationRecord[] = [];
    const watch = new MutationObserver((r) => records.push(...r));
    watch.observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true });
    el.inner = 5; // an update whose text is the same
    await tick();
    expect(el.updates).to.have.length(2);
    expect(records).to.have.length(0);
    el.label = 'Other';
    await tick();
    watch.disconnect();
    expect(text(el)).to.equal('Other 1 2');
    expect(records).to.have.length.above(0);
  });

  it('does not update before it is connected, and keeps a property set before it was defined', async () => {
    const tag = `test-base-${++n}`;
    const early = document.createElement(tag) as TestElement;
    (early as unknown as { count: number }).count = 7; // a plain property until the class is defined
    document.body.append(early);
    mounted.push(early);
    const detached = document.createElement(tag);
    customElements.define(tag, class extends TestElement {});
    customElements.upgrade(detached);
    await tick();
    expect((detached as TestElement).updates).to.deep.equal([]);
    expect(early.count).to.equal(7);
    expect(text(early)).to.equal('- 7 14');
  });
});
