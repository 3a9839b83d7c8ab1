// ESLint flat config for the frontend (src/) and the backend (server-ts/).
// Formatting is prettier's job (`prettier --check .`), so no style rules here.
const js = require('@eslint/js');
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/lib/**',
      '**/dist/**',
      'cellflow/labextension/**',
      'ui-tests/test-results/**',
      'ui-tests/playwright-report/**',
      '.venv/**',
      '**/*.d.ts',
      // Run state, generated step programs and benchmark work folders.
      '**/.cellflow/**',
      'server-ts/.test-work/**',
      'bench-results/**',
      '**/*.mjs',
      // Plain JS here is config and the style entry, not code under review.
      '**/*.js'
    ]
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['warn', { args: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-use-before-define': 'off',
      curly: ['error', 'all'],
      eqeqeq: ['error', 'smart'],
      'prefer-arrow-callback': 'error'
    }
  },
  {
    // JupyterLab's convention for the extension: interfaces start with I.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    // ir.ts mirrors server-ts/src/ir.ts name for name.
    ignores: ['src/ir.ts'],
    rules: {
      '@typescript-eslint/naming-convention': [
        'error',
        {
          selector: 'interface',
          format: ['PascalCase'],
          custom: { regex: '^I[A-Z]', match: true }
        }
      ]
    }
  },
  {
    // The backend's files are short and one-line guards read best there.
    files: ['server-ts/**/*.ts'],
    rules: {
      curly: 'off'
    }
  }
);
