import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { requireAdmin } from '@/server/current-user';
import { listApiKeys } from '@/server/api-keys';
import { ApiKeysPanel } from './api-keys-panel';

export const metadata: Metadata = { title: 'API keys' };
export const dynamic = 'force-dynamic';

export default async function KeysPage() {
  const admin = await requireAdmin();
  const keys = await listApiKeys(admin.tenantId);
  return (
    <>
      <PageHeader
        title="API keys"
        description={`Keys for server-to-server callers of ${admin.tenantName}: the gateway (/api/gateway) and the AI query API (POST /api/ai/query). Only a SHA-256 digest of each key is stored; the key is shown once.`}
      />
      <ApiKeysPanel initialKeys={keys} />
    </>
  );
}
