// Browser tests of the widgets (widget/**/*.test.ts) in Debian's Chromium, against two backends: a fake
// served by the test server itself (widget/testing/fake-backend.js, driven per test through /__fake/:id) for
// states that are hard to provoke, and the real LivePulse server on the simulator (real-backend.js).
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { fakeBackend } from './widget/testing/fake-backend.js';
import { realBackend } from './widget/testing/real-backend.js';

/** `executeServerCommand('screenshot', {name, transparent, clip})`: a PNG of the test page in test-output/, returned as base64 too. */
const screenshots = {
  name: 'livepulse-screenshot',
  async executeCommand({ command, payload, session }) {
    if (command !== 'screenshot') return undefined;
    const page = session.browser.getPage(session.id);
    const path = `test-output/${payload.name}.png`;
    await mkdir(dirname(path), { recursive: true });
    const png = await page.screenshot({ path, omitBackground: Boolean(payload.transparent), clip: payload.clip });
    return { path, base64: Buffer.from(png).toString('base64') };
  },
};

const real = realBackend();

export default {
  files: 'widget/**/*.test.ts',
  nodeResolve: true,
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' }), screenshots, real.plugin],
  middleware: [fakeBackend(), real.middleware],
  testFramework: { config: { timeout: 20_000 } },
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      },
    }),
  ],
};
