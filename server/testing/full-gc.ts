// A full garbage collection from inside a test, without starting Node with --expose-gc: for tests of
// code that must survive one (timeout-signal.ts).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
export const fullGc = runInNewContext('gc') as () => void;
