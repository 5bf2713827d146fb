import { describe, expect, it } from 'vitest';
import { createMemoryRateLimitStore } from '../stores/memory-rate-limit-store.js';
import type { AuditRecord, AuditStore } from '../stores/types.js';
import { parsePolicyConfig } from './config.js';
import { createStages } from './create-stages.js';
import { createTestContext, runPipeline } from './test-context.js';

const upstream = async () => ({ content: [{ type: 'text', text: 'ok' }] });

function createListAuditStore(): AuditStore & { rows: AuditRecord[] } {
  const rows: AuditRecord[] = [];
  return {
    engine: 'list',
    rows,
    async insert(records) {
      rows.push(...records);
    },
    async query() {
      return { rows };
    },
    async stats() {
      return {
        total: rows.length,
        byOutcome: {
          success: 0,
          failure: 0,
          denied: 0,
          rate_limited: 0,
          cached: 0,
          rejected: 0,
          input_required: 0,
          elicitation_accepted: 0,
          elicitation_declined: 0,
          elicitation_cancelled: 0,
          sampling_approved: 0,
          sampling_declined: 0,
        },
      };
    },
    async close() {},
  };
}

describe('createStages', () => {
  it('keeps rate limits and cache in memory unless given stores', async () => {
    const policies = createStages(
      parsePolicyConfig({
        rateLimit: { default: { points: 5, durationSeconds: 60 } },
        audit: { enabled: false },
      }),
    );
    try {
      expect(policies.engines).toEqual({ rateLimit: 'memory', cache: 'memory', audit: 'off' });
      expect(policies.stages.map((stage) => stage.name)).toEqual(['rate-limit', 'cache']);
    } finally {
      await policies.close();
    }
  });

  it('needs an audit store while auditing is on: there is no in-process audit log', () => {
    expect(() => createStages(parsePolicyConfig({}))).toThrow(/stores\.audit/);
  });

  it('writes audit rows to the given store and reports each store’s engine', async () => {
    const audit = createListAuditStore();
    const policies = createStages(
      parsePolicyConfig({ rateLimit: { default: { points: 5, durationSeconds: 60 } } }),
      {
        stores: { audit, rateLimit: { ...createMemoryRateLimitStore(), engine: 'shared-memory' } },
      },
    );
    try {
      expect(policies.engines).toEqual({
        rateLimit: 'shared-memory',
        cache: 'memory',
        audit: 'list',
      });
      expect(policies.auditStore).toBe(audit);
      await runPipeline(policies.stages, createTestContext({}), upstream);
      await policies.flushAudit();
      expect(audit.rows.map((row) => row.outcome)).toEqual(['success']);
    } finally {
      await policies.close();
    }
  });
});
