import { revokeApiKey } from '@/server/api-keys';
import { authenticateAdmin } from '@/server/auth';
import { ApiError, handle, json } from '@/server/http';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function DELETE(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  return handle(async () => {
    const admin = await authenticateAdmin(request);
    const { id } = await params;
    if (!UUID.test(id)) throw new ApiError('invalid_request', 'id: not a key id.');
    if (!(await revokeApiKey(admin.tenantId, id))) throw new ApiError('not_found', 'No active key with that id.');
    return json({ revoked: id });
  });
}
