import type { Metadata } from 'next';
import { AssistantPanel } from '@/components/assistant-panel';
import { PageHeader } from '@/components/page-header';
import { requireUser } from '@/server/current-user';

export const metadata: Metadata = { title: 'Assistant' };
export const dynamic = 'force-dynamic';

export default async function AssistantPage({
  searchParams,
}: {
  searchParams: Promise<{ denied?: string; variant?: string }>;
}) {
  const user = await requireUser();
  const { denied, variant } = await searchParams;
  const floating = variant === 'floating';
  return (
    <>
      <PageHeader
        title="Assistant"
        description="Ask about invoices, customers, your calendar or how things work. Changes such as creating an invoice wait for your approval."
      />
      {denied === 'admin' ? (
        <p role="alert" className="mb-4 rounded-lg bg-amber-50 px-3 py-2 text-amber-900 text-sm">
          That page is for admins only.
        </p>
      ) : null}
      {floating ? (
        <p className="text-slate-600 text-sm">
          The same assistant as a floating launcher, the way an app embeds it on any page: open it
          from the button in the corner.
        </p>
      ) : (
        <div className="h-[calc(100vh-12rem)] min-h-[28rem]">
          <AssistantPanel threadKey={`tekup-dashboard:${user.id}`} />
        </div>
      )}
      {floating ? (
        <AssistantPanel variant="floating" threadKey={`tekup-dashboard:${user.id}`} />
      ) : null}
    </>
  );
}
