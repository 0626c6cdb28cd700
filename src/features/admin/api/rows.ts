import type { Database } from '@/types/database.ts';

type Fn = Database['public']['Functions'];

/**
 * The generator types every RETURNS TABLE column as non-null; these columns are null in steps
 * without data (no calls, no samples), so the dashboard's row types say so.
 */
type Nullable<T, K extends keyof T> = Omit<T, K> & { [P in K]: T[P] | null };

export type HealthRow = Nullable<
  Fn['admin_health']['Returns'][number],
  'score' | 'band' | 'apdex' | 'latency_score' | 'error_rate' | 'errors_score' | 'cache_hit_ratio' | 'cache_score' | 'lag_p95_ms' | 'lag_score' | 'saturation' | 'saturation_score'
>;
export type ApiPoint = Nullable<Fn['admin_api_series']['Returns'][number], 'p50_ms' | 'p95_ms' | 'p99_ms' | 'mean_ms' | 'apdex'>;
export type ClientPoint = Nullable<Fn['admin_client_series']['Returns'][number], 'client_hit_ratio' | 'lag_p50_ms' | 'lag_p95_ms' | 'lag_p99_ms'>;
export type DatabasePoint = Nullable<Fn['admin_database_series']['Returns'][number], Exclude<keyof Fn['admin_database_series']['Returns'][number], 'bucket' | 'seconds'>>;
export type DomainPoint = Nullable<Fn['admin_domain_series']['Returns'][number], 'active_reservations' | 'units_held' | 'low_stock_items' | 'out_of_stock_items' | 'drift_rows'>;
export type OperationRow = Nullable<Fn['admin_operations']['Returns'][number], 'p50_ms' | 'p95_ms' | 'p99_ms'>;
export type VendorRow = Nullable<Fn['admin_vendors']['Returns'][number], 'error_rate' | 'p95_ms'>;
export type ErrorRow = Nullable<Fn['admin_recent_errors']['Returns'][number], 'code' | 'vendor_id' | 'vendor_name' | 'request_id'>;
export type StatementRow = Nullable<Fn['admin_top_statements']['Returns'][number], 'share' | 'mean_ms' | 'since'>;
export type AlertRow = Nullable<Fn['admin_alerts']['Returns'][number], 'severity' | 'value'>;
export type ModelRow = Fn['admin_health_model']['Returns'][number];
