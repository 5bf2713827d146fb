import { describeTenancy } from './tenancy-suite';
import { prepareTestEnvironment } from './setup-env';

const now = new Date('2026-06-10T09:00:00.000Z');
prepareTestEnvironment({ TEKUP_DEMO_NOW: now.toISOString() });
describeTenancy('embedded stores', now);
