import { TENANTS } from '@tekup/demo-servers';
import type { Principal } from '@tekup/mcp-gateway';

/** The principal the test gateways authenticate every caller as: a member of Tekup Demo ApS. */
export const DEMO_MEMBER: Principal = {
  id: '10000000-0000-4000-8000-000000000002',
  kind: 'user',
  role: 'member',
  tenantId: TENANTS[0].id,
};
