import { describe, expect, it } from 'vitest';
import { stack } from './support.ts';

describe('API gateway', () => {
  it('answers /health without a key', async () => {
    const res = await fetch(`${stack().apiUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', postgres: { ok: true } });
  });

  it('refuses requests without an apikey in Supabase shape', async () => {
    const res = await fetch(`${stack().apiUrl}/rest/v1/anything`);
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' });
  });

  it('refuses an unknown apikey and a forged bearer', async () => {
    const bad = await fetch(`${stack().apiUrl}/rest/v1/anything`, { headers: { apikey: 'not-a-key' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ message: 'Invalid API key' });
    const forged = stack().anonKey.slice(0, -4) + 'AAAA';
    const res = await fetch(`${stack().apiUrl}/auth/v1/settings`, { headers: { authorization: `Bearer ${forged}` } });
    expect(res.status).toBe(401);
  });

  it('answers CORS preflights like Supabase', async () => {
    const res = await fetch(`${stack().apiUrl}/rest/v1/anything`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'apikey,authorization,content-type,x-client-info' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toBe('apikey,authorization,content-type,x-client-info');
    expect(res.headers.get('access-control-allow-methods')).toContain('PATCH');
  });

  it('echoes a sane x-request-id and generates one otherwise', async () => {
    const given = await fetch(`${stack().apiUrl}/health`, { headers: { 'x-request-id': 'req-abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('req-abc-123');
    const generated = await fetch(`${stack().apiUrl}/health`, { headers: { 'x-request-id': 'bad id with spaces' } });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers unknown routes with 404', async () => {
    const res = await fetch(`${stack().apiUrl}/nowhere/v1/x`);
    expect(res.status).toBe(404);
  });
});
