// Builds the widget bundles into dist/widget/: livepulse.js (every element, lightweight-charts inside) and
// livepulse-counter.js (the counter alone). Each is one self-contained file, so an embed costs one request;
// rolldown inlines everything only for a single input, hence one build environment per bundle.
import { defineConfig, type EnvironmentOptions, type Plugin } from 'vite';

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
        output: {
          format: 'es',
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
          codeSplitting: false,
        },
      },
    },
  };
}

/**
 * Lit styles are template literals the JS minifier keeps verbatim: comments and indentation went into the
 * embeds (150 bytes of the counter's gzip budget). Only literals without `${}` are touched, and only
 * whitespace that CSS ignores (around `{ } ; ,` and after `:`; a space before `:` may be a descendant
 * combinator and stays), and the 0 of 0.5.
 */
export function minifyCss(code: string): string {
  return code.replace(/\bcss`([^`$]*)`/g, (_, body: string) => {
    const min = body
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/\s*([{};,])\s*/g, '$1')
      .replace(/:\s+/g, ':')
      .replace(/([\s:,(])0\./g, '$1.')
      .replace(/;}/g, '}')
      .trim();
    return `css\`${min}\``;
  });
}

const cssLiterals: Plugin = {
  name: 'livepulse-minify-css-literals',
  apply: 'build',
  transform(code, id) {
    return /\/widget\/.*\.ts$/.test(id) && code.includes('css`') ? { code: minifyCss(code), map: null } : null;
  },
};

export default defineConfig({
  plugins: [cssLiterals],
  // Any `builder` makes `vite build` build every environment, in the order below.
  builder: {},
  environments: {
    client: bundle('livepulse', 'widget/index.ts', true),
    counter: bundle('livepulse-counter', 'widget/counter-entry.ts', false),
    // The pages' own bundles (dist/widget/pages/), kept apart so the embeds above never carry them.
    admin: bundle('pages/admin', 'widget/pages/admin-entry.ts', false),
    view: bundle('pages/view', 'widget/pages/view-entry.ts', false),
    dock: bundle('pages/dock', 'widget/pages/dock-entry.ts', false),
  },
});
