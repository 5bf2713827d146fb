import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { requireUser } from '@/server/current-user';
import { HealthBoard } from './health-board';

export const metadata: Metadata = { title: 'Gateway health' };
export const dynamic = 'force-dynamic';

export default async function HealthPage() {
  await requireUser();
  return (
    <>
      <PageHeader
        title="Gateway health"
        description="Servers and instances behind the gateway, with your organization's live latency, error rate and cache hit ratio over the last 15 minutes. Updates every 5 seconds."
      />
      <HealthBoard />
    </>
  );
}
