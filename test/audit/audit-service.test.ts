import { describe, expect, it } from 'vitest';
import { auditChanges } from '../../src/audit/audit-changes.js';
import { AuditOutsideTransactionError } from '../../src/audit/audit-service.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';
import { createTestContext } from '../helpers/app.js';

describe('audit changes', () => {
  it('when personal fields change, then only "changed" is kept; plain values and masked accounts are kept', () => {
    const before = { label: 'Sạp 1', owner_name: 'Nguyễn Văn A', phone: '0905111222', account_number: '1012345678901' };
    const after = { label: 'Sạp 2', owner_name: 'Trần Thị B', phone: '0905111222', account_number: '1098765432109' };
    const changes = auditChanges(before, after, {
      plain: ['label'],
      personal: ['owner_name', 'phone'],
      accountNumbers: ['account_number'],
    });
    expect(changes).toEqual({
      label: { before: 'Sạp 1', after: 'Sạp 2' },
      owner_name: { changed: true },
      account_number: { before: '•••• 8901', after: '•••• 2109' },
    });
    expect(JSON.stringify(changes)).not.toMatch(/Nguyễn|Trần|0905111222|1012345678901|1098765432109/);
  });

  it('when a record is new, then fields not named are left out and personal ones are only marked', () => {
    const changes = auditChanges(
      undefined,
      { label: 'Sạp 1', owner_name: 'Lan', secret: 'x' },
      {
        plain: ['label'],
        personal: ['owner_name'],
      },
    );
    expect(changes).toEqual({ label: { after: 'Sạp 1' }, owner_name: { changed: true } });
  });
});

describe('audit service', () => {
  it('when a change rolls back, then its audit row is gone with it', async () => {
    const { db, data, services } = createTestContext();
    const failing = data.transaction(async () => {
      await services.audit.record({ actor: null, action: 'site.update', entity: 'site', entityId: 1 });
      throw new Error('the change failed');
    });
    await expect(failing).rejects.toThrow('the change failed');
    expect(db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(0);
    await data.transaction(() =>
      services.audit.record({ actor: null, action: 'site.update', entity: 'site', entityId: 1 }),
    );
    expect(db.prepare('SELECT action, entity, entity_id, changes FROM audit_log').get()).toEqual({
      action: 'site.update',
      entity: 'site',
      entity_id: 1,
      changes: '{}',
    });
  });

  it('when an entry is written outside a transaction, then it is refused', async () => {
    const { services } = createTestContext();
    await expect(services.audit.record({ actor: null, action: 'site.update', entity: 'site' })).rejects.toThrow(
      AuditOutsideTransactionError,
    );
  });

  it('when anyone updates or deletes an audit row, then the database refuses', async () => {
    const { db, data, services } = createTestContext();
    await data.transaction(() => services.audit.record({ actor: null, action: 'user.create', entity: 'user' }));
    expect(() => db.prepare("UPDATE audit_log SET action = 'x.y'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect(await services.audit.list({ reach: WHOLE_COUNTRY, limit: 10 })).toHaveLength(1);
  });
});
