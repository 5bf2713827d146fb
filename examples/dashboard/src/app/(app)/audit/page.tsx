import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { requireUser } from '@/server/current-user';
import { AuditTable } from './audit-table';

export const metadata: Metadata = { title: 'Audit log' };
export const dynamic = 'force-dynamic';

export default async function AuditPage() {
  const user = await requireUser();
  return (
    <>
      <PageHeader
        title="Audit log"
        description={
          user.role === 'admin'
            ? `Every tool call decision in ${user.tenantName}: allowed, denied, rate-limited, failed, served from cache or rejected by the user. Arguments are stored as a hash.`
            : 'Your own tool calls: allowed, denied, rate-limited, failed, served from cache or rejected by the user. Arguments are stored as a hash.'
        }
      />
      <AuditTable />
    </>
  );
}
