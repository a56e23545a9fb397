// Builds the widget bundles listed in widget/bundles.ts into dist/widget/ (livepulse.js: every element,
// lightweight-charts inside; livepulse-counter.js: the counter alone; the pages' own bundles). Each is one
// self-contained file, so an embed costs one request; rolldown inlines everything only for a single input,
// hence one build environment per bundle. A new bundle is one line in widget/bundles.ts, with its budget.
import { defineConfig, type EnvironmentOptions, type Plugin } from 'vite';
import { BUNDLES, type Bundle } from './widget/bundles.ts';

/** The CLI's `--outDir` overrides it for every bundle (server/widget-bundles.test.ts builds into a temp dir). */
const OUT_DIR = 'dist/widget';

/**
 * Property names of fancy-canvas (lightweight-charts' canvas helper, bundled unminified): its privates
 * (`_canvasElement`, `_suggestedBitmapSizeChangedListeners`…) and the methods only lightweight-charts calls. The
 * minifier renames them as it renames locals (300 B gzip of the full bundle). Not the getters it defines with
 * Object.defineProperty(proto, "name"): the minifier cannot rename that string, and the getter would be lost
 * (the chart then never drew). Nothing outside a bundle sees these names: no chart plugins here (their renderers
 * would get fancy-canvas objects). Lit's own are `_$`-prefixed.
 */
const FANCY_CANVAS_PROPS = new RegExp(
  `^(_[a-z][A-Za-z]{3,}|${[
    'useBitmapCoordinateSpace',
    'useMediaCoordinateSpace',
    'subscribeBitmapSizeChanged',
    'unsubscribeBitmapSizeChanged',
    'subscribeSuggestedBitmapSizeChanged',
    'unsubscribeSuggestedBitmapSizeChanged',
    'applySuggestedBitmapSize',
    'resizeCanvasElement',
    'allowResizeObserver',
  ].join('|')})$`,
);
/** fancy-canvas's getters defined by name (see above). */
const FANCY_CANVAS_GETTERS = /^(_horizontalPixelRatio|_verticalPixelRatio)$/;

function environment(bundle: Bundle, first: boolean): EnvironmentOptions {
  return {
    consumer: 'client',
    // Production builds whatever NODE_ENV says: Vite picks packages' `development` export condition when
    // NODE_ENV is not `production` (NODE_ENV=development npm start served Lit's dev build, 80 KB gzip, with
    // its "Lit is in dev mode" warning). Per environment: the top-level `resolve` reaches only `client`.
    resolve: { conditions: ['module', 'browser', 'production'] },
    build: {
      // Only the first build empties the directory: the others add to it.
      emptyOutDir: first,
      rollupOptions: {
        input: { [bundle.name]: bundle.input },
        output: {
          format: 'es',
          entryFileNames: '[name].js',
          chunkFileNames: 'chunks/[name]-[hash].js',
          codeSplitting: false,
          minify: {
            compress: true,
            mangle: true,
            mangleProps: { include: FANCY_CANVAS_PROPS, exclude: FANCY_CANVAS_GETTERS },
          },
        },
      },
    },
  };
}

/**
 * Lit styles are template literals the JS minifier keeps verbatim: comments and indentation went into the
 * embeds (150 bytes of the counter's gzip budget). Only css`…` and sheet(`…`) literals without `${}` are
 * touched, and only whitespace that CSS ignores (around `{ } ; ,` and after `:`; a space before `:` may be a descendant
 * combinator and stays), and the 0 of 0.5.
 */
export function minifyCss(code: string): string {
  return code.replace(/\b(css`|sheet\(`)([^`$]*)`/g, (_, open: string, body: string) => {
    const min = body
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\s+/g, ' ')
      .replace(/\s*([{};,])\s*/g, '$1')
      .replace(/:\s+/g, ':')
      .replace(/([\s:,(])0\./g, '$1.')
      .replace(/;}/g, '}')
      .trim();
    return `${open}${min}\``;
  });
}

const cssLiterals: Plugin = {
  name: 'livepulse-minify-css-literals',
  apply: 'build',
  transform(code, id) {
    return /\/widget\/.*\.ts$/.test(id) && /\b(css`|sheet\(`)/.test(code) ? { code: minifyCss(code), map: null } : null;
  },
};

export default defineConfig({
  plugins: [cssLiterals],
  // Vite defines it from NODE_ENV too (no dependency reads it today; one that does gets production).
  define: { 'process.env.NODE_ENV': JSON.stringify('production') },
  build: { outDir: OUT_DIR, copyPublicDir: false },
  // Any `builder` makes `vite build` build every environment, in the order of BUNDLES. The first is Vite's
  // `client` environment (always there, and built with the rest).
  builder: {},
  environments: Object.fromEntries(
    BUNDLES.map((bundle, i) => [i === 0 ? 'client' : bundle.name.replace(/\W/g, '_'), environment(bundle, i === 0)]),
  ),
});
