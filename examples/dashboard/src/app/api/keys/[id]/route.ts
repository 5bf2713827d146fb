import { revokeApiKey } from '@/server/api-keys';
import { authenticateAdmin } from '@/server/auth';
import { ApiError, handle, json } from '@/server/http';

const KEY_ID = /^[0-9a-f]{16}$/;

export async function DELETE(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  return handle(async () => {
    const admin = await authenticateAdmin(request);
    const { id } = await params;
    if (!KEY_ID.test(id)) throw new ApiError('invalid_request', 'id: not a key id.');
    if (!(await revokeApiKey(admin.tenantId, id)))
      throw new ApiError('not_found', 'No active key with that id.');
    return json({ revoked: id });
  });
}
