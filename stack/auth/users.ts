import { randomUUID } from 'node:crypto';
import { NIL_INSTANCE, type Queryable } from './db.ts';

type Json = Record<string, unknown>;

export interface UserRow {
  id: string;
  aud: string | null;
  role: string | null;
  email: string | null;
  encrypted_password: string | null;
  email_confirmed_at: Date | null;
  invited_at: Date | null;
  phone: string | null;
  phone_confirmed_at: Date | null;
  confirmation_sent_at: Date | null;
  confirmed_at: Date | null;
  recovery_sent_at: Date | null;
  email_change: string | null;
  email_change_sent_at: Date | null;
  phone_change: string | null;
  phone_change_sent_at: Date | null;
  reauthentication_sent_at: Date | null;
  last_sign_in_at: Date | null;
  raw_app_meta_data: Json | null;
  raw_user_meta_data: Json | null;
  created_at: Date | null;
  updated_at: Date | null;
  banned_until: Date | null;
  deleted_at: Date | null;
  is_anonymous: boolean;
}

export interface IdentityRow {
  id: string;
  provider_id: string;
  user_id: string;
  identity_data: Json | null;
  provider: string;
  last_sign_in_at: Date | null;
  created_at: Date | null;
  updated_at: Date | null;
  email: string | null;
}

export interface FactorRow {
  id: string;
  user_id: string;
  friendly_name: string | null;
  factor_type: string;
  status: string;
  created_at: Date;
  updated_at: Date;
  phone: string | null;
  last_challenged_at: Date | null;
}

export interface User extends UserRow {
  identities: IdentityRow[];
  factors: FactorRow[];
}

export const FACTOR_COLUMNS = 'id, user_id, friendly_name, factor_type, status, created_at, updated_at, phone, last_challenged_at';

export const USER_COLUMNS = `id, aud, role, email, encrypted_password, email_confirmed_at, invited_at, phone, phone_confirmed_at,
  confirmation_sent_at, confirmed_at, recovery_sent_at, email_change, email_change_sent_at, phone_change,
  phone_change_sent_at, reauthentication_sent_at, last_sign_in_at, raw_app_meta_data, raw_user_meta_data,
  created_at, updated_at, banned_until, deleted_at, is_anonymous`;

const IDENTITY_COLUMNS = 'id, provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at, email';

async function withIdentities(db: Queryable, row: UserRow | undefined): Promise<User | undefined> {
  if (!row) return undefined;
  const { rows } = await db.query<IdentityRow>(
    `select ${IDENTITY_COLUMNS} from auth.identities where user_id = $1 order by created_at, id`,
    [row.id],
  );
  const factors = await db.query<FactorRow>(`select ${FACTOR_COLUMNS} from auth.mfa_factors where user_id = $1 order by created_at, id`, [row.id]);
  return { ...row, identities: rows, factors: factors.rows };
}

/** GoTrue's FindUserByID (with its identities, as GoTrue loads them eagerly). */
export async function findUserById(db: Queryable, id: string, forUpdate = false): Promise<User | undefined> {
  const { rows } = await db.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users where instance_id = $1 and id = $2${forUpdate ? ' for update' : ''}`,
    [NIL_INSTANCE, id],
  );
  return withIdentities(db, rows[0]);
}

/** GoTrue's FindUserByEmailAndAudience. */
export async function findUserByEmail(db: Queryable, email: string, aud: string): Promise<User | undefined> {
  const { rows } = await db.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users
      where instance_id = $1 and lower(email) = lower($2) and aud = $3 and is_sso_user = false
      limit 1`,
    [NIL_INSTANCE, email, aud],
  );
  return withIdentities(db, rows[0]);
}

