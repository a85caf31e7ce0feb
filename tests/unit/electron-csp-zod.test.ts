/**
 * zod is told not to probe for eval (renderer/zod-csp.ts) before any schema exists in every page
 * that runs under the CSP: the first import of each HTML entry's script is that module. The
 * behaviour itself (no securitypolicyviolation in either page) is checked in Chromium by
 * tests/e2e/csp.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const RENDERER = path.resolve(__dirname, '..', '..', 'renderer');

describe('zod under the CSP', () => {
  const pages = fs.readdirSync(RENDERER).filter((f) => f.endsWith('.html'));

  it('covers every page', () => expect(pages.sort()).toEqual(['index.html', 'report.html', 'signin.html']));

  for (const page of pages) {
    it(`${page}: the CSP forbids eval, and the entry imports renderer/zod-csp.ts first`, () => {
      const html = fs.readFileSync(path.join(RENDERER, page), 'utf8');
      const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)![1]!;
      expect(csp).toMatch(/script-src 'self';/);
      expect(csp).not.toContain('unsafe-eval');
      const entry = /<script type="module" src="\.\/([^"]+)"><\/script>/.exec(html)![1]!;
      const source = fs.readFileSync(path.join(RENDERER, entry), 'utf8');
      const firstImport = /^import\s+(?:[^'"]+from\s+)?'([^']+)'/m.exec(source)![1]!;
      expect(path.resolve(path.dirname(path.join(RENDERER, entry)), firstImport)).toBe(path.join(RENDERER, 'zod-csp'));
    });
  }

  it('zod-csp.ts switches zod to jitless', () => {
    expect(fs.readFileSync(path.join(RENDERER, 'zod-csp.ts'), 'utf8')).toMatch(/^z\.config\(\{ jitless: true \}\);$/m);
  });
});
