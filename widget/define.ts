// Registers a custom element unless its tag is taken: a page may load the bundle twice (or both bundles).
export function define(tag: string, element: CustomElementConstructor) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}
