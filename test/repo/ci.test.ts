/**
 * CI runs the checks, not only the tests: the README's test command (`npm ci && npm test`) is what
 * `.ci/run` calls, and `npm test`'s scripts run eslint (type-aware: floating promises are errors),
 * prettier --check and the type check of src, test and bench before building and testing.
 */
import { readFileSync } from 'node:fs';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;

/** Every command `npm run <name>` executes, with the `npm run X` it calls expanded (and its pre-script). */
function commandsOf(name: string, seen = new Set<string>()): string[] {
  if (seen.has(name)) return [];
  seen.add(name);
  const out: string[] = [];
  for (const script of [`pre${name}`, name]) {
    const body = scripts[script];
    if (body === undefined) continue;
    for (const part of body.split('&&').map((p) => p.trim())) {
      const called = /^npm run ([\w:-]+)$/.exec(part)?.[1];
      out.push(...(called ? commandsOf(called, seen) : [part]));
    }
  }
  return out;
}

describe('CI', () => {
  it('runs the README test command', () => {
    expect(read('README.md')).toMatch(/^npm ci && npm test\b/m);
    expect(read('.ci/run')).toMatch(/^npm ci && npm test$/m);
  });

  it('npm test runs eslint, prettier --check and tsc over src, test and bench before vitest', () => {
    const steps = commandsOf('test');
    const index = (pattern: RegExp) => steps.findIndex((s) => pattern.test(s));
    const vitest = index(/^vitest run$/);
    for (const check of [/^eslint \.$/, /^prettier --check \.$/, /^tsc -p tsconfig\.json --noEmit$/]) {
      expect(index(check), String(check)).toBeGreaterThanOrEqual(0);
      expect(index(check)).toBeLessThan(vitest);
    }
    const tsconfig = JSON.parse(read('tsconfig.json')) as { include: string[] };
    expect(tsconfig.include).toEqual(expect.arrayContaining(['src', 'test', 'bench']));
  });

  it('eslint treats floating and misused promises as errors in src, test and bench', async () => {
    const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });
    for (const file of ['src/index.ts', 'test/repo/ci.test.ts', 'bench/engine.ts']) {
      const config = (await eslint.calculateConfigForFile(file)) as { rules: Record<string, unknown> };
      for (const rule of [
        '@typescript-eslint/no-floating-promises',
        '@typescript-eslint/no-misused-promises',
      ])
        expect([config.rules[rule]].flat()[0], `${rule} in ${file}`).toBeOneOf([2, 'error']);
    }
  });
});
