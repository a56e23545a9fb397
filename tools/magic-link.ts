// `npm run magic-link -- [--base-url URL] [--ttl 24h] [--once]`: prints a sign-in link for the admin,
// signed with the same configuration and secrets as the server (./.env, the environment, DATA_DIR/secrets.json).
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, parseDuration } from '../server/config.ts';
import { DEFAULT_MAGIC_TTL, MAX_MAGIC_TTL, magicUrl, signMagicLink } from '../server/auth/magic-link.ts';
import { resolveSecrets, secretsFile } from '../server/secrets.ts';

const USAGE = 'Usage: npm run magic-link -- [--base-url https://live.example.org] [--ttl 24h] [--once]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

async function main() {
  let args;
  try {
    args = parseArgs({
      options: {
        'base-url': { type: 'string' },
        ttl: { type: 'string' },
        once: { type: 'boolean', default: false },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const ttlSeconds = args.ttl === undefined ? DEFAULT_MAGIC_TTL : parseDuration(args.ttl);
  if (ttlSeconds === undefined || ttlSeconds > MAX_MAGIC_TTL)
    fail(`--ttl: expected a duration from 1s to 365d such as 15m, 24h or 7d, got "${args.ttl}"`);
  if (args['base-url'] !== undefined && !/^https?:\/\/[^\s/]+(\/\S*)?$/.test(args['base-url']))
    fail(`--base-url: expected an http(s) URL, got "${args['base-url']}"`);

  let env;
  try {
    env = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  // Never generate secrets here: a link signed with a secret the server does not hold is refused by it,
  // which is worse than no link (run from another directory, a DATA_DIR left out of the command).
  const secrets = resolveSecrets(env, { create: false });
  if (secrets.missing.length) {
    process.stderr.write(
      `No ${secrets.missing.join(' and no ')}: neither in the environment nor in ${secretsFile(env)}.\n` +
        `Run this where the server runs, with its DATA_DIR (or its AUTH_SECRET), after it has started once.\n`,
    );
    process.exit(1);
  }
  const config = Object.freeze({ ...env, ADMIN_PASSWORD: secrets.adminPassword, AUTH_SECRET: secrets.authSecret });
  const base = args['base-url'] ?? (config.PUBLIC_BASE_URL || `http://localhost:${config.PORT}`);
  const { token, expiresAt } = await signMagicLink(config, { ttlSeconds, once: args.once });

  process.stdout.write(
    `${args.once ? 'Single-use' : 'Reusable'} sign-in link, valid until ${expiresAt.toISOString()}:\n\n` +
      `  ${magicUrl(base, token)}\n\n` +
      `Token: ${token}\n`,
  );
}

await main();
