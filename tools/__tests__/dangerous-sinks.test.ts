import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// What turns a string into markup or code in the browser. The CSP blocks eval and inline scripts
// at run time; this keeps the source from reaching for them at all.
const SINKS: Array<[string, RegExp]> = [
  ['dangerouslySetInnerHTML', /dangerouslySetInnerHTML/],
  ['innerHTML / outerHTML', /\b(?:inner|outer)HTML\b/],
  ['insertAdjacentHTML', /\binsertAdjacentHTML\b/],
  ['document.write', /\bdocument\s*\.\s*write(?:ln)?\b/],
  ['eval', /(?<![\w$.])eval\s*\(|\[\s*['"`]eval['"`]\s*\]/],
  ['new Function', /\bnew\s+Function\s*\(|(?<![\w$.])Function\s*\(\s*['"`]/],
  ['string timers', /\bset(?:Timeout|Interval)\s*\(\s*['"`]/],
  ['javascript: URLs', /['"`]\s*javascript:/i],
  ['createContextualFragment', /\bcreateContextualFragment\b/],
  ['srcdoc', /\bsrcdoc\b/i],
];

/** Documented exceptions: `file: reason`. None today. */
const EXCEPTIONS: Record<string, string> = {};

export function findSinks(source: string): string[] {
  return SINKS.filter(([, pattern]) => pattern.test(source)).map(([name]) => name);
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(tsx?|jsx?|html)$/.test(e.name) && !e.parentPath.includes('__tests__'))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('no dangerous sinks in src/', () => {
  it('finds each sink however it is written', () => {
    expect(findSinks('<div dangerouslySetInnerHTML={{ __html: x }} />')).toEqual(['dangerouslySetInnerHTML']);
    expect(findSinks('el.innerHTML = x')).toEqual(['innerHTML / outerHTML']);
    expect(findSinks("el['outerHTML'] = x")).toEqual(['innerHTML / outerHTML']);
    expect(findSinks('el.insertAdjacentHTML("beforeend", x)')).toEqual(['insertAdjacentHTML']);
    expect(findSinks('document . writeln(x)')).toEqual(['document.write']);
    expect(findSinks('eval(code)')).toEqual(['eval']);
    expect(findSinks("window['eval'](code)")).toEqual(['eval']);
    expect(findSinks('const f = new Function("a", body)')).toEqual(['new Function']);
    expect(findSinks("Function('return this')()")).toEqual(['new Function']);
    expect(findSinks("setTimeout('tick()', 10)")).toEqual(['string timers']);
    expect(findSinks('<a href="JavaScript:alert(1)">')).toEqual(['javascript: URLs']);
    expect(findSinks('range.createContextualFragment(x)')).toEqual(['createContextualFragment']);
    expect(findSinks('<iframe srcDoc={x} />')).toEqual(['srcdoc']);
    expect(findSinks('setTimeout(() => tick(), 10); const evaluate = 1; retrieval(x); el.textContent = x')).toEqual([]);
  });

  it('src/ uses none, outside the documented exceptions', () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const found = [...sourceFiles(path.join(root, 'src')), path.join(root, 'index.html')]
      .map((file) => [path.relative(root, file), findSinks(readFileSync(file, 'utf8'))] as const)
      .filter(([file, sinks]) => sinks.length > 0 && !(file in EXCEPTIONS))
      .map(([file, sinks]) => `${file}: ${sinks.join(', ')}`);
    expect(found).toEqual([]);
  });
});
