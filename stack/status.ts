import type { Stack } from './start.ts';

/** The stack's URLs and keys, laid out like `supabase status`. */
export function printStatus(stack: Stack): void {
  const rows: Array<[string, string]> = [
    ['API URL', stack.apiUrl],
    ['REST URL', `${stack.apiUrl}/rest/v1`],
    ['Auth URL', `${stack.apiUrl}/auth/v1`],
    ['Realtime URL', `${stack.apiUrl.replace(/^http/, 'ws')}/realtime/v1`],
    ['DB URL', stack.dbUrl],
    ['Mail URL', stack.mailUrl],
    ['JWT secret', stack.jwtSecret],
    ['anon key', stack.anonKey],
    ['service_role key', stack.serviceRoleKey],
  ];
  console.log('\n' + rows.map(([k, v]) => `${k.padStart(16)}: ${v}`).join('\n') + '\n');
}
