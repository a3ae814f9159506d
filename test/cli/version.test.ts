/** `morphnet --version` prints package.json's version and nothing else, before loading any engine. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCliAsync } from '../helpers/cli.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('morphnet --version', () => {
  it.each([['--version'], ['-V']])('%s prints the version', async (flag) => {
    const r = await runCliAsync([flag]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${pkg.version}\n`);
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
