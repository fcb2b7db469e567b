// Flat, type-aware ESLint config. Nothing outside src/providers and src/extension.ts imports vscode.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noProviders = {
  group: ['**/providers', '**/providers/*'],
  message: 'Only src/extension.ts imports src/providers: move what both need below it.',
};

const noVscode = {
  name: 'vscode',
  message: 'Only src/providers and src/extension.ts import VS Code: move this to an adapter there.',
};

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.vscode-test/**',
      'src/test/fixtures/**',
      'samples/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    files: ['src/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      curly: 'error',
      eqeqeq: ['error', 'smart'],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // The adapters write `import vscode = require('vscode')`: with `import * as`, the bundle first
      // copies every property of the API object (esbuild's ES module interop), once per module.
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
    },
  },
  {
    // Only the adapters meet VS Code: the core, the model, the presentation (src/present), the CLI and
    // the unit tests run on plain Node.
    files: ['src/**/*.ts'],
    ignores: [
      'src/providers/**',
      'src/extension.ts',
      'src/test/integration/**',
      'src/test/integration-pt-br/**',
    ],
    rules: {
      'no-restricted-imports': ['error', { paths: [noVscode] }],
    },
  },
  {
    // Below the adapters: the core and the presentation never reach up into src/providers.
    files: ['src/{model,data,scan,rules,system,context,workspace,present,cli}/**/*.ts', 'src/cli.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [noProviders],
        },
      ],
    },
  },
  {
    // The registry sits below the finders: it takes its types from src/model, never from src/scan.
    files: ['src/data/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [
            {
              group: ['**/scan', '**/scan/*'],
              message: 'src/data never imports src/scan: take shared types from src/model.',
            },
            noProviders,
          ],
        },
      ],
    },
  },
  {
    // Spreading an array into a call puts every element on the stack: `Math.max(...rows)` or
    // `push(...found)` over 130,000 items throws "Maximum call stack size exceeded". Loop instead.
    files: ['src/**/*.ts'],
    ignores: ['src/test/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression > SpreadElement, NewExpression > SpreadElement',
          message:
            'No spread into a call: an unbounded array overflows the stack. Loop (for…of push, reduce for max).',
        },
      ],
    },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
      },
    },
  },
);
