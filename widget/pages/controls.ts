// The look shared by the page elements: surfaces, fields, buttons, a focus ring that always shows,
// all from the --lp-* custom properties the page shell defines for light and dark.
import { css } from 'lit';

export const controls = css`
  :host {
    font-family: var(--lp-font, system-ui, sans-serif);
    color: var(--lp-text, #1b1f24);
  }
  * {
    box-sizing: border-box;
  }
  h1,
  h2,
  h3 {
    margin: 0;
    line-height: 1.2;
  }
  h2 {
    font-size: 1.25rem;
  }
  h3 {
    font-size: 1rem;
  }
  .card > h2 {
    margin-bottom: 0.75rem;
  }
  .card {
    background: var(--lp-surface, #fff);
    border: 1px solid var(--lp-border, #d0d5dc);
    border-radius: var(--lp-radius, 8px);
    padding: 1rem;
  }
  label {
    font-size: 0.875rem;
    font-weight: 600;
  }
  input:not([type='checkbox']),
  select,
  textarea {
    font: inherit;
    color: inherit;
    background: var(--lp-bg, #f4f5f7);
    border: 1px solid var(--lp-border, #d0d5dc);
    border-radius: calc(var(--lp-radius, 8px) - 2px);
    padding: 0.45rem 0.6rem;
    min-width: 0;
  }
  input[aria-invalid='true'] {
    border-color: var(--lp-danger, #b42318);
  }
  textarea {
    width: 100%;
    font-family: ui-monospace, SFMono-Regular, Menlo, monospace;
    font-size: 0.8rem;
    resize: vertical;
  }
  button,
  .button {
    font: inherit;
    font-size: 0.9rem;
    display: inline-flex;
    align-items: center;
    gap: 0.35rem;
    padding: 0.45rem 0.8rem;
    border-radius: calc(var(--lp-radius, 8px) - 2px);
    border: 1px solid var(--lp-border, #d0d5dc);
    background: var(--lp-surface, #fff);
    color: var(--lp-text, #1b1f24);
    cursor: pointer;
    text-decoration: none;
    white-space: nowrap;
  }
  button.primary {
    background: var(--lp-accent, #1d4ed8);
    border-color: var(--lp-accent, #1d4ed8);
    color: var(--lp-on-accent, #fff);
  }
  button.danger {
    color: var(--lp-danger, #b42318);
  }
  /* A toggle (aria-pressed) that is on reads as on: the accent, like a chosen range. */
  button[aria-pressed='true'] {
    background: var(--lp-accent, #1d4ed8);
    border-color: var(--lp-accent, #1d4ed8);
    color: var(--lp-on-accent, #fff);
  }
  button:disabled {
    opacity: 0.6;
    cursor: default;
  }
  a {
    color: var(--lp-accent, #1d4ed8);
  }
  :focus-visible {
    outline: 3px solid var(--lp-focus, #1d4ed8);
    outline-offset: 2px;
  }
  .muted {
    color: var(--lp-muted, #55606c);
  }
  .error {
    color: var(--lp-danger, #b42318);
    font-size: 0.875rem;
    margin: 0.25rem 0 0;
  }
  .error:empty {
    display: none;
  }
  .row {
    display: flex;
    flex-wrap: wrap;
    gap: 0.5rem;
    align-items: end;
  }
  .field {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
  }
  .grow {
    flex: 1 1 12rem;
  }
  .num {
    font-variant-numeric: tabular-nums;
  }
  .sr-only {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
`;
