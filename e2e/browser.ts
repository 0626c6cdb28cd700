import { existsSync } from 'node:fs';

/** Debian's Chromium when the machine has it (CI, containers); otherwise Playwright's own build. */
export const SYSTEM_CHROMIUM = '/usr/bin/chromium';
export const useSystemChromium = existsSync(SYSTEM_CHROMIUM);
