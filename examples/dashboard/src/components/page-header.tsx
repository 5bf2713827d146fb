import type { ReactNode } from 'react';

/** The title block at the top of every dashboard page. */
export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: string;
  actions?: ReactNode;
}) {
  return (
    <header className="mb-6 flex flex-wrap items-end justify-between gap-4">
      <div>
        <h1 className="font-semibold text-2xl tracking-tight">{title}</h1>
        {description ? (
          <p className="mt-1 max-w-2xl text-slate-600 text-sm">{description}</p>
        ) : null}
      </div>
      {actions}
    </header>
  );
}
