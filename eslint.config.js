// Lint: typescript-eslint's type-aware recommended rules over the whole tree; formatting is Biome's job
// (biome.json). Tests read untyped JSON from responses (`await res.json()` is `any` by design), so there
// the no-unsafe-* family is off; product code keeps every rule.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'test-output/', 'data/', 'patches/', '.nginx/'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'widget/testing/*.js'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Rejecting with an AbortSignal's reason (typed any) is what fetch and timers do; keep that idiom.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true }],
    },
  },
  {
    // Lit binds listeners written in templates (@click=${this.onClick}) to the host element.
    files: ['widget/**/*.ts'],
    rules: { '@typescript-eslint/unbound-method': 'off' },
  },
  {
    files: ['**/*.test.ts', '**/testing/**', 'e2e/**', 'bench/**', '*.config.js', '*.config.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Fakes implement async interfaces without awaiting anything.
      '@typescript-eslint/require-await': 'off',
    },
  },
);
