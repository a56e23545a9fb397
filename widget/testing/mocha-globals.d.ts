// The mocha globals @web/test-runner gives the widget tests (its bundled mocha comes without types).
interface MochaContext {
  timeout(ms: number): void;
}
type MochaFn = (this: MochaContext) => void | Promise<void>;
declare const describe: ((title: string, fn: () => void) => void) & { skip(title: string, fn: () => void): void };
declare function it(title: string, fn: MochaFn): void;
declare function before(fn: MochaFn): void;
declare function after(fn: MochaFn): void;
declare function beforeEach(fn: MochaFn): void;
declare function afterEach(fn: MochaFn): void;
