// `npm run simulator [-- --port 8090 --host 127.0.0.1 --seed 1 --empty]`: runs the YouTube simulator on
// its own, with the demo streams unless --empty, and prints the base URL to point LivePulse at.
import { parseArgs } from 'node:util';
import { demoScenario } from './demo-scenario.ts';
import { startSimulator } from './simulator.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8090' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string', default: '1' },
    empty: { type: 'boolean', default: false },
  },
});
const port = Number(values.port);
const seed = Number(values.seed);
const problem =
  !/^\d+$/.test(values.port) || port > 65535
    ? `--port must be a whole number from 0 to 65535, got ${values.port}`
    : !Number.isSafeInteger(seed)
      ? `--seed must be a whole number, got ${values.seed}`
      : undefined;
if (problem) {
  process.stderr.write(`${problem}\n`);
  process.exit(2);
}

const sim = await startSimulator({ host: values.host, port, seed });
const ids = values.empty ? [] : demoScenario(sim);
process.stdout.write(
  `YouTube simulator listening.\n` +
    `  YT_API_BASE_URL=${sim.baseUrl}\n` +
    `  YT_API_KEY=any-key-of-20-or-more-chars (the simulator accepts any key)\n` +
    `  control: ${sim.origin}/_control/ (videos, faults, calls, reset)\n` +
    (ids.length ? `  live demo videos: ${ids.join(', ')}\n` : ''),
);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
}
