import base from './vite.config.ts';
const MODE = process.env.EXP ?? '';
const envs = Object.fromEntries(
  Object.entries(base.environments!)
    .filter(([k]) => k === 'client' || k === 'counter')
    .map(([k, v]) => {
      const output: any = { ...(v.build!.rollupOptions!.output as object) };
      if (MODE.includes('mangle')) output.minify = { mangleProps: { include: /^_(private|internal)_/ } };
      const rollupOptions: any = { ...v.build!.rollupOptions, output };
      const ts: any = {};
      if (MODE.includes('prs')) ts.propertyReadSideEffects = false;
      if (MODE.includes('msf')) ts.moduleSideEffects = false;
      if (MODE.includes('ugs')) ts.unknownGlobalSideEffects = false;
      if (MODE.includes('pws')) ts.propertyWriteSideEffects = false;
      rollupOptions.treeshake = ts;
      return [k, { ...v, build: { ...v.build, outDir: '/tmp/exp', rollupOptions, ...(MODE.includes('esnext') ? { target: 'esnext' } : {}), ...(MODE.includes('nomin') ? { minify: false } : {}) } }];
    }),
);
export default {
  ...base,
  resolve: MODE.includes('dev')
    ? { alias: { 'lightweight-charts': '/work/wt/widget/node_modules/lightweight-charts/dist/lightweight-charts.development.mjs' } }
    : {},
  environments: envs,
};
