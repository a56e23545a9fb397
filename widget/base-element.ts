// What the embeds used of Lit, in a fraction of its bytes (Lit was 5.4 of the counter's 10 KB gzip): declared
// properties with attribute conversion and reflection, one batched update per microtask (willUpdate, render,
// updated), a shadow root with one constructed style sheet and a fixed shell of markup whose texts render() sets.
// Same semantics as Lit for what is here: the changed map holds each property's first old value, changes made in
// willUpdate join the update under way, changes in render or updated() schedule the next one, the first update
// waits for the element to be connected, and a property set before the element was defined wins over defaults.
// The pages' own elements use Lit itself.

export interface PropertyOptions {
  /** How the attribute (the property's name in lower case) becomes the value; none for `state`. */
  type?: typeof String | typeof Number | typeof Boolean;
  /** Written back to the attribute after each update. */
  reflect?: boolean;
  /** Internal: no attribute, still updates. */
  state?: boolean;
}
export type PropertyDeclarations = Record<string, PropertyOptions>;
export type PropertyValues = Map<PropertyKey, unknown>;

/** A constructed style sheet for `static styles` (vite.config.ts minifies the literal). */
export function sheet(text: string): CSSStyleSheet {
  const s = new CSSStyleSheet();
  s.replaceSync(text);
  return s;
}

/** The fixed markup of a shadow root (`static shell`), parsed once; render() fills in its texts. */
export function shell(markup: string): HTMLTemplateElement {
  const template = document.createElement('template');
  template.innerHTML = markup;
  return template;
}

type Values = Record<string, unknown>;
type ElementClass = typeof BaseElement;

/** Every class's declarations, its ancestors' first. */
function declarations(cls: ElementClass): PropertyDeclarations {
  const parent = Object.getPrototypeOf(cls) as ElementClass;
  const own = Object.hasOwn(cls, 'properties') ? cls.properties : {};
  return parent.prototype instanceof BaseElement || parent === BaseElement ? { ...declarations(parent), ...own } : own;
}

/** Lit's defaultConverter.fromAttribute, for the types used here. */
function fromAttribute(value: string | null, type: PropertyOptions['type']): unknown {
  return type === Boolean ? value !== null : type === Number ? (value === null ? null : Number(value)) : value;
}

const finalized = new WeakSet<ElementClass>();

export abstract class BaseElement extends HTMLElement {
  static properties: PropertyDeclarations = {};
  static styles?: CSSStyleSheet;
  static shell?: HTMLTemplateElement;

  /** Called by customElements.define: the properties' accessors are made then. */
  static get observedAttributes(): string[] {
    const props = declarations(this);
    if (!finalized.has(this)) {
      finalized.add(this);
      for (const name of Object.keys(props)) {
        if (Object.hasOwn(this.prototype, name)) continue;
        Object.defineProperty(this.prototype, name, {
          get(this: BaseElement) {
            return this.#values.get(name);
          },
          set(this: BaseElement, value: unknown) {
            const old = this.#values.get(name);
            this.#values.set(name, value);
            this.requestUpdate(name, old);
          },
          configurable: true,
          enumerable: true,
        });
      }
    }
    return Object.keys(props)
      .filter((name) => !props[name].state)
      .map((name) => name.toLowerCase());
  }

  declare renderRoot: ShadowRoot;
  #values = new Map<string, unknown>();
  #changed: PropertyValues = new Map();
  /** Set before the element was defined: shadowed the accessors, applied at the first update. */
  #early: [string, unknown][] | null = [];
  #pending = false;
  #enabled = false;
  #reflecting = false;

  constructor() {
    super();
    const props = declarations(this.constructor as ElementClass);
    for (const name of Object.keys(props)) {
      if (!Object.hasOwn(this, name)) continue;
      this.#early!.push([name, (this as unknown as Values)[name]]);
      delete (this as unknown as Values)[name];
    }
    this.requestUpdate();
  }

  /** Marks `name` changed (from `old`) and schedules an update; without a name, just schedules one. */
  requestUpdate(name?: string, old?: unknown) {
    if (name !== undefined) {
      if (Object.is((this as unknown as Values)[name], old)) return;
      if (!this.#changed.has(name)) this.#changed.set(name, old);
    }
    if (this.#pending) return;
    this.#pending = true;
    if (this.#enabled) queueMicrotask(() => this.#update());
  }

  connectedCallback() {
    if (!this.renderRoot) {
      this.renderRoot = this.attachShadow({ mode: 'open' });
      const styles = (this.constructor as ElementClass).styles;
      if (styles) this.renderRoot.adoptedStyleSheets = [styles];
    }
    if (this.#enabled) return;
    this.#enabled = true;
    if (this.#pending) queueMicrotask(() => this.#update());
  }

  disconnectedCallback() {}

  attributeChangedCallback(attribute: string, _old: string | null, value: string | null) {
    if (this.#reflecting) return;
    const props = declarations(this.constructor as ElementClass);
    const name = Object.keys(props).find((n) => n.toLowerCase() === attribute);
    if (name) (this as unknown as Values)[name] = fromAttribute(value, props[name].type);
  }

  /** Before rendering; what changes here joins this update. */
  protected willUpdate?(changed: PropertyValues): void;
  /** After rendering; what changes here schedules the next update. */
  protected updated?(changed: PropertyValues): void;
  /** Brings the shell's texts up to date (setText), at each update. */
  protected render?(): void;

  /** Sets the text of the shell's element of class `name`, only when it differs (as lit-html commits). */
  protected setText(name: string, text: string) {
    const el = this.renderRoot.querySelector(`.${name}`)!;
    if (el.textContent !== text) el.textContent = text;
  }

  #update() {
    if (!this.#pending) return;
    if (this.#early) {
      for (const [name, value] of this.#early) (this as unknown as Values)[name] = value;
      this.#early = null;
    }
    const changed = this.#changed;
    this.willUpdate?.(changed);
    const props = declarations(this.constructor as ElementClass);
    this.#reflecting = true;
    for (const name of changed.keys()) {
      if (!props[name as string]?.reflect) continue;
      const value = (this as unknown as Values)[name as string];
      const attribute = (name as string).toLowerCase();
      if (value == null) this.removeAttribute(attribute);
      else this.setAttribute(attribute, value as string); // reflected properties are strings
    }
    this.#reflecting = false;
    this.#changed = new Map();
    this.#pending = false;
    const { shell } = this.constructor as ElementClass;
    if (shell && !this.renderRoot.firstChild) this.renderRoot.append(shell.content.cloneNode(true));
    this.render?.();
    this.updated?.(changed);
  }
}
