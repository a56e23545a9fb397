// Builds the widget bundles into dist/widget/: livepulse.js (every element, lightweight-charts inside) and
// livepulse-counter.js (the counter alone). Each is one self-contained file, so an embed costs one request;
// rolldown inlines everything only for a single input, hence one build environment per bundle.
import { defineConfig, type EnvironmentOptions } from 'vite';

const OUT_DIR = 'dist/widget';

function bundle(name: string, input: string, emptyOutDir: boolean): EnvironmentOptions {
  return {
    consumer: 'client',
    build: {
      outDir: OUT_DIR,
      emptyOutDir,
      copyPublicDir: false,
      rollupOptions: {
        input: { [name]: input },
        output: { format: 'es', entryFileNames: '[name].js', chunkFileNames: 'chunks/[name]-[hash].js', codeSplitting: false },
      },
    },
  };
}

export default defineConfig({
  // Any `builder` makes `vite build` build every environment, in the order below.
  builder: {},
  environments: {
    client: bundle('livepulse', 'widget/index.ts', true),
    counter: bundle('livepulse-counter', 'widget/counter-entry.ts', false),
    // The pages' own bundles (dist/widget/pages/), kept apart so the embeds above never carry them.
    admin: bundle('pages/admin', 'widget/pages/admin-entry.ts', false),
    view: bundle('pages/view', 'widget/pages/view-entry.ts', false),
  },
});
