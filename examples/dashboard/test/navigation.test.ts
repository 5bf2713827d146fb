import { describe, expect, it } from 'vitest';
import { isAdminPath, PAGES } from '@/navigation';

describe('the admin pages', () => {
  it('are the pages marked admin and everything under them, nothing that merely starts alike', () => {
    expect(PAGES.filter((page) => page.admin).map((page) => page.href)).toEqual([
      '/keys',
      '/settings',
    ]);
    expect(isAdminPath('/keys')).toBe(true);
    expect(isAdminPath('/settings/models')).toBe(true);
    expect(isAdminPath('/keystore')).toBe(false);
    expect(isAdminPath('/audit')).toBe(false);
    expect(isAdminPath('/')).toBe(false);
  });
});
