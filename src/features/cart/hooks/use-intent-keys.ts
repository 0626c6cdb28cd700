import { useState } from 'react';
import { IntentKeys } from '../utils/intent-keys.ts';

/** The idempotency keys of this component's intents, for as long as it is on screen. */
export function useIntentKeys(): IntentKeys {
  return useState(() => new IntentKeys())[0];
}