export async function findUserByPhone(db: Queryable, phone: string, aud: string): Promise<UserRow | undefined> {
  const { rows } = await db.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users where instance_id = $1 and phone = $2 and aud = $3 and is_sso_user = false limit 1`,
    [NIL_INSTANCE, phone, aud],
  );
  return rows[0];
}

/**
 * GoTrue's IsDuplicatedEmail: another user in `aud` owns this email through a non-SSO identity,
 * or (as a last check) through auth.users.email.
 */
export async function findDuplicateEmailOwner(db: Queryable, email: string, aud: string, exceptUserId?: string): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `select u.id from auth.identities i join auth.users u on u.id = i.user_id
      where i.email = lower($1) and i.provider not like 'sso:%' and u.aud = $2 and u.id is distinct from $3::uuid
     union all
     select id from auth.users
      where instance_id = $4 and lower(email) = lower($1) and aud = $2 and is_sso_user = false and id is distinct from $3::uuid
     limit 1`,
    [email, aud, exceptUserId ?? null, NIL_INSTANCE],
  );
  return rows[0]?.id;
}

export interface NewUser {
  id?: string;
  aud: string;
  role: string;
  email: string;
  phone: string;
  encryptedPassword: string | null;
  appMetadata: Json;
  userMetadata: Json;
}

export async function insertUser(tx: Queryable, user: NewUser): Promise<string> {
  const id = user.id ?? randomUUID();
  await tx.query(
    `insert into auth.users (instance_id, id, aud, role, email, phone, encrypted_password, raw_app_meta_data,
       raw_user_meta_data, created_at, updated_at, confirmation_token, recovery_token, email_change_token_new,
       email_change, email_change_token_current, phone_change, phone_change_token, reauthentication_token, is_sso_user, is_anonymous)
     values ($1, $2, $3, $4, nullif($5, ''), nullif($6, ''), $7, $8, $9, now(), now(), '', '', '', '', '', '', '', '', false, false)`,
    [NIL_INSTANCE, id, user.aud, user.role, user.email, user.phone, user.encryptedPassword, user.appMetadata, user.userMetadata],
  );
  return id;
}

/** GoTrue's structs.Map(provider.Claims{Subject, Email|Phone}): `email_verified`/`phone_verified` are always present. */
export function identityClaims(userId: string, claims: { email?: string; phone?: string; emailVerified?: boolean; phoneVerified?: boolean }): Json {
  const data: Json = { sub: userId };
  if (claims.email) data.email = claims.email;
  data.email_verified = claims.emailVerified ?? false;
  if (claims.phone) data.phone = claims.phone;
  data.phone_verified = claims.phoneVerified ?? false;
  return data;
}

export async function insertIdentity(tx: Queryable, userId: string, provider: string, identityData: Json): Promise<void> {
  if (typeof identityData.email === 'string') identityData.email = identityData.email.toLowerCase();
  await tx.query(
    `insert into auth.identities (provider_id, user_id, identity_data, provider, last_sign_in_at, created_at, updated_at)
     values ($1, $2, $3, $4, now(), now(), now())`,
    [identityData.sub, userId, identityData, provider],
  );
}

/** Merges keys into identity_data; a null value removes the key (GoTrue's UpdateIdentityData). */
export async function updateIdentityData(tx: Queryable, userId: string, provider: string, updates: Json): Promise<boolean> {
  const { set, remove } = splitUpdates(updates);
  const { rowCount } = await tx.query(
    `update auth.identities set identity_data = (identity_data || $3::jsonb) - $4::text[], updated_at = now()
      where user_id = $1 and provider = $2`,
    [userId, provider, set, remove],
  );
  return (rowCount ?? 0) > 0;
}

function splitUpdates(updates: Json): { set: Json; remove: string[] } {
  const set: Json = {};
  const remove: string[] = [];
  for (const [key, value] of Object.entries(updates)) {
    if (value === null || value === undefined) remove.push(key);
    else set[key] = value;
  }
  return { set, remove };
}

/** GoTrue's UpdateUserMetaData / UpdateAppMetaData: merge top-level keys, a null value removes the key. */
export async function mergeMetadata(tx: Queryable, userId: string, column: 'raw_user_meta_data' | 'raw_app_meta_data', updates: Json): Promise<void> {
  const { set, remove } = splitUpdates(updates);
  await tx.query(
    `update auth.users set ${column} = (coalesce(${column}, '{}'::jsonb) || $2::jsonb) - $3::text[], updated_at = now() where id = $1`,
    [userId, set, remove],
  );
}

/** GoTrue's Confirm: email_confirmed_at and `user_metadata.email_verified = true`. */
export async function confirmEmail(tx: Queryable, userId: string): Promise<void> {
  await tx.query(`update auth.users set confirmation_token = '', email_confirmed_at = now(), updated_at = now() where id = $1`, [userId]);
  await mergeMetadata(tx, userId, 'raw_user_meta_data', { email_verified: true });
}

export async function confirmPhone(tx: Queryable, userId: string): Promise<void> {
  await tx.query(`update auth.users set confirmation_token = '', phone_confirmed_at = now(), updated_at = now() where id = $1`, [userId]);
}

/** GoTrue's UpdateAppMetaDataProviders: `providers` from the user's identities, `provider` the first. */
export async function refreshProviders(tx: Queryable, userId: string): Promise<void> {
  const { rows } = await tx.query<{ provider: string }>(
    `select provider from auth.identities where user_id = $1 group by provider order by min(created_at), provider`,
    [userId],
  );
  const providers = rows.map((r) => r.provider);
  const updates: Json = { providers };
  if (providers.length > 0) updates.provider = providers[0];
  await mergeMetadata(tx, userId, 'raw_app_meta_data', updates);
}

export const isBanned = (user: UserRow, now = new Date()) => user.banned_until !== null && user.banned_until > now;

/** Go marshals maps with sorted keys; jsonb keeps its own order. */
export function sortKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(sortKeys) as T;
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Json).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)])) as T;
}

const iso = (date: Date | null) => (date ? date.toISOString() : undefined);

function identityJson(identity: IdentityRow): Json {
  const json: Json = { identity_id: identity.id, id: identity.provider_id, user_id: identity.user_id };
  if (identity.identity_data && Object.keys(identity.identity_data).length > 0) json.identity_data = sortKeys(identity.identity_data);
  json.provider = identity.provider;
  json.last_sign_in_at = iso(identity.last_sign_in_at);
  json.created_at = identity.created_at?.toISOString() ?? null;
  json.updated_at = identity.updated_at?.toISOString() ?? null;
  if (identity.email) json.email = identity.email;
  return json;
}

/** GoTrue's models.Factor as JSON. */
export function factorJson(factor: FactorRow): Json {
  const json: Json = {
    id: factor.id,
    created_at: factor.created_at.toISOString(),
    updated_at: factor.updated_at.toISOString(),
    status: factor.status,
    friendly_name: factor.friendly_name || undefined,
    factor_type: factor.factor_type,
    phone: factor.phone ?? null,
    last_challenged_at: factor.last_challenged_at?.toISOString() ?? null,
  };
  if (json.friendly_name === undefined) delete json.friendly_name;
  return json;
}

/** The user object exactly as GoTrue's models.User marshals it (field order and omitempty included). */
export function userJson(user: User, identities: IdentityRow[] | null = user.identities): Json {
  const json: Json = {
    id: user.id,
    aud: user.aud ?? '',
    role: user.role ?? '',
    email: user.email ?? '',
    email_confirmed_at: iso(user.email_confirmed_at),
    invited_at: iso(user.invited_at),
    phone: user.phone ?? '',
    phone_confirmed_at: iso(user.phone_confirmed_at),
    confirmation_sent_at: iso(user.confirmation_sent_at),
    confirmed_at: iso(user.confirmed_at),
    recovery_sent_at: iso(user.recovery_sent_at),
    new_email: user.email_change || undefined,
    email_change_sent_at: iso(user.email_change_sent_at),
    new_phone: user.phone_change || undefined,
    phone_change_sent_at: iso(user.phone_change_sent_at),
    reauthentication_sent_at: iso(user.reauthentication_sent_at),
    last_sign_in_at: iso(user.last_sign_in_at),
    app_metadata: sortKeys(user.raw_app_meta_data),
    user_metadata: sortKeys(user.raw_user_meta_data),
    factors: user.factors?.length ? user.factors.map(factorJson) : undefined,
    identities: identities ? identities.map(identityJson) : null,
    created_at: user.created_at?.toISOString() ?? null,
    updated_at: user.updated_at?.toISOString() ?? null,
    banned_until: iso(user.banned_until),
    deleted_at: iso(user.deleted_at),
    is_anonymous: user.is_anonymous,
  };
  for (const key of Object.keys(json)) if (json[key] === undefined) delete json[key];
  return json;
}
