/**
 * Idempotency keys per user intent. The same intent (the same operation on the same arguments)
 * gets the same key until it succeeds, so a double click or a retry after a lost response is
 * applied once; once it has succeeded, doing it again is a new intent with a new key.
 */
export class IntentKeys {
  private readonly keys = new Map<string, string>();

  constructor(private readonly newKey: () => string = () => crypto.randomUUID()) {}

  keyFor(intent: string): string {
    let key = this.keys.get(intent);
    if (!key) {
      key = this.newKey();
      this.keys.set(intent, key);
    }
    return key;
  }

  /** The intent was applied: the next one like it is new. */
  succeeded(intent: string, key: string): void {
    if (this.keys.get(intent) === key) this.keys.delete(intent);
  }
}
