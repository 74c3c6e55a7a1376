// flows.md O1 (v3): company IPs are a device's own public address as company agents record it.
import { describe, expect, it } from 'vitest';
import { gatherOkta } from '../../src/flows/okta/gather.js';
import { MemoryDocuments } from '../../src/evidence/memory/store.js';
import { MemoryAgentSightings, MemoryOktaLog } from '../../src/evidence/memory/okta.js';
import { isPublicAddress } from '../../src/enrich/ip-class.js';
import { toAlert } from '../support/alerts.js';
import type { OktaTravelAlert } from '../../src/alerts/types.js';
import { agentSighting, apiEvent, ecsFromApi } from '../support/okta.js';

const user = { id: '00uPRIVATE0000000001', login: 'pat@example.com' };
const events = [
  apiEvent({ at: '2026-07-01T09:00:00Z', user, ip: '10.9.9.9', ua: 'UA-A', session: 'sA', uuid: 'a1' }),
  apiEvent({ at: '2026-07-01T12:00:00Z', user, ip: '185.220.101.33', ua: 'UA-B', session: 'sB', uuid: 'b1' }),
].map(ecsFromApi);

describe('company IPs (O1, v3)', () => {
  it('are public addresses only: a private address a device recorded says nothing about who signed in', async () => {
    // An EDR records 10.9.9.9 as a laptop's own address, and the sign-in A came from 10.9.9.9.
    const docs = new MemoryDocuments([...events, agentSighting('2026-06-30T00:00:00Z', '10.9.9.9'), agentSighting('2026-06-30T00:00:00Z', '185.220.101.33')]);
    const alert = toAlert({ id: 'private-a', type: 'okta.superhuman', time: '2026-07-01T12:00:00Z', user_id: user.id, ip: '185.220.101.33' }) as OktaTravelAlert;
    const ev = await gatherOkta(alert, { log: new MemoryOktaLog(docs), agents: new MemoryAgentSightings(docs), companyCidrs: [] });
    expect(ev.sessionA?.ip).toBe('10.9.9.9');
    expect(ev.known).toEqual([{ ip: '185.220.101.33', reason: 'company agents recorded it as a device’s own address in the last 30 days' }]);
  });

  it('tells public from private and reserved addresses', () => {
    expect(['185.220.101.33', '2a00:1450:4001::1'].map(isPublicAddress)).toEqual([true, true]);
    expect(['10.1.2.3', '172.16.0.1', '192.168.1.1', '100.64.0.1', '127.0.0.1', '169.254.1.1', 'fe80::1', 'fd00::1', '::1', 'not-an-ip'].map(isPublicAddress)).toEqual(Array(10).fill(false));
  });
});
