import 'server-only';
import { TENANTS } from '@tekup/demo-servers/manifest';
import { database } from './db';
import { hashPassword, verifyPassword } from './passwords';

/** A signed-in person as the dashboard knows them. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'member';
  tenantId: string;
  tenantName: string;
}

/** The demo fleet's seeded organizations, which the seeded users belong to. */
const [TEKUP, NORDLYS] = TENANTS;
const DEMO_TENANTS = { tekup: TEKUP, nordlys: NORDLYS } as const;

/** The password every seeded demo user starts with (embedded default only). */
const DEMO_PASSWORD = 'tekup-demo';

/** Seeded demo users: an admin and a member in each of the two organizations. */
const DEMO_USERS: readonly User[] = [
  {
    id: '10000000-0000-4000-8000-000000000001',
    email: 'admin@tekup.dk',
    name: 'Mette Admin',
    role: 'admin',
    tenantId: DEMO_TENANTS.tekup.id,
    tenantName: DEMO_TENANTS.tekup.name,
  },
  {
    id: '10000000-0000-4000-8000-000000000002',
    email: 'member@tekup.dk',
    name: 'Jonas Member',
    role: 'member',
    tenantId: DEMO_TENANTS.tekup.id,
    tenantName: DEMO_TENANTS.tekup.name,
  },
  {
    id: '10000000-0000-4000-8000-000000000003',
    email: 'anna@nordlys.dk',
    name: 'Anna Nordlys',
    role: 'member',
    tenantId: DEMO_TENANTS.nordlys.id,
    tenantName: DEMO_TENANTS.nordlys.name,
  },
  {
    id: '10000000-0000-4000-8000-000000000004',
    email: 'sabine@nordlys.dk',
    name: 'Sabine Krogh',
    role: 'admin',
    tenantId: DEMO_TENANTS.nordlys.id,
    tenantName: DEMO_TENANTS.nordlys.name,
  },
];

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'member';
  tenant_id: string;
  tenant_name: string;
  password_hash: string;
}

const globalState = globalThis as typeof globalThis & { __tekupUsersSeeded?: Promise<void> };

async function seed(): Promise<void> {
  const db = await database();
  const existing = new Set(
    (await db.query<{ id: string }>('select id from dashboard_users')).map((row) => row.id),
  );
  const missing = DEMO_USERS.filter((user) => !existing.has(user.id));
  // Hashed side by side: scrypt runs on libuv's thread pool, not on the main thread.
  const hashes = await Promise.all(missing.map(() => hashPassword(DEMO_PASSWORD)));
  for (const [index, user] of missing.entries()) {
    await db.query(
      `insert into dashboard_users (id, email, name, role, tenant_id, tenant_name, password_hash)
       values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing`,
      [user.id, user.email, user.name, user.role, user.tenantId, user.tenantName, hashes[index]],
    );
  }
}

/** Seeds the demo users once per process (sign-in and readiness wait for it). */
export function ensureSeeded(): Promise<void> {
  globalState.__tekupUsersSeeded ??= seed().catch((error: unknown) => {
    globalState.__tekupUsersSeeded = undefined;
    throw error;
  });
  return globalState.__tekupUsersSeeded;
}

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    tenantId: row.tenant_id,
    tenantName: row.tenant_name,
  };
}

/** Checks an email and password; resolves to the user or undefined. */
export async function authenticateUser(email: string, password: string): Promise<User | undefined> {
  await ensureSeeded();
  const db = await database();
  const [row] = await db.query<UserRow>(
    'select * from dashboard_users where lower(email) = lower($1)',
    [email.trim()],
  );
  if (!row) {
    // Spend the same time as a real check so response timing does not reveal which emails exist.
    await verifyPassword(
      password,
      'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    );
    return undefined;
  }
  return (await verifyPassword(password, row.password_hash)) ? toUser(row) : undefined;
}

/** Lists the users of one organization (admin pages). */
export async function listUsers(tenantId: string): Promise<User[]> {
  await ensureSeeded();
  const db = await database();
  return (
    await db.query<UserRow>('select * from dashboard_users where tenant_id = $1 order by email', [
      tenantId,
    ])
  ).map(toUser);
}
