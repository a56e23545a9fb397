// The small server-rendered pages of signing in: /login, the one-click page of a single-use magic
// link, and the "this link is expired / used / not valid" answers. No third-party resources, no inline script.
import { pageShell } from '../pages/shell.ts';

// The admin's palette (THEME in server/pages/shell.ts), so signing in looks like the admin it leads to.
const STYLE = `
  body { min-height: 100vh; display: grid; place-items: center; }
  main { width: min(22rem, 90vw); padding: 2rem; background: var(--lp-surface); border: 1px solid var(--lp-border); border-radius: 12px; }
  h1 { font-size: 1.25rem; margin: 0 0 1rem; }
  label { display: block; margin-bottom: .35rem; font-size: .9rem; }
  input, button { width: 100%; box-sizing: border-box; font: inherit; padding: .6rem .75rem; border-radius: var(--lp-radius); }
  input { border: 1px solid var(--lp-border); background: var(--lp-bg); color: var(--lp-text); }
  :focus-visible { outline: 3px solid var(--lp-focus); outline-offset: 2px; }
  button { margin-top: 1rem; border: 0; background: var(--lp-accent); color: var(--lp-on-accent); cursor: pointer; }
  button:disabled { opacity: .6; }
  [role=alert] { min-height: 1.2em; color: var(--lp-danger); font-size: .9rem; margin: .75rem 0 0; }
  a { color: var(--lp-accent); }
`;

function page(title: string, body: string, script?: string): string {
  return pageShell({
    lang: 'en',
    title: `${title} · LivePulse`,
    script,
    body: `<main>\n${body}\n</main>`,
    style: STYLE,
  });
}

export function loginPage(): string {
  return page(
    'Log in',
    `<h1>LivePulse admin</h1>
<form id="login" method="post" action="/api/auth/login">
  <label for="password">Admin password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required autofocus maxlength="1024">
  <button type="submit">Log in</button>
  <p role="alert" id="error"></p>
</form>`,
    '/login.js',
  );
}

/** Posts the password as JSON (the only body the login route accepts) and goes to /admin on success. */
export const LOGIN_SCRIPT = `const form = document.getElementById('login');
const error = document.getElementById('error');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = form.querySelector('button');
  button.disabled = true;
  error.textContent = '';
  try {
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ password: form.password.value }),
    });
    if (res.ok) {
      location.assign('/admin');
      return;
    }
    const body = await res.json().catch(() => null);
    error.textContent = body?.error?.message ?? 'Login failed (' + res.status + ')';
  } catch {
    error.textContent = 'The server cannot be reached.';
  }
  button.disabled = false;
});
`;

/** A single-use link is spent only by this click, so mail scanners that fetch the link do not use it up. */
export function confirmMagicPage(): string {
  // No action attribute: the form posts back to this very URL, token included, so the page never
  // has to carry the token itself.
  return page(
    'Sign in',
    `<h1>Sign in to LivePulse</h1>
<p>This sign-in link works once.</p>
<form method="post"><button type="submit">Sign in</button></form>`,
  );
}

export type LinkProblem = 'expired' | 'used' | 'invalid';

const PROBLEMS: Record<LinkProblem, { title: string; text: string }> = {
  expired: { title: 'Link expired', text: 'This sign-in link has expired.' },
  used: { title: 'Link already used', text: 'This sign-in link was already used. It worked only once.' },
  invalid: {
    title: 'Link not valid',
    text: 'This sign-in link is not valid: it is incomplete, altered, or was revoked when the admin password or secret changed.',
  },
};

export function magicProblemPage(problem: LinkProblem): string {
  const { title, text } = PROBLEMS[problem];
  return page(
    title,
    `<h1>${title}</h1>\n<p>${text}</p>\n<p><a href="/login">Log in with the password</a> or ask for a new link.</p>`,
  );
}
