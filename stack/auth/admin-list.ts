import { requestAud, requireAdmin } from './authenticate.ts';
import { json, type Handler } from './context.ts';
import { NIL_INSTANCE } from './db.ts';
import { badRequest } from './errors.ts';
import { USER_COLUMNS, userJson, type UserRow } from './users.ts';

const DEFAULT_PER_PAGE = 50;

function pageParam(value: string | null, fallback: number): number {
  if (value === null || value === '') return fallback;
  if (!/^\d+$/.test(value)) {
    throw badRequest('validation_failed', `Bad Pagination Parameters: strconv.ParseUint: parsing ${JSON.stringify(value)}: invalid syntax`);
  }
  if (BigInt(value) > 2n ** 64n - 1n) {
    throw badRequest('validation_failed', `Bad Pagination Parameters: strconv.ParseUint: parsing ${JSON.stringify(value)}: value out of range`);
  }
  // Beyond 2^53 the page is past any table's end anyway.
  return Math.min(Number(value), Number.MAX_SAFE_INTEGER);
}

/** GoTrue's sort(): only `created_at`, direction asc|desc, default newest first. */
function sortClause(values: string[]): string {
  if (values.length === 0) return 'created_at desc';
  return values
    .map((value) => {
      const [field, dir] = [value.split(' ')[0] ?? '', value.split(' ').slice(1).join(' ')];
      if (field !== 'created_at') throw badRequest('validation_failed', `Bad Sort Parameters: bad field for sort '${field}'`);
      if (dir !== '' && !['ASC', 'DESC'].includes(dir.toUpperCase())) {
        throw badRequest('validation_failed', `Bad Sort Parameters: bad direction for sort '${dir}', only 'asc' and 'desc' allowed`);
      }
      return `created_at ${dir.toUpperCase() === 'ASC' ? 'asc' : 'desc'}`;
    })
    .join(', ');
}

/** GoTrue's addPaginationHeaders: `Link` (next, last) relative to the Auth root, and `X-Total-Count`. */
function paginationHeaders(query: URLSearchParams, page: number, perPage: number, total: number): Record<string, string> {
  const totalPages = Math.ceil(total / perPage);
  const link = (p: number) => {
    const q = new URLSearchParams(query);
    q.set('page', String(p));
    q.sort();
    return `</admin/users?${q.toString()}>`;
  };
  let header = '';
  if (totalPages > page) header += `${link(page + 1)}; rel="next", `;
  header += `${link(totalPages)}; rel="last"`;
  return { link: header, 'x-total-count': String(total) };
}

/** GET /admin/users?page=&per_page=&filter=&sort= */
export const listUsers: Handler = async (deps, req) => {
  const claims = await requireAdmin(req, deps.pool, deps.config.jwtSecret);
  const aud = requestAud(req, claims);
  const query = req.url.searchParams;
  const order = sortClause(query.getAll('sort'));
  const filter = query.get('filter') ?? '';
  // pop's paginator turns page < 1 into 1 and per_page < 1 into 20.
  const page = Math.max(pageParam(query.get('page'), 1), 1);
  const perPage = pageParam(query.get('per_page'), DEFAULT_PER_PAGE) || 20;
  const where = `instance_id = $1 and aud = $2 and ($3 = '' or email like '%' || $3 || '%' or raw_user_meta_data->>'full_name' ilike '%' || $3 || '%')`;
  const params = [NIL_INSTANCE, aud, filter];
  const count = await deps.pool.query<{ total: string }>(`select count(*) as total from auth.users where ${where}`, params);
  const total = Number(count.rows[0]?.total ?? 0);
  const { rows } = await deps.pool.query<UserRow>(
    `select ${USER_COLUMNS} from auth.users where ${where} order by ${order} limit $4 offset $5`,
    [...params, perPage, Math.min((page - 1) * perPage, Number.MAX_SAFE_INTEGER)],
  );
  // GoTrue lists users without loading their identities.
  const body = { users: rows.map((row) => userJson({ ...row, identities: [], factors: [] }, null)), aud };
  return json(200, body, paginationHeaders(query, page, perPage, total));
};
