import { describe, expect, it } from 'vitest';
import { describeRequest } from '../operation.ts';

const API = 'https://abcd.supabase.co';
const VENDOR = '6f1c2b7e-3c7a-4e8b-9c1d-2a3b4c5d6e7f';

describe('describeRequest', () => {
  it.each([
    [`${API}/rest/v1/product_availability?select=product_id,name&order=name.asc&limit=1000`, 'GET', 'rest:product_availability'],
    [`${API}/rest/v1/rpc/reserve_stock`, 'POST', 'rpc:reserve_stock'],
    [`${API}/rest/v1/rpc/stock_drift_report?vendor_id=eq.x`, 'get', 'rpc:stock_drift_report'],
    [`${API}/auth/v1/token?grant_type=password`, 'POST', 'auth:token'],
    [`${API}/auth/v1/user`, 'GET', 'auth:user'],
    [`${API}/auth/v1/admin/users/${VENDOR}`, 'PUT', 'auth:admin/users'],
    [`${API}/realtime/v1/api/broadcast`, 'POST', 'realtime:api/broadcast'],
    [`${API}/storage/v1/object/avatars/someone@example.com.png`, 'GET', 'storage:object/avatars'],
    [`${API}/functions/v1/hello`, 'POST', 'functions:hello'],
  ])('%s %s is %s', (url, method, op) => {
    expect(describeRequest(url, method, API)?.op).toBe(op);
  });

  it('never keeps ids, emails or filters from the URL', () => {
    const described = describeRequest(`${API}/rest/v1/orders?customer_email=eq.someone@example.com&id=eq.${VENDOR}`, 'GET', API);
    expect(described).toEqual({ op: 'rest:orders', method: 'GET', vendor: null });
    expect(describeRequest(`${API}/rest/v1/${VENDOR}`, 'GET', API)).toBeNull();
  });

  it('ignores other hosts, other paths, unknown services and methods, the telemetry ingest and the dashboard\'s own reads', () => {
    expect(describeRequest('https://example.com/rest/v1/products', 'GET', API)).toBeNull();
    expect(describeRequest(`${API}/graphql/v1`, 'POST', API)).toBeNull();
    expect(describeRequest(`${API}/rest/v2/products`, 'GET', API)).toBeNull();
    expect(describeRequest(`${API}/rest/v1/products`, 'TRACE', API)).toBeNull();
    expect(describeRequest(`${API}/rest/v1/rpc/ingest_telemetry`, 'POST', API)).toBeNull();
    expect(describeRequest(`${API}/rest/v1/rpc/admin_health`, 'POST', API)).toBeNull();
    expect(describeRequest('not a url', 'GET', API)).toBeNull();
    expect(describeRequest(`${API}.evil.example/rest/v1/products`, 'GET', API)).toBeNull();
  });

  it('works under a project URL with a path (self-hosted behind a prefix)', () => {
    expect(describeRequest('http://127.0.0.1:8000/supabase/rest/v1/products', 'GET', 'http://127.0.0.1:8000/supabase/')?.op).toBe('rest:products');
  });

  it('names the vendor of a vendor_id filter, else of the vendor workspace the page shows', () => {
    expect(describeRequest(`${API}/rest/v1/inventory_levels?vendor_id=eq.${VENDOR}`, 'GET', API)?.vendor).toBe(VENDOR);
    expect(describeRequest(`${API}/rest/v1/inventory_levels?vendor_id=in.(${VENDOR})`, 'GET', API)?.vendor).toBeNull();
    expect(describeRequest(`${API}/rest/v1/rpc/adjust_stock`, 'POST', API, `?vendor=${VENDOR.toUpperCase()}&tab=ledger`)?.vendor).toBe(VENDOR);
    expect(describeRequest(`${API}/rest/v1/rpc/adjust_stock`, 'POST', API, '?vendor=x')?.vendor).toBeNull();
    expect(describeRequest(`${API}/rest/v1/rpc/adjust_stock`, 'POST', API, '')?.vendor).toBeNull();
  });
});
