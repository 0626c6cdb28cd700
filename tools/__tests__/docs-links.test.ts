import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The repository stands alone: every relative link in its Markdown points at a file inside it, and
// the README's layout table names folders that exist.

const root = path.resolve(import.meta.dirname, '../..');

function markdownFiles(): string[] {
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md') && !/node_modules|\.stack|test-results|dist|scratch/.test(path.relative(root, e.parentPath)))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('documentation links', () => {
  it('point at files inside the repository', () => {
    const broken: string[] = [];
    for (const file of markdownFiles()) {
      const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
        const target = match[1] ?? '';
        if (/^(?:[a-z]+:|#)/i.test(target)) continue;
        const resolved = path.resolve(path.dirname(file), decodeURIComponent(target.split('#')[0] ?? ''));
        const inside = resolved === root || resolved.startsWith(root + path.sep);
        if (!inside || !existsSync(resolved)) broken.push(`${path.relative(root, file)}: ${target}${inside ? '' : ' (outside the repository)'}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("the README's layout table lists folders that exist", () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const layout = readme.slice(readme.indexOf('## Layout'), readme.indexOf('\n## ', readme.indexOf('## Layout') + 1));
    const paths = [...layout.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1] ?? '');
    expect(paths.length).toBeGreaterThan(5);
    expect(paths.filter((p) => !existsSync(path.join(root, p)))).toEqual([]);
  });
});
