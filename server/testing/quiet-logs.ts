// vitest setup file: in-process servers in tests log warnings and errors only. Server processes that
// tests spawn (runServer) log everything, since some tests read those logs.
import { quietInfo } from '../log.ts';

quietInfo();
