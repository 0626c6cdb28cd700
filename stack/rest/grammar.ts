// A tiny backtracking parser that reports errors the way PostgREST's parsec parsers do:
// message `"failed to parse <what> (<input>)" (line 1, column N)`, details `unexpected … expecting …`.
import { errors, type RestError } from './errors.ts';
import { MAX_PARAM_NESTING } from './limits.ts';

class Failure extends Error {}
const FAILURE = new Failure('parse failure');

export class Parser {
  pos = 0;
  private depth = 0;
  private errorPos = -1;
  /** Expected-token labels are only collected when re-parsing to report an error (the slow path). */
  private expected: Set<string> | undefined;

  /** `shown` is the text quoted in error messages when it differs from what is parsed. */
  constructor(
    readonly input: string,
    readonly what: string,
    private readonly shown = input,
  ) {}

  get done(): boolean {
    return this.pos >= this.input.length;
  }

  peek(offset = 0): string | undefined {
    return this.input[this.pos + offset];
  }

  startsWith(text: string): boolean {
    return this.input.startsWith(text, this.pos);
  }

  /** Records what was expected at the current position and aborts the current alternative. */
  fail(expected: string, at = this.pos): never {
    if (at > this.errorPos) {
      this.errorPos = at;
      this.expected?.clear();
    }
    if (at === this.errorPos) this.expected?.add(expected);
    throw FAILURE;
  }

  /**
   * Runs `p` one nesting level deeper: past MAX_PARAM_NESTING the request is refused (a RestError,
   * which no alternative catches), before deep input can exhaust the stack.
   */
  nested<T>(p: () => T): T {
    if (this.depth >= MAX_PARAM_NESTING) throw errors.nestingTooDeep(this.what, MAX_PARAM_NESTING);
    this.depth++;
    try {
      return p();
    } finally {
      this.depth--;
    }
  }

  /** Runs `p`; on failure restores the position and returns undefined (parsec's `optionMaybe (try p)`). */
  attempt<T>(p: () => T): T | undefined {
    const start = this.pos;
    try {
      return p();
    } catch (err) {
      if (err !== FAILURE) throw err;
      this.pos = start;
      return undefined;
    }
  }

  /** parsec's `optionMaybe p` (without `try`): undefined when `p` fails without consuming input; a failure after consuming input stands. */
  optional<T>(p: () => T): T | undefined {
    const start = this.pos;
    try {
      return p();
    } catch (err) {
      if (err !== FAILURE || this.errorPos > start) throw err;
      this.pos = start;
      return undefined;
    }
  }

  /** Tries alternatives in order, each with backtracking. */
  choice<T>(expected: string, ...alternatives: Array<() => T>): T {
    for (const alternative of alternatives) {
      const start = this.pos;
      try {
        return alternative();
      } catch (err) {
        if (err !== FAILURE) throw err;
        this.pos = start;
      }
    }
    return this.fail(expected);
  }

  string(text: string): string {
    if (!this.startsWith(text)) this.fail(JSON.stringify(text));
    this.pos += text.length;
    return text;
  }

  /** Consumes `text` if it is next; never fails. */
  optionalString(text: string): boolean {
    if (!this.startsWith(text)) return false;
    this.pos += text.length;
    return true;
  }

  char(c: string, label = JSON.stringify(c)): string {
    if (this.peek() !== c) this.fail(label);
    this.pos++;
    return c;
  }

  /** One or more characters satisfying `test`. */
  many1(test: (c: string) => boolean, label: string): string {
    const start = this.pos;
    while (!this.done && test(this.input[this.pos] as string)) this.pos++;
    if (this.pos === start) this.fail(label);
    return this.input.slice(start, this.pos);
  }

  many(test: (c: string) => boolean): string {
    const start = this.pos;
    while (!this.done && test(this.input[this.pos] as string)) this.pos++;
    return this.input.slice(start, this.pos);
  }

  spaces(): void {
    while (this.peek() === ' ' || this.peek() === '\t') this.pos++;
  }

  eof(): void {
    if (!this.done) this.fail('end of input');
  }

  /** Lookahead: one of `texts` (or end of input when `orEof`) follows, without consuming it. */
  followedBy(texts: string[], orEof: boolean): void {
    if (orEof && this.done) return;
    for (const text of texts) if (this.startsWith(text)) return;
    for (const text of texts) this.fail(JSON.stringify(text));
  }

  /** Runs the whole parse and turns a failure into PostgREST's PGRST100 error. */
  run<T>(p: (parser: Parser) => T): T | RestError {
    try {
      return p(this);
    } catch (err) {
      if (err !== FAILURE) throw err;
      // Parse again, collecting what was expected where it failed, to describe the error.
      const diagnostic = new Parser(this.input, this.what, this.shown);
      diagnostic.expected = new Set();
      try {
        p(diagnostic);
      } catch (again) {
        if (again !== FAILURE) throw again;
      }
      return diagnostic.error();
    }
  }

  private error(): RestError {
    const at = Math.max(this.errorPos, 0);
    const found = this.input[at];
    const unexpected = found === undefined ? 'unexpected end of input' : `unexpected ${JSON.stringify(found)}`;
    const expected = [...(this.expected ?? [])].filter((e) => e !== '');
    const expecting = expected.length === 0 ? '' : ` expecting ${expected.slice(0, -1).join(', ')}${expected.length > 1 ? ' or ' : ''}${expected.at(-1)}`;
    return errors.queryParam(`"failed to parse ${this.what} (${this.shown})" (line 1, column ${at + 1})`, `${unexpected}${expecting}`);
  }
}
