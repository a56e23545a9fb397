// The process survives a PostgreSQL connection that dies with a write buffered (issue 13, defect 8;
// porsager/postgres#1066, #1154, #1208, carried as patches/postgres+3.4.9.patch). The crash is a throw
// from setImmediate that exits the process, so each case runs in a child process (server/db/testing/pg-crash-child.ts).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe.runIf(process.env.TEST_DATABASE_URL)('a PostgreSQL connection killed with a write buffered', () => {
  const child = async (scenario: string) => {
    try {
      const { stdout } = await run(
        process.execPath,
        ['--import', 'tsx', 'server/db/testing/pg-crash-child.ts', scenario],
        {
          env: { ...process.env, CRASH_DATABASE_URL: process.env.TEST_DATABASE_URL },
          timeout: 60_000,
        },
      );
      return JSON.parse(stdout.trim().split('\n').pop()!);
    } catch (error) {
      const e = error as { code?: number; stderr?: string };
      throw new Error(
        `the process died (exit ${e.code}): ${e.stderr?.split('\n').find((l) => l.includes('Error')) ?? e.stderr}`,
      );
    }
  };

  it('a query on a reserved connection whose backend was terminated is rejected, and the pool answers again', async () => {
    expect(await child('reserved')).toEqual({
      scenario: 'reserved',
      deadQuery: 'rejected CONNECTION_CLOSED',
      after: ['ok', 'ok', 'ok'],
    });
  }, 90_000);

  it('a CSV COPY stalled by back-pressure whose backend is terminated ends, releases its connection, and the pool answers again', async () => {
    // One connection in the pool: a reservation that leaked or a connection that never flushes again would hang `after`.
    expect(await child('copy')).toEqual({
      scenario: 'copy',
      killed: 1,
      copyEnd: 'ok',
      after: ['ok', 'ok', 'ok', 'ok'],
    });
  }, 90_000);
});
