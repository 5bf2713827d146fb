import { createApiKey, listApiKeys } from '@/server/api-keys';
import { authenticateAdmin } from '@/server/auth';
import { ApiError, handle, json, readJson } from '@/server/http';

export async function GET(request: Request): Promise<Response> {
  return handle(async () => {
    const admin = await authenticateAdmin(request);
    return json({ keys: await listApiKeys(admin.tenantId) });
  });
}

export async function POST(request: Request): Promise<Response> {
  return handle(async () => {
    const admin = await authenticateAdmin(request);
    const body = await readJson<{ name?: unknown; role?: unknown; access?: unknown }>(request);
    const name = typeof body.name === 'string' ? body.name.trim() : '';
    if (name.length < 1 || name.length > 80)
      throw new ApiError('invalid_request', 'name: 1–80 characters.');
    const role = body.role ?? 'member';
    if (role !== 'member' && role !== 'admin')
      throw new ApiError('invalid_request', 'role: "member" or "admin".');
    const access = body.access ?? 'read';
    if (access !== 'read' && access !== 'read-write')
      throw new ApiError('invalid_request', 'access: "read" or "read-write".');
    const created = await createApiKey(admin, { name, role, access });
    return json(created, { status: 201 });
  });
}
